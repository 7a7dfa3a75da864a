// Everything the quota screen, `tui quota --json|--line` and the host's status bar show, gathered in one pass:
// per provider and account its windows (usage endpoint for Claude OAuth logins, header snapshots for API keys,
// a pointer for delegated logins), each with its source and age; for a ChatGPT sign-in, no numbers (apps get
// none): plan usage on or off, the last limit hit the host reported, and the Manage usage link; today's spend against the budget; the
// alerts; and which account selection would use now. A failed fetch never crashes: the last good value
// (cached under usage/) is shown, marked stale with the one-line reason.
import {EventEmitter} from 'node:events';
import path from 'node:path';
import {z} from 'zod';
import {TuiError} from '../core/errors.js';
import {alertLevel, isStale, type AlertLevel, type QuotaWindow, type UsageCredits} from '../core/quota.js';
import {selectProvider, summarizeDecision, type Decision, type ProviderState} from '../core/selection.js';
import {DEFAULT_PREFERENCES, PROVIDER_IDS, PROVIDER_NAMES, type Account, type OAuthAccount, type Preferences, type ProviderId} from '../core/schemas.js';
import {statusLineWindowStale, windowStillCounts} from '../core/status-line.js';
import {needsLoginReason, safeLine} from '../core/text.js';
import type {Env} from '../providers/config-env.js';
import type {UsageResult} from '../providers/usage-fetch.js';
import {readAuthFile} from './auth-file.js';
import {PLAN_LIMIT_RETRY_MS, type ReportedErrors} from '../core/provider-errors.js';
import {CHATGPT_MANAGE_USAGE_URL, CHATGPT_PLUS_LIMIT_NOTE, chatgptPlanEligible} from '../core/tiers.js';
import {readStatusLineRecords, recordFor, type StatusLineRecord} from './claude-status-line.js';
import {API_KEY_ENV_VARS, CHATGPT_NEW_SIGN_IN, REFRESH_WINDOW_MS, resolveCredential} from './discovery.js';
import {readReportedErrors, reportedState} from './provider-errors.js';
import {readPreferences} from './preferences.js';
import {ensurePrivateDir, readPrivateFile, writeFileAtomic} from './secure-fs.js';
import {accountKey, dayKey, dayTotalsFor, quotaWindowSchema, readRateLimitSnapshots, readUsageLedger, usageDir, type AccountRateLimitSnapshot, type Ledger, type UsageTotals} from './usage-ledger.js';

/** The ledger and header snapshots use this account name for a key taken from the environment. */
export const ENV_ACCOUNT = 'env';
export const DEFAULT_ALERT_PERCENTS: readonly number[] = [80, 95];
export const QUOTA_CACHE_FILE = 'quota-cache.json';

export type WindowView = QuotaWindow & {
	/** Older than 15 minutes (a status-line window: older than the window), or the last good value shown after a failed fetch. */
	readonly stale: boolean;
	readonly level: AlertLevel;
	readonly ageMs: number;
};

export type SpendView = {
	/** Local calendar day, YYYY-MM-DD. */
	readonly day: string;
	readonly today: UsageTotals;
	readonly maxCostPerDay?: number;
	/** Spend as a percent of maxCostPerDay. */
	readonly percent?: number;
	readonly level: AlertLevel;
	readonly alertPercents: readonly number[];
};

export type AccountStatus =
	/** Windows fetched or read just now. */
	| 'fresh'
	/** Showing last known values: the fetch failed, or the snapshot is old. */
	| 'stale'
	/** Nothing known yet (no fetch possible, no headers recorded). */
	| 'none'
	/** Claude Code holds the login and no windows came from its status line yet; its quota is shown there. */
	| 'delegated'
	/** A ChatGPT sign-in: no figures exist for apps; see `chatgpt`. */
	| 'plan';

/** What is known of a ChatGPT sign-in's plan usage. OpenAI gives apps no usage numbers: the limits live in ChatGPT settings. */
export type ChatGPTPlanView = {
	/** Plan usage was granted at sign-in (chatgpt.tokens.use.direct). */
	readonly planEnabled: boolean;
	readonly plan?: string;
	/** The plan is one apps may use (Plus, Pro); undefined when the plan is not known. */
	readonly eligible?: boolean;
	/** The last usage limit the host reported (epoch ms), and whether plan use is held back for it now. */
	readonly lastLimitAt?: number;
	readonly lastLimitMidStream?: boolean;
	readonly limited: boolean;
	/** The host got "not eligible" for this account (epoch ms). */
	readonly notEligibleAt?: number;
	/** The last transient "unavailable" (epoch ms). */
	readonly unavailableAt?: number;
	readonly terms: readonly string[];
	readonly manageUsageUrl: string;
};

