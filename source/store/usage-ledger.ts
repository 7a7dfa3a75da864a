// The local usage ledger under <home>/usage/: tokens and estimated cost per account per day, and the last
// rate-limit snapshot per account. The host app reports its calls and response headers; quota reads them back.
//
// Decision: daily totals only, from the start (no per-call records). A call adds to its day's bucket per
// account and model, so the file stays small, holds no prompt-level history, and needs no compaction.
// Days older than LEDGER_RETENTION_DAYS are dropped on write.
//
// Every write: 0700 folder, 0600 file, atomic replace under one cross-process lock per file, re-read inside it.
import fs from 'node:fs/promises';
import path from 'node:path';
import {_default, extend, int, literal, nonnegative, number, object, record, regex, string} from '../core/zod.js';
import {checkShape, shape} from '../core/shape.js';
import type * as z from 'zod/mini';
import {TuiError, UsageError} from '../core/errors.js';
import {estimateCost, priceFor} from '../core/prices.js';
import {isProviderId, unknownProvider, type ProviderId} from '../core/schemas.js';
import {parseRateLimitHeaders, type HeaderBag, type RateLimitSnapshot} from '../core/rate-limit-headers.js';
import {
	describeUnparseable,
	ensurePrivateDir,
	latestQuarantine,
	quarantineFile,
	readPrivateFileSync,
	sweepTempsUnderLock,
	writeFileAtomic,
} from './secure-fs.js';
import {lazySchema} from '../core/lazy-schema.js';

export const LEDGER_RETENTION_DAYS = 400;
export const USAGE_DIR = 'usage';
export const LEDGER_FILE = 'ledger.json';
export const RATE_LIMITS_FILE = 'rate-limits.json';

export function usageDir(home: string): string {
	return path.join(home, USAGE_DIR);
}
export function ledgerPath(home: string): string {
	return path.join(usageDir(home), LEDGER_FILE);
}
export function rateLimitsPath(home: string): string {
	return path.join(usageDir(home), RATE_LIMITS_FILE);
}

const tokens = lazySchema(() => number().check(int(), nonnegative()));
const totalsSchema = lazySchema(() =>
	object({
		inputTokens: tokens,
		outputTokens: tokens,
		/** Estimated at list prices (core/prices.ts); calls of unpriced models add tokens but no cost. */
		costUsd: number().check(nonnegative()),
		calls: tokens,
		unpricedCalls: _default(tokens, 0),
	}),
);
export type UsageTotals = z.infer<typeof totalsSchema>;

const accountDaySchema = lazySchema(() => extend(totalsSchema, {models: _default(record(string(), totalsSchema), {})}));
export type AccountDay = z.infer<typeof accountDaySchema>;

export const ledgerSchema = lazySchema(() =>
	object({
		version: literal(1),
		/** "YYYY-MM-DD" (local calendar day) → "provider/account" → totals. */
		days: record(string().check(regex(/^\d{4}-\d{2}-\d{2}$/)), record(string(), accountDaySchema)),
	}),
);
export type Ledger = z.infer<typeof ledgerSchema>;

// The rate-limit snapshots and quota windows are plain shapes (core/shape.ts): `tui statusline claude` reads
// windows on every refresh of Claude Code's status bar, and this way builds no zod schema.
const bucketShape = shape.object({
	limit: shape.optional(shape.number()),
	remaining: shape.optional(shape.number()),
	resetsAt: shape.optional(shape.number()),
});
const creditsShape = shape.object({
	hasCredits: shape.optional(shape.boolean()),
	unlimited: shape.optional(shape.boolean()),
	balance: shape.optional(shape.number()),
});
/** A QuotaWindow as stored (rate-limit snapshots here, the quota cache, the status-line records). */
export const quotaWindowShape = shape.object({
	name: shape.string(),
	usedPercent: shape.number(),
	windowSeconds: shape.optional(shape.number()),
	resetsAt: shape.optional(shape.number()),
	source: shape.enum(['usage-endpoint', 'headers', 'ledger', 'status-line']),
	observedAt: shape.number(),
});
/** Credits as stored beside the windows (snapshots and the quota cache). */
export const storedCreditsShape = shape.optional(creditsShape);
const snapshotShape = shape.object({
	provider: shape.enum(['openai', 'claude']),
	account: shape.string(),
	/** Epoch ms when the headers were received. */
	observedAt: shape.number(),
	requests: shape.optional(bucketShape),
	tokens: shape.optional(bucketShape),
	inputTokens: shape.optional(bucketShape),
	outputTokens: shape.optional(bucketShape),
	retryAt: shape.optional(shape.number()),
	windows: shape.array(quotaWindowShape),
	credits: storedCreditsShape,
	unifiedStatus: shape.optional(shape.string()),
	rateLimitedUntil: shape.optional(shape.number()),
});
/** What parseRateLimitHeaders returned for a response, and which account it was for. */
export type AccountRateLimitSnapshot = RateLimitSnapshot & {readonly account: string};
const rateLimitsFileShape = shape.object({version: shape.literal(1), snapshots: shape.record(snapshotShape)});
type RateLimitsFile = {version: 1; snapshots: Record<string, AccountRateLimitSnapshot>};

