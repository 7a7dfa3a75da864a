// The provider errors a host reported, per account, in <home>/usage/errors.json: the latest of each class
// (core/provider-errors.ts) with its streak. Same rules as the ledger: 0600 file, atomic replace under a
// cross-process lock, re-read inside it; a damaged file is moved aside and named.
import path from 'node:path';
import {
	boolean,
	enum as enumOf,
	int,
	literal,
	maxLength,
	number,
	object,
	optional,
	partialRecord,
	positive,
	record,
	string,
} from '../core/zod.js';
import {UsageError} from '../core/errors.js';
import {
	classifyProviderError,
	PROVIDER_ERROR_KINDS,
	type ProviderErrorClass,
	type ProviderErrorReport,
	type ReportedError,
	type ReportedErrors,
} from '../core/provider-errors.js';
import {isProviderId, unknownProvider, type ProviderId} from '../core/schemas.js';
import type {ProviderState} from '../core/selection.js';
import type {ResolvedCredential} from './resolve-credential.js';
import {accountKey, mutateFile, readJsonFile, usageDir} from './usage-ledger.js';
import {lazySchema} from '../core/lazy-schema.js';

export const ERRORS_FILE = 'errors.json';

export function errorsPath(home: string): string {
	return path.join(usageDir(home), ERRORS_FILE);
}

const reportedSchema = lazySchema(() =>
	object({
		at: number(),
		firstAt: number(),
		count: number().check(int(), positive()),
		status: optional(number().check(int())),
		code: optional(string().check(maxLength(100))),
		requestId: optional(string().check(maxLength(200))),
		midStream: optional(boolean()),
		retryAt: optional(number()),
		plan: optional(string().check(maxLength(64))),
	}),
);
const accountErrorsSchema = lazySchema(() => partialRecord(enumOf(PROVIDER_ERROR_KINDS), reportedSchema));
const errorsFileSchema = lazySchema(() =>
	object({version: literal(1), accounts: record(string(), accountErrorsSchema)}),
);
type ErrorsFile = {version: 1; accounts: Record<string, ReportedErrors>};

async function readErrorsFile(home: string): Promise<ErrorsFile> {
	return (
		((await readJsonFile(
			errorsPath(home),
			(value) => errorsFileSchema.safeParse(value),
			'reported provider errors',
		)) as ErrorsFile | undefined) ?? {version: 1, accounts: {}}
	);
}

/** Every account's reported errors, keyed "provider/account" (empty when none were reported). */
export async function readReportedErrors(home: string): Promise<Readonly<Record<string, ReportedErrors>>> {
	return (await readErrorsFile(home)).accounts;
}

const CODE = /^[A-Za-z0-9_.:-]{1,100}$/;
const REQUEST_ID = /^[A-Za-z0-9_.:/+=-]{1,200}$/;

function validate(report: ProviderErrorReport): ProviderErrorReport {
	if (!report || typeof report !== 'object') throw new UsageError('a provider error needs {status, code}');
	const {status, code, requestId, midStream, retryAt} = report;
	if (status !== undefined && (!Number.isInteger(status) || status < 100 || status > 599))
		throw new UsageError('status must be an HTTP status (100-599)');
	if (code !== undefined && (typeof code !== 'string' || !CODE.test(code)))
		throw new UsageError('code must be the error code as sent, e.g. subscription_sharing_usage_limit_exceeded');
	if (status === undefined && code === undefined)
		throw new UsageError('a provider error needs a status, a code or both');
	if (requestId !== undefined && (typeof requestId !== 'string' || !REQUEST_ID.test(requestId)))
		throw new UsageError('requestId must be the provider request id as sent');
	if (midStream !== undefined && typeof midStream !== 'boolean')
		throw new UsageError('midStream must be true or false');
	if (retryAt !== undefined && (!Number.isFinite(retryAt) || retryAt <= 0))
		throw new UsageError('retryAt must be a time (epoch ms)');
	return report;
}

export type RecordedProviderError = {
	readonly kind: ProviderErrorClass;
	readonly key: string;
	readonly error: ReportedError;
};

