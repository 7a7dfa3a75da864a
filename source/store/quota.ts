// Everything the quota screen, `tui quota --json|--line` and the host's status bar show, gathered in one pass:
// per provider and account its windows (usage endpoint for Claude OAuth logins, header snapshots for API keys,
// a pointer for delegated logins), each with its source and age; for a ChatGPT sign-in, no numbers (apps get
// none): plan usage on or off, the last limit hit the host reported, and the Manage usage link; today's spend against the budget; the
// alerts. (Which account selection would use now is added by app/quota.ts.) A failed fetch never crashes: the last good value
// (cached under usage/) is shown, marked stale with the one-line reason.
import {readClock} from '../core/clock.js';
import {TuiError} from '../core/errors.js';
import {alertLevel, isStale, type AlertLevel, type QuotaWindow} from '../core/quota.js';
import {DEFAULT_PREFERENCES, PROVIDER_IDS, PROVIDER_NAMES, type Account, type OAuthAccount, type Preferences, type ProviderId} from '../core/schemas.js';
import {statusLineWindowStale} from '../core/status-line.js';
import {needsLoginReason, safeLine} from '../core/text.js';
import type {Env} from '../providers/config-env.js';
import type {UsageResult} from '../providers/usage-fetch.js';
import {readAuthFile} from './auth-file.js';
import {PLAN_LIMIT_RETRY_MS, type ReportedErrors} from '../core/provider-errors.js';
import {CHATGPT_MANAGE_USAGE_URL, CHATGPT_PLUS_LIMIT_NOTE, chatgptPlanEligible} from '../core/tiers.js';
import {readStatusLineRecords, recordFor, type StatusLineRecord} from './claude-status-line.js';
import {API_KEY_ENV_VARS, toolName} from '../core/provider-registry.js';
import {CHATGPT_NEW_SIGN_IN, REFRESH_WINDOW_MS} from './resolve-credential.js';
import {readReportedErrors} from './provider-errors.js';
import {readCache, writeCache, type CacheEntry} from './quota-cache.js';
import {readPreferences} from './preferences.js';
import {accountKey, dayKey, dayTotalsFor, readRateLimitSnapshots, readUsageLedger, type AccountRateLimitSnapshot, type Ledger} from './usage-ledger.js';

/** The ledger and header snapshots use this account name for a key taken from the environment. */
export const ENV_ACCOUNT = 'env';
export const DEFAULT_ALERT_PERCENTS: readonly number[] = [80, 95];

export type {WindowView, SpendView, AccountStatus, ChatGPTPlanView, AccountQuota, ProviderQuota, QuotaAlert, SelectionView, QuotaReport} from './quota-view.js';
import type {WindowView, SpendView, AccountStatus, ChatGPTPlanView, AccountQuota, ProviderQuota, QuotaAlert, QuotaReport} from './quota-view.js';

/** A RefreshOAuthAccount (store/resolve-credential.ts) that is also told why; 'rejected' means the server answered 401. */
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
	/** Preferences the caller already read (config.json is then not read again). */
	readonly preferences?: Preferences;
};

// ---- gathering ----


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

/** What every stored account's view starts with. */
function storedAccountBase(provider: ProviderId, account: OAuthAccount, active: boolean) {
	return {provider, id: account.id, label: account.label, kind: account.kind, origin: 'file', active, ...(account.plan ? {plan: account.plan} : {})} as const;
}

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
		...storedAccountBase(provider, account, active),
		status: 'plan',
		windows: [],
		...(error ? {error} : {}),
		chatgpt,
		spend: spendView(shared.ledger, provider, account.id, shared.day, budget),
	};
}

type CachedUsage = Shared['cache'][string];

/** Refreshes an expiring token first, then asks the usage endpoint (a rejected token is refreshed once more). */
async function fetchUsage(provider: ProviderId, account: OAuthAccount, shared: Shared): Promise<UsageResult> {
	const {options, now} = shared;
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
		...(refreshHook ? {refresh: async () => (current = await refreshHook(current, {...ctx, reason: 'rejected'})).tokens.access} : {}),
		now: () => readClock(options.now),
		...(options.signal ? {signal: options.signal} : {}),
		...(options.timeoutMs ? {timeoutMs: options.timeoutMs} : {}),
	});
}

/** The usage figures to show: none for a login that needs renewing, the cache while it may be reused, else fetched. */
async function usageOf(provider: ProviderId, account: OAuthAccount, cached: CachedUsage | undefined, shared: Shared): Promise<{fetched?: UsageResult; error?: string}> {
	const {options, now} = shared;
	if (account.needsLogin) return {error: `needs a new login (${needsLoginReason(account.needsLogin)}); run tui auth login --provider ${provider}`};
	const reusable = cached && options.reuseCacheMs !== undefined && now - cached.observedAt >= 0 && now - cached.observedAt < options.reuseCacheMs;
	if (reusable) return {fetched: {windows: cached.windows, ...(cached.plan ? {plan: cached.plan} : {}), ...(cached.credits ? {credits: cached.credits} : {}), observedAt: cached.observedAt, refreshed: false}};
	if (options.offline) return {};
	try {
		const fetched = await fetchUsage(provider, account, shared);
		shared.cacheUpdates[accountKey(provider, account.id)] = {
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

async function oauthAccountQuota(provider: ProviderId, account: OAuthAccount, active: boolean, shared: Shared): Promise<AccountQuota> {
	const {now} = shared;
	const key = accountKey(provider, account.id);
	const budget = budgetOf(shared.preferences, provider, account.id);
	const snapshot = shared.snapshots[key];
	const cached = shared.cache[key];
	const base = {
		...storedAccountBase(provider, account, active),
		...(snapshot ? {rateLimits: snapshot} : {}),
		spend: spendView(shared.ledger, provider, account.id, shared.day, budget),
	} as const;
	const {fetched, error} = await usageOf(provider, account, cached, shared);
	const windows = usageWindows(fetched, cached, snapshot).map((w) => view(w, now, budget.alertPercents, error !== undefined && w.source === 'usage-endpoint'));
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

/** The newest of each window from the endpoint, the cache and the rate-limit headers. */
function usageWindows(fetched: UsageResult | undefined, cached: CachedUsage | undefined, snapshot: Shared['snapshots'][string] | undefined) {
	const fromEndpoint = fetched?.windows ?? [];
	// After a failed fetch the cached endpoint values are shown, stale, whatever their age.
	const fromCache = fetched ? [] : (cached?.windows ?? []);
	return newestByName(fromEndpoint, fromCache, snapshot?.windows ?? []);
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
	const tool = toolName(account.tool);
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

/** Gathers every figure (no selection: app/quota.ts adds it). Never throws for provider or file trouble: that lands in `error`/`notes`. */
export async function gatherQuotaFigures(options: GatherOptions): Promise<QuotaReport> {
	const now = readClock(options.now);
	const notes: string[] = [];
	let preferences: Preferences = options.preferences ?? DEFAULT_PREFERENCES;
	if (!options.preferences) {
		try {
			preferences = await readPreferences(options.home);
		} catch (error) {
			notes.push(errorLine(error));
		}
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
	return {generatedAt: now, providers, alerts: alertsOf(providers), notes, thresholdPercent: preferences.fallback.thresholdPercent};
}