export type UsageRecord = {
	readonly provider: ProviderId | string;
	/** The account id (as in the auth file), or a name such as "env" for a key from the environment. */
	readonly account: string;
	readonly model: string;
	readonly inputTokens: number;
	readonly outputTokens: number;
	/** Epoch ms or Date of the call; default now. */
	readonly at?: number | Date;
};

export type LedgerView = {
	readonly ledger: Ledger;
	readonly rateLimits: Readonly<Record<string, AccountRateLimitSnapshot>>;
};

/** "provider/account", the key used by the ledger, the snapshots and preferences.budgets. */
export function accountKey(provider: ProviderId, account: string): string {
	return `${provider}/${account}`;
}

/** The local calendar day of an instant, "YYYY-MM-DD". Budgets are per day as the user lives it. */
export function dayKey(at: number | Date, timeZone?: string): string {
	const date = typeof at === 'number' ? new Date(at) : at;
	if (timeZone) {
		// en-CA formats as YYYY-MM-DD.
		return new Intl.DateTimeFormat('en-CA', {timeZone, year: 'numeric', month: '2-digit', day: '2-digit'}).format(date);
	}
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function assertProvider(provider: unknown): asserts provider is ProviderId {
	if (!isProviderId(provider)) throw unknownProvider(provider);
}

function assertAccount(account: unknown): asserts account is string {
	if (typeof account !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._@+:-]{0,127}$/.test(account)) {
		throw new UsageError('account must be an account id: 1-128 letters, digits or . _ @ + : -');
	}
}

function assertTokens(name: string, value: unknown): asserts value is number {
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
		throw new UsageError(`${name} must be a whole number of tokens, 0 or more`);
}

function validateRecord(record: UsageRecord): {provider: ProviderId; account: string; model: string; at: number} {
	if (!record || typeof record !== 'object')
		throw new UsageError('recordUsage needs {provider, account, model, inputTokens, outputTokens}');
	assertProvider(record.provider);
	assertAccount(record.account);
	if (typeof record.model !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$/.test(record.model))
		throw new UsageError('model must be a model id such as claude-sonnet-4-5');
	assertTokens('inputTokens', record.inputTokens);
	assertTokens('outputTokens', record.outputTokens);
	const at = record.at === undefined ? Date.now() : typeof record.at === 'number' ? record.at : record.at.getTime();
	if (!Number.isFinite(at) || at <= 0) throw new UsageError('at must be a valid time');
	const price = priceFor(record.model);
	if (price && price.provider !== record.provider)
		throw new UsageError(`model ${record.model} is not a ${record.provider} model`);
	return {provider: record.provider, account: record.account, model: record.model.toLowerCase(), at};
}

const EMPTY_TOTALS: UsageTotals = {inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0, unpricedCalls: 0};

function addTo(
	totals: UsageTotals | undefined,
	inputTokens: number,
	outputTokens: number,
	costUsd: number | undefined,
): UsageTotals {
	const base = totals ?? EMPTY_TOTALS;
	return {
		inputTokens: base.inputTokens + inputTokens,
		outputTokens: base.outputTokens + outputTokens,
		costUsd: base.costUsd + (costUsd ?? 0),
		calls: base.calls + 1,
		unpricedCalls: base.unpricedCalls + (costUsd === undefined ? 1 : 0),
	};
}

