// Which provider and account to use now: the one place that gathers the inputs (credentials, preferences,
// quota windows and rate limits, seats, reported errors) and hands them to the pure core/selection.ts.
// The library's selectProvider, the home screen, `tui quota`, `tui auth status` and `auth env` all call it,
// so the same home gives the same answer everywhere.
import {readClock} from '../core/clock.js';
import {selectProvider, summarizeDecision, type Decision, type ProviderState} from '../core/selection.js';
import {DEFAULT_PREFERENCES, PROVIDER_IDS, type Preferences, type ProviderId} from '../core/schemas.js';
import {windowStillCounts} from '../core/status-line.js';
import {safeLine} from '../core/text.js';
import type {ReportedErrors} from '../core/provider-errors.js';
import type {StateOptions} from '../store/home.js';
import {resolveCredential, type RefreshOAuthAccount, type ResolvedCredential} from '../store/resolve-credential.js';
import {readPreferences} from '../store/preferences.js';
import {readReportedErrorsOrNone, reportedState} from '../store/provider-errors.js';
import {ENV_ACCOUNT, type QuotaReport} from '../store/quota.js';
import {budgetKey, sessionState} from '../store/sessions.js';

/** Quota windows and rate limits per provider and account id ("env" for a key from the environment). */
export type QuotaBlocks = Readonly<
	Partial<Record<ProviderId, Readonly<Record<string, Pick<ProviderState, 'quota' | 'rateLimitedUntil'>>>>>
>;

export type SelectionOptions = StateOptions & {
	/** Only this provider (no fallback to the other). */
	readonly provider?: ProviderId;
	readonly refresh?: RefreshOAuthAccount;
	/** Default: read from <home>/config.json (the defaults, with a warning, when it cannot be read). */
	readonly preferences?: Preferences;
	/** Quota figures: false for none, given blocks, or (default) the cached figures read offline. */
	readonly quota?: boolean | QuotaBlocks;
	/** Credentials the caller already resolved (saves resolving them twice). */
	readonly resolved?: Partial<Record<ProviderId, ResolvedCredential>>;
};

export type CurrentSelection = {
	readonly decision: Decision;
	readonly resolved: Partial<Record<ProviderId, ResolvedCredential>>;
	/** The provider preferred: the saved one, else the first usable in the fallback order. */
	readonly preferred?: ProviderId;
	/** config.json could not be read; the defaults applied. */
	readonly preferencesWarning?: string;
};

/** The `selection` field of `quota --json` and `auth status --json`: the same shape in both. */
export function selectionJson(selection: Pick<CurrentSelection, 'decision'>) {
	const {decision} = selection;
	return {
		ok: decision.ok,
		provider: decision.ok ? decision.provider : null,
		account: decision.ok ? (decision.accountId ?? null) : null,
		summary: summarizeDecision(decision),
	};
}

/** The windows still counting, and a rate limit still in force, of every account in a quota report. */
export function quotaBlocksOf(report: Pick<QuotaReport, 'providers'>, now: number): QuotaBlocks {
	const out: Partial<Record<ProviderId, Record<string, Pick<ProviderState, 'quota' | 'rateLimitedUntil'>>>> = {};
	for (const p of report.providers) {
		const accounts: Record<string, Pick<ProviderState, 'quota' | 'rateLimitedUntil'>> = {};
		for (const a of p.accounts) {
			const until = a.rateLimits?.rateLimitedUntil;
			accounts[a.id] = {
				quota: a.windows
					.filter((w) => windowStillCounts(w, now))
					.map((w) => ({
						usedPercent: w.usedPercent,
						name: w.name,
						...(w.resetsAt !== undefined ? {resetsAt: w.resetsAt} : {}),
					})),
				...(until !== undefined && until > now ? {rateLimitedUntil: until} : {}),
			};
		}
		out[p.provider] = accounts;
	}
	return out;
}