export type AccountQuota = {
	readonly provider: ProviderId;
	/** The id in the auth file, or "env" for a key from the environment. */
	readonly id: string;
	readonly label: string;
	readonly kind: Account['kind'];
	/** Where the account comes from: the auth file, or the environment variable's name. */
	readonly origin: 'file' | string;
	readonly active: boolean;
	readonly plan?: string;
	readonly status: AccountStatus;
	readonly windows: readonly WindowView[];
	readonly credits?: UsageCredits;
	/** The last rate-limit snapshot from response headers (API keys mostly). */
	readonly rateLimits?: AccountRateLimitSnapshot;
	/** One line: why the figures are stale or missing ("OpenAI usage endpoint failed (HTTP 500); try later"). */
	readonly error?: string;
	/** For delegated accounts: "managed by Claude Code — run /usage there". */
	readonly note?: string;
	/** ChatGPT sign-ins only. */
	readonly chatgpt?: ChatGPTPlanView;
	readonly spend: SpendView;
};

export type ProviderQuota = {
	readonly provider: ProviderId;
	readonly name: string;
	readonly accounts: readonly AccountQuota[];
	/** The auth file could not be read (e.g. moved aside as corrupt). */
	readonly error?: string;
};

export type QuotaAlert = {
	readonly provider: ProviderId;
	readonly account: string;
	readonly label: string;
	readonly kind: 'window' | 'budget';
	/** The window name ("5h", "weekly") or "daily spend". */
	readonly name: string;
	readonly percent: number;
	readonly level: Exclude<AlertLevel, 'ok'>;
	/** The alert percent crossed (100 when exhausted). */
	readonly threshold: number;
	readonly message: string;
};

export type SelectionView = {
	readonly ok: boolean;
	readonly provider?: ProviderId;
	readonly account?: string;
	/** summarizeDecision's line. */
	readonly summary: string;
	readonly decision: Decision;
};

export type QuotaReport = {
	/** Epoch ms. */
	readonly generatedAt: number;
	readonly providers: readonly ProviderQuota[];
	readonly alerts: readonly QuotaAlert[];
	readonly selection?: SelectionView;
	/** Problems that are not any one account's (a corrupt ledger, unreadable preferences). */
	readonly notes: readonly string[];
	readonly thresholdPercent: number;
};

/** A RefreshOAuthAccount (store/discovery.ts) that is also told why; 'rejected' means the server answered 401. */
export type QuotaRefresh = (
	account: OAuthAccount,
	context: {readonly provider: ProviderId; readonly home: string; readonly env: Env; readonly reason?: 'expiring' | 'rejected'},
) => Promise<OAuthAccount>;

export type GatherOptions = {
	readonly home: string;
	readonly env: Env;
	/** Epoch ms, or a clock. */
	readonly now?: number | (() => number);
	readonly fetch?: typeof fetch;
	/** Refreshes an OAuth account's tokens (under the auth-file lock) near expiry, and once after a 401 (`reason: 'rejected'`: refresh even if not expiring). */
	readonly refresh?: QuotaRefresh;
	readonly signal?: AbortSignal;
	/** Do not call the usage endpoints: cached values and header snapshots only (fast, for status bars). */
	readonly offline?: boolean;
	/** Skip the usage endpoint when the cached fetch is younger than this (status bars poll often). */
	readonly reuseCacheMs?: number;
	/** Per-request timeout of the usage endpoints; default 10 s. */
	readonly timeoutMs?: number;
};

// ---- the cache of the last good fetch per account ----

const cacheEntry = z.object({
	observedAt: z.number(),
	windows: z.array(quotaWindowSchema),
	plan: z.string().optional(),
	credits: z.object({hasCredits: z.boolean().optional(), unlimited: z.boolean().optional(), balance: z.number().optional()}).optional(),
});
type CacheEntry = z.infer<typeof cacheEntry>;
const cacheSchema = z.object({version: z.literal(1), entries: z.record(z.string(), cacheEntry)});

export function quotaCachePath(home: string): string {
	return path.join(usageDir(home), QUOTA_CACHE_FILE);
}

