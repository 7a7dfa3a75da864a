// The credential half of the library face: host apps call these with no setup. Home and environment
// default to the process's own (TUI_HOME, XDG_CONFIG_HOME, ~/.config/tui), and OAuth tokens refresh themselves.
import type {ProviderId} from './core/schemas.js';
import type {Env} from './commands/context.js';
import {resolveHome} from './store/home.js';
import {resolveCredential as resolveFromStore, type ResolvedCredential} from './store/discovery.js';
import {refreshHook} from './commands/credential-hooks.js';
import {currentSelection, type CurrentSelection} from './store/agent-env.js';
import {recordUsage as recordUsageInStore, recordRateLimitHeaders as recordHeadersInStore, type RecordedUsage} from './store/usage-ledger.js';
import {ENV_ACCOUNT} from './store/quota.js';
import type {AccountRateLimitSnapshot} from './store/usage-ledger.js';

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
export async function resolveCredential(provider: ProviderId, options: HostOptions & {readonly explicit?: string} = {}): Promise<ResolvedCredential> {
	const {home, env} = hostContext(options);
	return resolveFromStore(provider, {home, env, refresh: refreshHook(), ...(options.explicit ? {explicit: options.explicit} : {}), ...(options.now !== undefined ? {now: options.now} : {})});
}

/**
 * Which provider and account to use now (preferred → usable → not blocked → fallback), with the trail of
 * reasons. `decision.ok` false means "no valid auth"; its `reasons` say why.
 */
export async function selectProvider(options: HostOptions & {readonly provider?: ProviderId} = {}): Promise<CurrentSelection> {
	const {home, env} = hostContext(options);
	return currentSelection({home, env, refresh: refreshHook(), ...(options.provider ? {provider: options.provider} : {}), ...(options.now !== undefined ? {now: options.now} : {})});
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
	if (account) return account;
	const {home, env} = hostContext(options);
	const resolved = await resolveFromStore(provider, {home, env});
	return resolved.source === 'file' && resolved.account ? resolved.account.id : ENV_ACCOUNT;
}

/** Adds a call's tokens and estimated cost to today's ledger (atomic, locked; safe from many processes). */
export async function recordUsage(report: UsageReport, options: HostOptions = {}): Promise<RecordedUsage> {
	const {home} = hostContext(options);
	const account = await accountFor(report.provider, report.account, options);
	return recordUsageInStore(home, {provider: report.provider, account, model: report.model, inputTokens: report.inputTokens, outputTokens: report.outputTokens, ...(report.at !== undefined ? {at: report.at} : {})});
}

/** Keeps the rate-limit headers of a provider response (x-ratelimit-*, x-codex-*, anthropic-ratelimit-*) for the quota screen and selection. */
export async function recordRateLimitHeaders(
	provider: ProviderId,
	headers: Headers | Readonly<Record<string, string | readonly string[] | undefined>>,
	options: HostOptions & {readonly account?: string} = {},
): Promise<AccountRateLimitSnapshot | undefined> {
	const {home} = hostContext(options);
	const account = await accountFor(provider, options.account, options);
	const now = typeof options.now === 'function' ? options.now() : (options.now ?? Date.now());
	return recordHeadersInStore(home, provider, account, headers as Parameters<typeof recordHeadersInStore>[3], now);
}