/** The quota screen's last figures, read offline; best effort (none when they cannot be read). */
async function cachedBlocks(options: SelectionOptions, now: number, preferences: Preferences): Promise<QuotaBlocks> {
	try {
		const {gatherQuotaFigures} = await import('../store/quota.js');
		return quotaBlocksOf(
			await gatherQuotaFigures({home: options.home, env: options.env, now, offline: true, preferences}),
			now,
		);
	} catch {
		return {};
	}
}

async function preferencesOf(options: SelectionOptions): Promise<{prefs: Preferences; warning?: string}> {
	if (options.preferences) return {prefs: options.preferences};
	try {
		return {prefs: await readPreferences(options.home)};
	} catch (error) {
		// A bad config.json must not keep an agent from starting: the defaults apply, and callers may say so.
		return {
			prefs: structuredClone(DEFAULT_PREFERENCES),
			warning: safeLine(error instanceof Error ? error.message : String(error), 400),
		};
	}
}

async function stateOf(
	home: string,
	provider: ProviderId,
	resolved: ResolvedCredential,
	prefs: Preferences,
	blocks: QuotaBlocks,
	reported: Readonly<Record<string, ReportedErrors>>,
): Promise<ProviderState> {
	// A key from the environment is account "env", as in the usage ledger and `quota --json`.
	const id = resolved.source === 'file' ? resolved.account?.id : resolved.source === 'env' ? ENV_ACCOUNT : undefined;
	const stored = resolved.source === 'file' ? id : undefined;
	const label = resolved.account?.label ?? resolved.envVar;
	const block = id ? blocks[provider]?.[id] : undefined;
	return {
		usable: resolved.usable,
		source: resolved.source,
		...(id ? {accountId: id} : {}),
		...(label ? {accountLabel: label} : {}),
		...(!resolved.usable ? {reason: resolved.reason} : {}),
		...(block?.quota ? {quota: block.quota} : {}),
		...(block?.rateLimitedUntil !== undefined ? {rateLimitedUntil: block.rateLimitedUntil} : {}),
		...reportedState(reported, provider, id, resolved),
		// Counting cleans the sessions file (a write), so only seats with a limit are counted.
		...(stored && prefs.budgets[budgetKey(provider, stored)]?.maxConcurrentSessions !== undefined
			? {sessions: await sessionState(home, prefs, provider, stored)}
			: {}),
	};
}

/** Which provider and account to use now, with its trail of reasons. */
export async function currentSelection(options: SelectionOptions): Promise<CurrentSelection> {
	const now = readClock(options.now);
	const {prefs, warning} = await preferencesOf(options);
	const providers = options.provider ? [options.provider] : [...PROVIDER_IDS];
	const resolveOptions = {
		home: options.home,
		env: options.env,
		now,
		...(options.refresh ? {refresh: options.refresh} : {}),
	};
	const resolved = Object.fromEntries(
		await Promise.all(
			providers.map(async (p) => [p, options.resolved?.[p] ?? (await resolveCredential(p, resolveOptions))] as const),
		),
	) as Partial<Record<ProviderId, ResolvedCredential>>;
	const blocks =
		options.quota === false
			? {}
			: options.quota === true || options.quota === undefined
				? await cachedBlocks(options, now, prefs)
				: options.quota;
	const reported = await readReportedErrorsOrNone(options.home);
	const states: Partial<Record<ProviderId, ProviderState>> = {};
	for (const p of providers) states[p] = await stateOf(options.home, p, resolved[p]!, prefs, blocks, reported);
	// No preferred provider saved (a login does not save one): the first usable in the fallback order.
	const order = [...prefs.fallback.order, ...PROVIDER_IDS.filter((p) => !prefs.fallback.order.includes(p))];
	const preferred = options.provider ?? prefs.activeProvider ?? order.find((p) => resolved[p]?.usable);
	const preferences = {
		...(preferred ? {activeProvider: preferred} : {}),
		fallback: options.provider ? {...prefs.fallback, enabled: false} : prefs.fallback,
	};
	return {
		decision: selectProvider({now, preferences, providers: states}),
		resolved,
		...(preferred ? {preferred} : {}),
		...(warning ? {preferencesWarning: warning} : {}),
	};
}