/** The cache is only a convenience: a missing or damaged one reads as empty (it is rewritten on the next good fetch). */
async function readCache(home: string): Promise<Record<string, CacheEntry>> {
	try {
		const text = await readPrivateFile(quotaCachePath(home));
		if (text === undefined) return {};
		const parsed = cacheSchema.safeParse(JSON.parse(text));
		return parsed.success ? parsed.data.entries : {};
	} catch {
		return {};
	}
}

async function writeCache(home: string, updates: Record<string, CacheEntry>): Promise<void> {
	if (Object.keys(updates).length === 0) return;
	const file = quotaCachePath(home);
	await ensurePrivateDir(usageDir(home));
	const {withFileLock} = await import('./lock.js');
	await withFileLock(file, async (lock) => {
		const current = await readCache(home);
		for (const [key, entry] of Object.entries(updates)) {
			// Another process may have stored a newer fetch meanwhile.
			if (!current[key] || current[key]!.observedAt <= entry.observedAt) current[key] = entry;
		}
		await writeFileAtomic(file, `${JSON.stringify({version: 1, entries: current})}\n`, {beforeRename: () => lock.assertStillHeld()});
	});
}

// ---- gathering ----

function clock(now: GatherOptions['now']): number {
	return typeof now === 'function' ? now() : (now ?? Date.now());
}

function errorLine(error: unknown): string {
	if (error instanceof TuiError) return safeLine(error.message, 300);
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return code ? `unexpected error (${code})` : 'unexpected error';
}

function budgetOf(preferences: Preferences, provider: ProviderId, id: string): {maxCostPerDay?: number; alertPercents: readonly number[]} {
	const budget = preferences.budgets[accountKey(provider, id)];
	return {
		...(budget?.maxCostPerDay !== undefined ? {maxCostPerDay: budget.maxCostPerDay} : {}),
		alertPercents: budget?.alertPercents?.length ? budget.alertPercents : DEFAULT_ALERT_PERCENTS,
	};
}

function spendView(ledger: Ledger, provider: ProviderId, id: string, day: string, budget: ReturnType<typeof budgetOf>): SpendView {
	const today = dayTotalsFor(ledger, provider, id, day);
	if (budget.maxCostPerDay === undefined) return {day, today, level: 'ok', alertPercents: budget.alertPercents};
	const percent = (today.costUsd / budget.maxCostPerDay) * 100;
	return {day, today, maxCostPerDay: budget.maxCostPerDay, percent, level: alertLevel(percent, budget.alertPercents), alertPercents: budget.alertPercents};
}

function view(window: QuotaWindow, now: number, alertPercents: readonly number[], forceStale: boolean): WindowView {
	// Claude Code's status line reports only while it runs: its figure holds until the window could have reset.
	const stale = window.source === 'status-line' ? statusLineWindowStale(window, now) : isStale(window.observedAt, now);
	return {...window, stale: forceStale || stale, level: alertLevel(window.usedPercent, alertPercents), ageMs: Math.max(0, now - window.observedAt)};
}

/** Per window name, the newest figure among the sources. */
function newestByName(...lists: ReadonlyArray<readonly QuotaWindow[]>): QuotaWindow[] {
	const byName = new Map<string, QuotaWindow>();
	for (const list of lists) {
		for (const w of list) {
			const seen = byName.get(w.name);
			if (!seen || w.observedAt > seen.observedAt) byName.set(w.name, w);
		}
	}
	return [...byName.values()];
}

type Fetcher = (options: {env: Env; access: string; accountId?: string; fetch?: typeof fetch; refresh?: () => Promise<string>; now: () => number; signal?: AbortSignal; timeoutMs?: number}) => Promise<UsageResult>;

async function loadFetcher(): Promise<Fetcher> {
	// Loaded only when a usage endpoint is called, so the offline path stays light. Claude only: OpenAI has none for apps.
	return (await import('../providers/claude-usage.js')).fetchClaudeUsage;
}

type Shared = {
	readonly options: GatherOptions;
	readonly now: number;
	readonly preferences: Preferences;
	readonly ledger: Ledger;
	readonly snapshots: Readonly<Record<string, AccountRateLimitSnapshot>>;
	readonly cache: Record<string, CacheEntry>;
	readonly cacheUpdates: Record<string, CacheEntry>;
	readonly day: string;
	readonly reported: Readonly<Record<string, ReportedErrors>>;
	/** Windows from Claude Code's status line, per delegated account. */
	readonly statusLine?: Readonly<Record<string, StatusLineRecord>>;
};