/**
 * Records one error for an account. A report of the same class continues its streak (count, firstAt); a
 * class older than a newer report of another class keeps its own record. Throws UsageError on bad input.
 */
export async function recordProviderError(
	home: string,
	provider: ProviderId,
	account: string,
	report: ProviderErrorReport,
	options: {readonly now?: number; readonly plan?: string} = {},
): Promise<RecordedProviderError> {
	if (!isProviderId(provider)) throw unknownProvider(provider);
	if (typeof account !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._@+:-]{0,127}$/.test(account))
		throw new UsageError('account must be an account id: 1-128 letters, digits or . _ @ + : -');
	validate(report);
	const now = options.now ?? Date.now();
	if (!Number.isFinite(now) || now <= 0) throw new UsageError('now must be a valid time');
	const kind = classifyProviderError(report);
	const key = accountKey(provider, account);
	let stored: ReportedError | undefined;
	await mutateFile(home, errorsPath(home), async () => {
		const file = await readErrorsFile(home);
		const errors: ReportedErrors = {...file.accounts[key]};
		const previous = errors[kind];
		// Reports may arrive out of order: an older one never replaces a newer one.
		if (previous && previous.at > now) {
			stored = previous;
		} else {
			stored = {
				at: now,
				firstAt: previous ? previous.firstAt : now,
				count: previous ? previous.count + 1 : 1,
				...(report.status !== undefined ? {status: report.status} : {}),
				...(report.code !== undefined ? {code: report.code} : {}),
				...(report.requestId !== undefined ? {requestId: report.requestId} : {}),
				...(report.midStream !== undefined ? {midStream: report.midStream} : {}),
				...(report.retryAt !== undefined ? {retryAt: report.retryAt} : {}),
				...(options.plan ? {plan: options.plan.slice(0, 64)} : {}),
			};
			errors[kind] = stored;
		}
		return `${JSON.stringify({version: 1, accounts: {...file.accounts, [key]: errors}} satisfies ErrorsFile)}\n`;
	});
	return {kind, key, error: stored!};
}

/** Forgets an account's reported errors (all, or some classes): after a new sign-in, or when the user says so. */
export async function clearProviderErrors(
	home: string,
	provider: ProviderId,
	account: string,
	kinds?: readonly ProviderErrorClass[],
): Promise<void> {
	const key = accountKey(provider, account);
	const current = await readErrorsFile(home);
	if (!current.accounts[key]) return;
	await mutateFile(home, errorsPath(home), async () => {
		const file = await readErrorsFile(home);
		const accounts = {...file.accounts};
		if (kinds) {
			const kept: ReportedErrors = {...accounts[key]};
			for (const kind of kinds) delete kept[kind];
			if (Object.keys(kept).length > 0) accounts[key] = kept;
			else delete accounts[key];
		} else delete accounts[key];
		return `${JSON.stringify({version: 1, accounts} satisfies ErrorsFile)}\n`;
	});
}

/** What selection needs about the resolved account's reported errors; `id` is its ledger id ("env" for an environment key). */
export function reportedState(
	all: Readonly<Record<string, ReportedErrors>>,
	provider: ProviderId,
	id: string | undefined,
	resolved: ResolvedCredential,
): Pick<ProviderState, 'reported' | 'accountFacts'> {
	const reported = id ? all[accountKey(provider, id)] : undefined;
	if (!reported) return {};
	const since =
		resolved.source === 'file' && resolved.account?.credentialSince
			? Date.parse(resolved.account.credentialSince)
			: undefined;
	const plan = resolved.source === 'file' ? resolved.account?.plan : undefined;
	const refreshable = resolved.source === 'file' && (resolved.kind === 'oauth' || resolved.kind === 'chatgpt-plan');
	return {
		reported,
		accountFacts: {
			...(since !== undefined && Number.isFinite(since) ? {credentialSince: since} : {}),
			...(plan ? {plan} : {}),
			refreshable,
		},
	};
}

/** The reported errors, or none when the file cannot be read (selection must still run; the reader moved a damaged file aside). */
export async function readReportedErrorsOrNone(home: string): Promise<Readonly<Record<string, ReportedErrors>>> {
	try {
		return await readReportedErrors(home);
	} catch {
		return {};
	}
}