/** Reads and validates a usage file (the ledger, snapshots, reported errors); a file that does not parse is moved aside (0600) and named in a one-line error. */
/** A zod schema's safeParse, or checkShape with its shape: the first issue's path names what is wrong. */
export type JsonCheck<T> = (value: unknown) =>
	| {readonly success: true; readonly data: T}
	| {
			readonly success: false;
			readonly error: {readonly issues: ReadonlyArray<{readonly path: readonly PropertyKey[]}>};
	  };

export async function readJsonFile<T>(file: string, check: JsonCheck<T>, what: string): Promise<T | undefined> {
	let text: string | undefined;
	try {
		// Synchronous: resolveCredential reads errors.json on every call for an OAuth login, and a thread-pool
		// round trip per call costs more than the read itself.
		text = readPrivateFileSync(file);
	} catch (error) {
		if (error instanceof TuiError) throw error;
		throw new TuiError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
	}
	if (text === undefined) return undefined;
	let reason = describeUnparseable(text);
	if (!reason) {
		const result = check(JSON.parse(text));
		if (result.success) return result.data;
		reason = `unexpected shape at ${result.error.issues[0]?.path.map(String).join('.') || 'top level'}`;
	}
	let moved: string | undefined;
	try {
		moved = await quarantineFile(file);
	} catch {
		// Another process moved it first.
		moved = await latestQuarantine(file);
	}
	throw new TuiError(
		`${file} (${what}) is corrupt (${reason}); moved it to ${moved ?? 'a .corrupt file beside it'}. A new one starts with the next call.`,
	);
}

async function readLedgerFile(home: string): Promise<Ledger> {
	return (
		(await readJsonFile(ledgerPath(home), (value) => ledgerSchema.safeParse(value), 'usage ledger')) ?? {
			version: 1,
			days: {},
		}
	);
}

async function readRateLimitsFile(home: string): Promise<RateLimitsFile> {
	const file = await readJsonFile(
		rateLimitsPath(home),
		(value) => checkShape(rateLimitsFileShape, value),
		'rate-limit snapshots',
	);
	return (file as RateLimitsFile | undefined) ?? {version: 1, snapshots: {}};
}

function pruneDays(days: Ledger['days'], now: number): Ledger['days'] {
	const cutoff = dayKey(now - LEDGER_RETENTION_DAYS * 86_400_000);
	const kept: Ledger['days'] = {};
	for (const [day, accounts] of Object.entries(days)) if (day >= cutoff) kept[day] = accounts;
	return kept;
}

/** Serialises read-modify-write of one usage file under its cross-process lock. */
export async function mutateFile(home: string, file: string, mutate: () => Promise<string>): Promise<void> {
	await ensurePrivateDir(usageDir(home));
	// Loaded on first write only: proper-lockfile pulls in signal-exit, which the read path must not install.
	const {withFileLock} = await import('./lock.js');
	// A generous wait: a host app's call should not fail because many sessions report at once.
	await withFileLock(
		file,
		async (lock) => {
			const data = await mutate();
			await sweepTempsUnderLock(file);
			await writeFileAtomic(file, data, {beforeRename: () => lock.assertStillHeld()});
		},
		{timeoutMs: 60_000},
	);
}

export type RecordedUsage = {
	readonly day: string;
	readonly key: string;
	/** This call's estimated cost; undefined when the model has no price. */
	readonly costUsd: number | undefined;
	/** The account's totals for that day after this call. */
	readonly dayTotals: UsageTotals;
};