const CHATGPT_TERMS: readonly string[] = [CHATGPT_PLUS_LIMIT_NOTE, "Each app's weekly share is set in ChatGPT settings", 'Apps get no usage numbers'];

function chatgptAccountQuota(account: OAuthAccount, active: boolean, shared: Shared): AccountQuota {
	const provider = 'openai';
	const budget = budgetOf(shared.preferences, provider, account.id);
	const reported = shared.reported[accountKey(provider, account.id)];
	const limit = reported?.['plan-limit'];
	const eligible = chatgptPlanEligible(account.plan);
	const chatgpt: ChatGPTPlanView = {
		planEnabled: account.planEnabled === true,
		...(account.plan ? {plan: account.plan} : {}),
		...(eligible !== undefined ? {eligible} : {}),
		...(limit ? {lastLimitAt: limit.at, ...(limit.midStream !== undefined ? {lastLimitMidStream: limit.midStream} : {})} : {}),
		limited: limit !== undefined && shared.now - limit.at < PLAN_LIMIT_RETRY_MS,
		...(reported?.['not-eligible'] ? {notEligibleAt: reported['not-eligible'].at} : {}),
		...(reported?.unavailable ? {unavailableAt: reported.unavailable.at} : {}),
		terms: CHATGPT_TERMS,
		manageUsageUrl: CHATGPT_MANAGE_USAGE_URL,
	};
	const error = account.needsLogin
		? `needs a new login (${safeLine(account.needsLogin, 120)}); run tui auth login --provider ${provider}`
		: !account.clientId
			? CHATGPT_NEW_SIGN_IN
			: undefined;
	return {
		provider,
		id: account.id,
		label: account.label,
		kind: account.kind,
		origin: 'file',
		active,
		...(account.plan ? {plan: account.plan} : {}),
		status: 'plan',
		windows: [],
		...(error ? {error} : {}),
		chatgpt,
		spend: spendView(shared.ledger, provider, account.id, shared.day, budget),
	};
}

async function oauthAccountQuota(provider: ProviderId, account: OAuthAccount, active: boolean, shared: Shared): Promise<AccountQuota> {
	const {options, now} = shared;
	const key = accountKey(provider, account.id);
	const budget = budgetOf(shared.preferences, provider, account.id);
	const snapshot = shared.snapshots[key];
	const cached = shared.cache[key];
	const base = {
		provider,
		id: account.id,
		label: account.label,
		kind: account.kind,
		origin: 'file',
		active,
		...(account.plan ? {plan: account.plan} : {}),
		...(snapshot ? {rateLimits: snapshot} : {}),
		spend: spendView(shared.ledger, provider, account.id, shared.day, budget),
	} as const;

	let fetched: UsageResult | undefined;
	let error: string | undefined;
	const reusable = cached && options.reuseCacheMs !== undefined && now - cached.observedAt >= 0 && now - cached.observedAt < options.reuseCacheMs;
	if (account.needsLogin) error = `needs a new login (${needsLoginReason(account.needsLogin)}); run tui auth login --provider ${provider}`;
	else if (reusable) fetched = {windows: cached.windows, ...(cached.plan ? {plan: cached.plan} : {}), ...(cached.credits ? {credits: cached.credits} : {}), observedAt: cached.observedAt, refreshed: false};
	else if (!options.offline) {
		try {
			let current = account;
			const refreshHook = options.refresh;
			const ctx = {provider, home: options.home, env: options.env};
			if (current.tokens.expiresAt - now <= REFRESH_WINDOW_MS) {
				if (!refreshHook) throw new TuiError(`the token expired; run tui auth login --provider ${provider}`);
				current = await refreshHook(current, {...ctx, reason: 'expiring'});
			}
			const fetcher = await loadFetcher();
			fetched = await fetcher({
				env: options.env,
				access: current.tokens.access,
				...(current.accountId ? {accountId: current.accountId} : {}),
				...(options.fetch ? {fetch: options.fetch} : {}),
				...(refreshHook ? {refresh: async () => (current = await refreshHook(current, {...ctx, reason: 'rejected'})).tokens.access} : {}),
				now: () => clock(options.now),
				...(options.signal ? {signal: options.signal} : {}),
				...(options.timeoutMs ? {timeoutMs: options.timeoutMs} : {}),
			});
			shared.cacheUpdates[key] = {
				observedAt: fetched.observedAt,
				windows: fetched.windows,
				...(fetched.plan ? {plan: fetched.plan} : {}),
				...(fetched.credits ? {credits: fetched.credits} : {}),
			};
		} catch (caught) {
			error = errorLine(caught);
		}
	}

	const fromEndpoint = fetched?.windows ?? [];
	// After a failed fetch the cached endpoint values are shown, stale, whatever their age.
	const fromCache = fetched ? [] : (cached?.windows ?? []);
	const fromHeaders = snapshot?.windows ?? [];
	const windows = newestByName(fromEndpoint, fromCache, fromHeaders).map((w) => {
		const failedOld = error !== undefined && w.source === 'usage-endpoint';
		return view(w, now, budget.alertPercents, failedOld);
	});
	const credits = fetched?.credits ?? cached?.credits ?? snapshot?.credits;
	const plan = fetched?.plan ?? account.plan ?? cached?.plan;
	const status: AccountStatus = windows.length === 0 ? 'none' : windows.some((w) => w.stale) || error ? 'stale' : 'fresh';
	return {
		...base,
		...(plan ? {plan} : {}),
		status,
		windows,
		...(credits ? {credits} : {}),
		...(error ? {error} : {}),
	};
}

