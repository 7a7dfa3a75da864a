// The usage endpoint's figures for an OAuth login (Claude only: OpenAI gives apps none): the token refreshed
// near expiry and once after a 401, the cached fetch reused while young enough, and the newest of each window
// among the endpoint, the cache and the rate-limit headers.
import {readClock} from '../core/clock.js';
import {errorLine, TuiError} from '../core/errors.js';
import type {QuotaWindow} from '../core/quota.js';
import type {OAuthAccount, ProviderId} from '../core/schemas.js';
import {needsLoginReason} from '../core/text.js';
import type {Env} from '../providers/config-env.js';
import type {UsageResult} from '../providers/usage-fetch.js';
import type {CacheEntry} from './quota-cache.js';
import type {GatherOptions} from './quota-view.js';
import {REFRESH_WINDOW_MS} from './resolve-credential.js';
import {accountKey, type AccountRateLimitSnapshot} from './usage-ledger.js';

/** What the usage fetch needs of one gathering pass; the fetches it makes land in cacheUpdates. */
export type UsagePass = {
	readonly options: GatherOptions;
	readonly now: number;
	readonly cacheUpdates: Record<string, CacheEntry>;
};

type Fetcher = (options: {
	env: Env;
	access: string;
	accountId?: string;
	fetch?: typeof fetch;
	refresh?: () => Promise<string>;
	now: () => number;
	signal?: AbortSignal;
	timeoutMs?: number;
}) => Promise<UsageResult>;

async function loadFetcher(): Promise<Fetcher> {
	// Loaded only when a usage endpoint is called, so the offline path stays light. Claude only: OpenAI has none for apps.
	return (await import('../providers/claude-usage.js')).fetchClaudeUsage;
}

/** Refreshes an expiring token first, then asks the usage endpoint (a rejected token is refreshed once more). */
async function fetchUsage(provider: ProviderId, account: OAuthAccount, pass: UsagePass): Promise<UsageResult> {
	const {options, now} = pass;
	let current = account;
	const refreshHook = options.refresh;
	const ctx = {provider, home: options.home, env: options.env};
	if (current.tokens.expiresAt - now <= REFRESH_WINDOW_MS) {
		if (!refreshHook) throw new TuiError(`the token expired; run tui auth login --provider ${provider}`);
		current = await refreshHook(current, {...ctx, reason: 'expiring'});
	}
	const fetcher = await loadFetcher();
	return fetcher({
		env: options.env,
		access: current.tokens.access,
		...(current.accountId ? {accountId: current.accountId} : {}),
		...(options.fetch ? {fetch: options.fetch} : {}),
		...(refreshHook
			? {refresh: async () => (current = await refreshHook(current, {...ctx, reason: 'rejected'})).tokens.access}
			: {}),
		now: () => readClock(options.now),
		...(options.signal ? {signal: options.signal} : {}),
		...(options.timeoutMs ? {timeoutMs: options.timeoutMs} : {}),
	});
}

/** The usage figures to show: none for a login that needs renewing, the cache while it may be reused, else fetched. */
export async function usageOf(
	provider: ProviderId,
	account: OAuthAccount,
	cached: CacheEntry | undefined,
	pass: UsagePass,
): Promise<{fetched?: UsageResult; error?: string}> {
	const {options, now} = pass;
	if (account.needsLogin)
		return {
			error: `needs a new login (${needsLoginReason(account.needsLogin)}); run tui auth login --provider ${provider}`,
		};
	const reusable =
		cached &&
		options.reuseCacheMs !== undefined &&
		now - cached.observedAt >= 0 &&
		now - cached.observedAt < options.reuseCacheMs;
	if (reusable)
		return {
			fetched: {
				windows: cached.windows,
				...(cached.plan ? {plan: cached.plan} : {}),
				...(cached.credits ? {credits: cached.credits} : {}),
				observedAt: cached.observedAt,
				refreshed: false,
			},
		};
	if (options.offline) return {};
	try {
		const fetched = await fetchUsage(provider, account, pass);
		pass.cacheUpdates[accountKey(provider, account.id)] = {
			observedAt: fetched.observedAt,
			windows: fetched.windows,
			...(fetched.plan ? {plan: fetched.plan} : {}),
			...(fetched.credits ? {credits: fetched.credits} : {}),
		};
		return {fetched};
	} catch (caught) {
		return {error: errorLine(caught)};
	}
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

/** The newest of each window from the endpoint, the cache and the rate-limit headers. */
export function usageWindows(
	fetched: UsageResult | undefined,
	cached: CacheEntry | undefined,
	snapshot: AccountRateLimitSnapshot | undefined,
) {
	const fromEndpoint = fetched?.windows ?? [];
	// After a failed fetch the cached endpoint values are shown, stale, whatever their age.
	const fromCache = fetched ? [] : (cached?.windows ?? []);
	return newestByName(fromEndpoint, fromCache, snapshot?.windows ?? []);
}