/** Adds one call's tokens and estimated cost to its account's day. Throws UsageError on malformed input. */
export async function recordUsage(home: string, record: UsageRecord): Promise<RecordedUsage> {
	const {provider, account, model, at} = validateRecord(record);
	const costUsd = priceFor(model)
		? estimateCost({model, inputTokens: record.inputTokens, outputTokens: record.outputTokens}).usd
		: undefined;
	const day = dayKey(at);
	const key = accountKey(provider, account);
	let dayTotals: UsageTotals = EMPTY_TOTALS;
	const file = ledgerPath(home);
	await mutateFile(home, file, async () => {
		// Re-read inside the lock: another process may have written since.
		const ledger = await readLedgerFile(home);
		const accounts = {...ledger.days[day]};
		const previous = accounts[key];
		const models = {
			...previous?.models,
			[model]: addTo(previous?.models[model], record.inputTokens, record.outputTokens, costUsd),
		};
		const next = {...addTo(previous, record.inputTokens, record.outputTokens, costUsd), models};
		accounts[key] = next;
		dayTotals = {
			inputTokens: next.inputTokens,
			outputTokens: next.outputTokens,
			costUsd: next.costUsd,
			calls: next.calls,
			unpricedCalls: next.unpricedCalls,
		};
		const days = pruneDays({...ledger.days, [day]: accounts}, Math.max(at, Date.now()));
		return `${JSON.stringify({version: 1, days} satisfies Ledger)}\n`;
	});
	return {day, key, costUsd, dayTotals};
}

/**
 * Parses a response's rate-limit headers and stores them as the account's last snapshot.
 * Returns the snapshot, or undefined (and stores nothing) when the response carried no rate-limit headers.
 */
export async function recordRateLimitHeaders(
	home: string,
	provider: ProviderId,
	account: string,
	headers: HeaderBag,
	now: number = Date.now(),
): Promise<AccountRateLimitSnapshot | undefined> {
	assertProvider(provider);
	assertAccount(account);
	if (!headers || typeof headers !== 'object')
		throw new UsageError('headers must be a Headers object or a plain object of header values');
	if (!Number.isFinite(now) || now <= 0) throw new UsageError('now must be a valid time');
	const parsed = parseRateLimitHeaders(provider, headers, now);
	if (!hasContent(parsed)) return undefined;
	const snapshot: AccountRateLimitSnapshot = {...parsed, account};
	const key = accountKey(provider, account);
	const file = rateLimitsPath(home);
	let stored = snapshot;
	await mutateFile(home, file, async () => {
		const current = await readRateLimitsFile(home);
		const existing = current.snapshots[key];
		// Responses can arrive out of order; never replace a newer snapshot by an older one.
		if (existing && existing.observedAt > now) stored = existing;
		const snapshots = {...current.snapshots, [key]: stored};
		return `${JSON.stringify({version: 1, snapshots} satisfies RateLimitsFile)}\n`;
	});
	return stored;
}

function hasContent(s: RateLimitSnapshot): boolean {
	return (
		s.windows.length > 0 ||
		[s.requests, s.tokens, s.inputTokens, s.outputTokens, s.retryAt, s.credits, s.unifiedStatus].some(
			(v) => v !== undefined,
		)
	);
}

/** The ledger and the snapshots as on disk (empty when absent). A corrupt file is quarantined and throws. */
export async function readLedger(home: string): Promise<LedgerView> {
	const [ledger, rateLimits] = await Promise.all([readLedgerFile(home), readRateLimitsFile(home)]);
	return {ledger, rateLimits: rateLimits.snapshots};
}

/** The daily totals alone (so a damaged snapshot file does not hide them). */
export async function readUsageLedger(home: string): Promise<Ledger> {
	return readLedgerFile(home);
}

/** The last rate-limit snapshot per "provider/account" alone. */
export async function readRateLimitSnapshots(
	home: string,
): Promise<Readonly<Record<string, AccountRateLimitSnapshot>>> {
	return (await readRateLimitsFile(home)).snapshots;
}

/** One account's totals for one day (zeros when it has none). */
export function dayTotalsFor(ledger: Ledger, provider: ProviderId, account: string, day: string): UsageTotals {
	const entry = ledger.days[day]?.[accountKey(provider, account)];
	return entry
		? {
				inputTokens: entry.inputTokens,
				outputTokens: entry.outputTokens,
				costUsd: entry.costUsd,
				calls: entry.calls,
				unpricedCalls: entry.unpricedCalls,
			}
		: EMPTY_TOTALS;
}

/** Removes the whole usage folder's files (for `tui reset`); leaves nothing behind. */
export async function clearUsage(home: string): Promise<void> {
	await fs.rm(usageDir(home), {recursive: true, force: true});
}