function headerAccountQuota(provider: ProviderId, id: string, label: string, origin: string, active: boolean, shared: Shared): AccountQuota {
	const key = accountKey(provider, id);
	const budget = budgetOf(shared.preferences, provider, id);
	const snapshot = shared.snapshots[key];
	const windows = (snapshot?.windows ?? []).map((w) => view(w, shared.now, budget.alertPercents, false));
	const stale = snapshot ? isStale(snapshot.observedAt, shared.now) : false;
	const status: AccountStatus = !snapshot ? 'none' : stale ? 'stale' : 'fresh';
	return {
		provider,
		id,
		label,
		kind: 'api-key',
		origin,
		active,
		status,
		windows,
		...(snapshot ? {rateLimits: snapshot} : {}),
		...(snapshot?.credits ? {credits: snapshot.credits} : {}),
		...(!snapshot ? {error: 'no rate-limit headers recorded yet; they appear after the first API call'} : {}),
		spend: spendView(shared.ledger, provider, id, shared.day, budget),
	};
}

function delegatedAccountQuota(provider: ProviderId, account: Extract<Account, {kind: 'delegated'}>, active: boolean, shared: Shared): AccountQuota {
	const budget = budgetOf(shared.preferences, provider, account.id);
	const tool = account.tool === 'claude-code' ? 'Claude Code' : account.tool;
	const record = provider === 'claude' && shared.statusLine ? recordFor(shared.statusLine, account) : undefined;
	const base = {
		provider,
		id: account.id,
		label: account.label,
		kind: 'delegated' as const,
		origin: 'file' as const,
		active,
		...(account.plan ? {plan: account.plan} : {}),
		spend: spendView(shared.ledger, provider, account.id, shared.day, budget),
	};
	if (record && record.windows.length > 0) {
		const windows = record.windows.map((w) => view(w, shared.now, budget.alertPercents, false));
		return {...base, status: windows.some((w) => w.stale) ? 'stale' : 'fresh', windows};
	}
	return {...base, status: 'delegated', windows: [], note: `managed by ${tool} — run /usage there`};
}

async function providerQuota(provider: ProviderId, shared: Shared): Promise<ProviderQuota> {
	const accounts: AccountQuota[] = [];
	let fileError: string | undefined;
	let activeId: string | null = null;
	let stored: readonly Account[] = [];
	try {
		const file = await readAuthFile(shared.options.home, provider);
		activeId = file.active;
		stored = file.accounts;
	} catch (error) {
		fileError = errorLine(error);
	}
	// A key in the environment wins over the stored login (credential resolution), so it is listed first and active.
	const envVar = API_KEY_ENV_VARS[provider].find((name) => shared.options.env[name]?.trim());
	if (envVar) accounts.push(headerAccountQuota(provider, ENV_ACCOUNT, envVar, envVar, true, shared));
	const results = await Promise.all(
		stored.map(async (account) => {
			const active = !envVar && account.id === activeId;
			if (account.kind === 'oauth' && provider === 'openai') return chatgptAccountQuota(account, active, shared);
			if (account.kind === 'oauth') return oauthAccountQuota(provider, account, active, shared);
			if (account.kind === 'delegated') return delegatedAccountQuota(provider, account, active, shared);
			return headerAccountQuota(provider, account.id, account.label, 'file', active, shared);
		}),
	);
	accounts.push(...results);
	return {provider, name: PROVIDER_NAMES[provider], accounts, ...(fileError ? {error: fileError} : {})};
}

