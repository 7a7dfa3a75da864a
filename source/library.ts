// The credential half of the library face: host apps call these with no setup. Home and environment
// default to the process's own (TUI_HOME, XDG_CONFIG_HOME, ~/.config/tui), and OAuth tokens refresh themselves.
import {readClock} from './core/clock.js';
import type {ProviderId} from './core/schemas.js';
import type {Env} from './core/env.js';
import {resolveHome} from './store/home.js';
import {resolveCredential as resolveFromStore, type ResolvedCredential} from './store/resolve-credential.js';
import {refreshHook} from './app/credential-hooks.js';
import {currentSelection, type CurrentSelection} from './app/selection.js';
import {
	recordUsage as recordUsageInStore,
	recordRateLimitHeaders as recordHeadersInStore,
	type RecordedUsage,
} from './store/usage-ledger.js';
import {ENV_ACCOUNT} from './store/quota.js';
import type {AccountRateLimitSnapshot} from './store/usage-ledger.js';
import type {ProviderErrorReport} from './core/provider-errors.js';
import {
	clearProviderErrors as clearErrorsInStore,
	recordProviderError as recordErrorInStore,
	type RecordedProviderError,
} from './store/provider-errors.js';

export type HostOptions = {
	/** State folder; default as the `tui` command resolves it. */
	readonly home?: string;
	/** Environment to read API keys from; default process.env. */
	readonly env?: Env;
	readonly now?: number | (() => number);
};

function hostContext(options: HostOptions): {home: string; env: Env} {
	const env = options.env ?? process.env;
	return {home: resolveHome(options.home, env), env};
}

/**
 * The credential to use for `provider`: explicit > environment > the active stored account.
 * An OAuth access token within 5 minutes of expiry is refreshed (under a cross-process lock) first.
 * `usable` false comes with a one-line `reason`; `shadowed` lists the sources it won over.
 */
export async function resolveCredential(
	provider: ProviderId,
	options: HostOptions & {readonly explicit?: string} = {},
): Promise<ResolvedCredential> {
	const {home, env} = hostContext(options);
	const resolved = await resolveFromStore(provider, {
		home,
		env,
		refresh: refreshHook(),
		...(options.explicit ? {explicit: options.explicit} : {}),
		...(options.now !== undefined ? {now: options.now} : {}),
	});
	announceFirstResolve();
	return resolved;
}

// The built library writes its code cache (scripts/library-core.mjs) once the credential path has run compiled.
const CREDENTIAL_RESOLVED = 'tui:credential-resolved';
let resolvedOnce = false;
function announceFirstResolve(): void {
	if (resolvedOnce) return;
	resolvedOnce = true;
	(process as NodeJS.EventEmitter).emit(CREDENTIAL_RESOLVED);
}

/**
 * Which provider and account to use now (preferred → usable → not blocked → fallback), with the trail of
 * reasons. `decision.ok` false means "no valid auth"; its `reasons` say why.
 */
export async function selectProvider(
	options: HostOptions & {readonly provider?: ProviderId} = {},
): Promise<CurrentSelection> {
	const {home, env} = hostContext(options);
	return currentSelection({
		home,
		env,
		refresh: refreshHook(),
		...(options.provider ? {provider: options.provider} : {}),
		...(options.now !== undefined ? {now: options.now} : {}),
	});
}

export type UsageReport = {
	readonly provider: ProviderId;
	readonly model: string;
	readonly inputTokens: number;
	readonly outputTokens: number;
	/** Account id; default: the account that resolves now ("env" for a key from the environment). */
	readonly account?: string;
	readonly at?: number;
};

async function accountFor(provider: ProviderId, account: string | undefined, options: HostOptions): Promise<string> {
	return account ?? (await resolvedAccount(provider, options)).id;
}

async function resolvedAccount(provider: ProviderId, options: HostOptions): Promise<{id: string; plan?: string}> {
	const {home, env} = hostContext(options);
	const resolved = await resolveFromStore(provider, {home, env});
	if (resolved.source !== 'file' || !resolved.account) return {id: ENV_ACCOUNT};
	return {id: resolved.account.id, ...(resolved.account.plan ? {plan: resolved.account.plan} : {})};
}

/** Adds a call's tokens and estimated cost to today's ledger (atomic, locked; safe from many processes). */
export async function recordUsage(report: UsageReport, options: HostOptions = {}): Promise<RecordedUsage> {
	const {home} = hostContext(options);
	const account = await accountFor(report.provider, report.account, options);
	return recordUsageInStore(home, {
		provider: report.provider,
		account,
		model: report.model,
		inputTokens: report.inputTokens,
		outputTokens: report.outputTokens,
		...(report.at !== undefined ? {at: report.at} : {}),
	});
}

/**
 * Records an error a provider answered (`{status, code}` from the body or a `response.failed` event; `requestId`;
 * `midStream` when streaming had begun) for the account that resolves now, or `options.account`. Selection and
 * the quota screen use it: a ChatGPT plan usage limit holds plan use back (the "quota" fallback trigger) with no
 * reset guessed; "not eligible" explains itself and never sends the user to sign in; "unavailable" backs off; a
 * rejected token is refreshed by the next resolveCredential, and needs a sign-in only if the new one is rejected too.
 */
export async function recordProviderError(
	provider: ProviderId,
	error: ProviderErrorReport,
	options: HostOptions & {readonly account?: string} = {},
): Promise<RecordedProviderError> {
	const {home} = hostContext(options);
	const account = options.account ? {id: options.account} : await resolvedAccount(provider, options);
	const now = readClock(options.now);
	return recordErrorInStore(home, provider, account.id, error, {now, ...(account.plan ? {plan: account.plan} : {})});
}

/** Forgets the errors recorded for an account (default: the one that resolves now), e.g. after the user upgraded the plan. */
export async function clearProviderErrors(
	provider: ProviderId,
	options: HostOptions & {readonly account?: string} = {},
): Promise<void> {
	const {home} = hostContext(options);
	await clearErrorsInStore(home, provider, await accountFor(provider, options.account, options));
}

/** Keeps the rate-limit headers of a provider response (x-ratelimit-*, anthropic-ratelimit-*) for the quota screen and selection. */
export async function recordRateLimitHeaders(
	provider: ProviderId,
	headers: Headers | Readonly<Record<string, string | readonly string[] | undefined>>,
	options: HostOptions & {readonly account?: string} = {},
): Promise<AccountRateLimitSnapshot | undefined> {
	const {home} = hostContext(options);
	const account = await accountFor(provider, options.account, options);
	const now = readClock(options.now);
	return recordHeadersInStore(home, provider, account, headers as Parameters<typeof recordHeadersInStore>[3], now);
}