function alertsOf(providers: readonly ProviderQuota[]): QuotaAlert[] {
	const alerts: QuotaAlert[] = [];
	for (const p of providers) {
		for (const a of p.accounts) {
			for (const w of a.windows) {
				if (w.level === 'ok') continue;
				const threshold = thresholdOf(w.usedPercent, w.level, a.spend.alertPercents);
				alerts.push({
					provider: p.provider,
					account: a.id,
					label: a.label,
					kind: 'window',
					name: w.name,
					percent: w.usedPercent,
					level: w.level,
					threshold,
					message: `${p.name} ${a.label}: ${w.name} window at ${Math.round(w.usedPercent)}%${w.level === 'exhausted' ? ' (exhausted)' : ` (≥ ${threshold}%)`}${w.stale ? ', stale' : ''}`,
				});
			}
			const s = a.spend;
			if (s.level !== 'ok' && s.percent !== undefined && s.maxCostPerDay !== undefined) {
				const threshold = thresholdOf(s.percent, s.level, s.alertPercents);
				alerts.push({
					provider: p.provider,
					account: a.id,
					label: a.label,
					kind: 'budget',
					name: 'daily spend',
					percent: s.percent,
					level: s.level,
					threshold,
					message: `${p.name} ${a.label}: spent $${s.today.costUsd.toFixed(2)} of $${s.maxCostPerDay.toFixed(2)} today (${Math.round(s.percent)}%)`,
				});
			}
		}
	}
	return alerts;
}

function thresholdOf(percent: number, level: AlertLevel, alertPercents: readonly number[]): number {
	if (level === 'exhausted') return 100;
	const crossed = [...alertPercents].filter((p) => percent >= p).sort((a, b) => b - a);
	return crossed[0] ?? 100;
}

async function selectionOf(shared: Shared, providers: readonly ProviderQuota[]): Promise<SelectionView | undefined> {
	const states: Partial<Record<ProviderId, ProviderState>> = {};
	for (const provider of PROVIDER_IDS) {
		// No refresh here: the quota pass already refreshed what it fetched; this only reads.
		const resolved = await resolveCredential(provider, {home: shared.options.home, env: shared.options.env, now: shared.now});
		const id = resolved.source === 'env' ? ENV_ACCOUNT : resolved.account?.id;
		const account = providers.find((p) => p.provider === provider)?.accounts.find((a) => a.id === id);
		const windows = (account?.windows ?? []).filter((w) => windowStillCounts(w, shared.now));
		const until = account?.rateLimits?.rateLimitedUntil;
		states[provider] = {
			usable: resolved.usable,
			source: resolved.source,
			...(id ? {accountId: id} : {}),
			...(resolved.account?.label ? {accountLabel: resolved.account.label} : resolved.envVar ? {accountLabel: resolved.envVar} : {}),
			...(!resolved.usable ? {reason: resolved.reason} : {}),
			quota: windows.map((w) => ({usedPercent: w.usedPercent, name: w.name, ...(w.resetsAt !== undefined ? {resetsAt: w.resetsAt} : {})})),
			...(until !== undefined && until > shared.now ? {rateLimitedUntil: until} : {}),
			...reportedState(shared.reported, provider, id, resolved),
		};
	}
	const decision = selectProvider({now: shared.now, preferences: shared.preferences, providers: states});
	return {
		ok: decision.ok,
		...(decision.ok ? {provider: decision.provider, ...(decision.accountId ? {account: decision.accountId} : {})} : {}),
		summary: summarizeDecision(decision),
		decision,
	};
}

/** Gathers the whole quota picture. Never throws for provider or file trouble: that lands in `error`/`notes`. */
export async function gatherQuota(options: GatherOptions): Promise<QuotaReport> {
	const now = clock(options.now);
	const notes: string[] = [];
	let preferences: Preferences = DEFAULT_PREFERENCES;
	try {
		preferences = await readPreferences(options.home);
	} catch (error) {
		notes.push(errorLine(error));
	}
	let ledger: Ledger = {version: 1, days: {}};
	let snapshots: Readonly<Record<string, AccountRateLimitSnapshot>> = {};
	// Read apart: one damaged file must not hide the other.
	const [ledgerRead, snapshotsRead, reportedRead] = await Promise.allSettled([readUsageLedger(options.home), readRateLimitSnapshots(options.home), readReportedErrors(options.home)]);
	if (ledgerRead.status === 'fulfilled') ledger = ledgerRead.value;
	else notes.push(errorLine(ledgerRead.reason));
	if (snapshotsRead.status === 'fulfilled') snapshots = snapshotsRead.value;
	else notes.push(errorLine(snapshotsRead.reason));
	const reported = reportedRead.status === 'fulfilled' ? reportedRead.value : {};
	if (reportedRead.status === 'rejected') notes.push(errorLine(reportedRead.reason));
	const [cache, statusLine] = await Promise.all([readCache(options.home), readStatusLineRecords(options.home)]);
	const shared: Shared = {options, now, preferences, ledger, snapshots, cache, cacheUpdates: {}, day: dayKey(now), reported, statusLine};
	const providers = await Promise.all(PROVIDER_IDS.map((provider) => providerQuota(provider, shared)));
	try {
		await writeCache(options.home, shared.cacheUpdates);
	} catch (error) {
		notes.push(`could not cache the usage: ${errorLine(error)}`);
	}
	let selection: SelectionView | undefined;
	try {
		selection = await selectionOf(shared, providers);
	} catch (error) {
		notes.push(`selection: ${errorLine(error)}`);
	}
	return {generatedAt: now, providers, alerts: alertsOf(providers), ...(selection ? {selection} : {}), notes, thresholdPercent: preferences.fallback.thresholdPercent};
}

/** The fullest window of the account selection would use (or the provider's active one): for one-line status. */
export function headlineAccount(report: QuotaReport, provider: ProviderId): AccountQuota | undefined {
	const p = report.providers.find((x) => x.provider === provider);
	if (!p) return undefined;
	const chosen = report.selection?.provider === provider && report.selection.account ? p.accounts.find((a) => a.id === report.selection!.account) : undefined;
	return chosen ?? p.accounts.find((a) => a.active) ?? p.accounts.find((a) => a.windows.length > 0) ?? p.accounts[0];
}


// ---- JSON: stable field names, ISO times ----

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** The `tui quota --json` document. Field names are a contract for scripts; add, never rename. */
export function quotaReportToJson(report: QuotaReport) {
	return {
		version: 1,
		generatedAt: iso(report.generatedAt),
		thresholdPercent: report.thresholdPercent,
		selection: report.selection
			? {ok: report.selection.ok, provider: report.selection.provider ?? null, account: report.selection.account ?? null, summary: report.selection.summary}
			: null,
		alerts: report.alerts.map((a) => ({provider: a.provider, account: a.account, label: a.label, kind: a.kind, name: a.name, percent: round(a.percent), level: a.level, threshold: a.threshold, message: a.message})),
		providers: report.providers.map((p) => ({
			provider: p.provider,
			name: p.name,
			error: p.error ?? null,
			accounts: p.accounts.map((a) => ({
				id: a.id,
				label: a.label,
				kind: a.kind,
				origin: a.origin,
				active: a.active,
				plan: a.plan ?? null,
				status: a.status,
				error: a.error ?? null,
				note: a.note ?? null,
				chatgpt: a.chatgpt
					? {
							planEnabled: a.chatgpt.planEnabled,
							plan: a.chatgpt.plan ?? null,
							eligible: a.chatgpt.eligible ?? null,
							limited: a.chatgpt.limited,
							lastLimitAt: iso(a.chatgpt.lastLimitAt),
							lastLimitMidStream: a.chatgpt.lastLimitMidStream ?? null,
							notEligibleAt: iso(a.chatgpt.notEligibleAt),
							unavailableAt: iso(a.chatgpt.unavailableAt),
							terms: a.chatgpt.terms,
							manageUsageUrl: a.chatgpt.manageUsageUrl,
						}
					: null,
				windows: a.windows.map((w) => ({
					name: w.name,
					usedPercent: round(w.usedPercent),
					windowSeconds: w.windowSeconds ?? null,
					resetsAt: iso(w.resetsAt),
					source: w.source,
					observedAt: iso(w.observedAt),
					ageSeconds: Math.round(w.ageMs / 1000),
					stale: w.stale,
					level: w.level,
				})),
				credits: a.credits ?? null,
				rateLimits: a.rateLimits
					? {
							observedAt: iso(a.rateLimits.observedAt),
							requests: bucketJson(a.rateLimits.requests),
							tokens: bucketJson(a.rateLimits.tokens),
							inputTokens: bucketJson(a.rateLimits.inputTokens),
							outputTokens: bucketJson(a.rateLimits.outputTokens),
							retryAt: iso(a.rateLimits.retryAt),
							rateLimitedUntil: iso(a.rateLimits.rateLimitedUntil),
							unifiedStatus: a.rateLimits.unifiedStatus ?? null,
						}
					: null,
				spend: {
					day: a.spend.day,
					costUsd: round(a.spend.today.costUsd, 6),
					inputTokens: a.spend.today.inputTokens,
					outputTokens: a.spend.today.outputTokens,
					calls: a.spend.today.calls,
					maxCostPerDay: a.spend.maxCostPerDay ?? null,
					percent: a.spend.percent === undefined ? null : round(a.spend.percent),
					level: a.spend.level,
				},
			})),
		})),
		notes: report.notes,
	};
}

function bucketJson(b: {limit?: number; remaining?: number; resetsAt?: number} | undefined) {
	return b ? {limit: b.limit ?? null, remaining: b.remaining ?? null, resetsAt: iso(b.resetsAt)} : null;
}

function round(n: number, digits = 2): number {
	const f = 10 ** digits;
	return Math.round(n * f) / f;
}

// ---- alerts for hosts ----

export type QuotaMonitorOptions = GatherOptions & {
	/** Milliseconds between checks once started; default 60 s. */
	readonly intervalMs?: number;
};

export type QuotaMonitorEvents = {
	alert: [QuotaAlert];
	/** An alert's figure fell back below its lowest threshold (e.g. the window reset). */
	clear: [{provider: ProviderId; account: string; kind: 'window' | 'budget'; name: string}];
	update: [QuotaReport];
	error: [Error];
};

const LEVEL_RANK: Readonly<Record<AlertLevel, number>> = {ok: 0, warning: 1, critical: 2, exhausted: 3};

/**
 * Emits 'alert' once per crossing: when a window or budget rises to a higher level than last seen. It emits
 * again only after the figure rises further, or after it fell back below the thresholds ('clear') and crosses again.
 */
export class QuotaMonitor extends EventEmitter<QuotaMonitorEvents> {
	private readonly levels = new Map<string, AlertLevel>();
	private timer: NodeJS.Timeout | undefined;
	private running: Promise<QuotaReport | undefined> | undefined;

	constructor(private readonly options: QuotaMonitorOptions) {
		super();
	}

	/** Feeds a report (from gatherQuota or elsewhere) and emits what it crossed. */
	update(report: QuotaReport): void {
		const seen = new Set<string>();
		for (const alert of report.alerts) {
			const key = `${alert.provider}/${alert.account}/${alert.kind}/${alert.name}`;
			seen.add(key);
			const before = this.levels.get(key) ?? 'ok';
			this.levels.set(key, alert.level);
			if (LEVEL_RANK[alert.level] > LEVEL_RANK[before]) this.emit('alert', alert);
		}
		for (const key of [...this.levels.keys()]) {
			if (seen.has(key)) continue;
			this.levels.delete(key);
			const [provider, account, kind, ...name] = key.split('/');
			this.emit('clear', {provider: provider as ProviderId, account: account!, kind: kind as 'window' | 'budget', name: name.join('/')});
		}
		this.emit('update', report);
	}

	/** Gathers once (no overlapping runs) and feeds the result to update(). */
	async check(): Promise<QuotaReport | undefined> {
		this.running ??= gatherQuota(this.options)
			.then((report) => {
				this.update(report);
				return report;
			})
			.catch((error: unknown) => {
				if (this.listenerCount('error') > 0) this.emit('error', error instanceof Error ? error : new Error(String(error)));
				return undefined;
			})
			.finally(() => {
				this.running = undefined;
			});
		return this.running;
	}

	/** Checks now and then every intervalMs; the timer never keeps the process alive. */
	start(): this {
		if (this.timer) return this;
		void this.check();
		this.timer = setInterval(() => void this.check(), this.options.intervalMs ?? 60_000);
		this.timer.unref();
		this.options.signal?.addEventListener('abort', () => this.stop(), {once: true});
		return this;
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
	}
}

export function createQuotaMonitor(options: QuotaMonitorOptions): QuotaMonitor {
	return new QuotaMonitor(options);
}
