// One account's quota view, by kind: a Claude OAuth login (usage endpoint and headers), a ChatGPT sign-in (no
// numbers: plan usage, the last limit hit and the Manage usage link), an API key (header snapshots), a delegated
// login (Claude Code's status line, else a pointer); each with today's spend against its budget.
import {alertLevel, isStale, type QuotaWindow} from '../core/quota.js';
import {
	DEFAULT_ALERT_PERCENTS,
	type Account,
	type OAuthAccount,
	type Preferences,
	type ProviderId,
} from '../core/schemas.js';
import {statusLineWindowStale} from '../core/status-line.js';
import {safeLine} from '../core/text.js';
import {PLAN_LIMIT_RETRY_MS, type ReportedErrors} from '../core/provider-errors.js';
import {CHATGPT_MANAGE_USAGE_URL, CHATGPT_PLUS_LIMIT_NOTE, chatgptPlanEligible} from '../core/tiers.js';
import {toolName} from '../core/provider-registry.js';
import {recordFor, type StatusLineRecord} from './claude-status-line.js';
import type {CacheEntry} from './quota-cache.js';
import {usageOf, usageWindows, type UsagePass} from './quota-usage.js';
import type {AccountQuota, AccountStatus, ChatGPTPlanView, SpendView, WindowView} from './quota-view.js';
import {CHATGPT_NEW_SIGN_IN} from './resolve-credential.js';
import {accountKey, dayTotalsFor, type AccountRateLimitSnapshot, type Ledger} from './usage-ledger.js';

/** What one gathering pass has read, shared by every account's view. */
export type GatherPass = UsagePass & {
	readonly preferences: Preferences;
	readonly ledger: Ledger;
	readonly snapshots: Readonly<Record<string, AccountRateLimitSnapshot>>;
	readonly cache: Record<string, CacheEntry>;
	readonly day: string;
	readonly reported: Readonly<Record<string, ReportedErrors>>;
	/** Windows from Claude Code's status line, per delegated account. */
	readonly statusLine?: Readonly<Record<string, StatusLineRecord>>;
};

function budgetOf(
	preferences: Preferences,
	provider: ProviderId,
	id: string,
): {maxCostPerDay?: number; alertPercents: readonly number[]} {
	const budget = preferences.budgets[accountKey(provider, id)];
	return {
		...(budget?.maxCostPerDay !== undefined ? {maxCostPerDay: budget.maxCostPerDay} : {}),
		alertPercents: budget?.alertPercents?.length ? budget.alertPercents : DEFAULT_ALERT_PERCENTS,
	};
}

function spendView(
	ledger: Ledger,
	provider: ProviderId,
	id: string,
	day: string,
	budget: ReturnType<typeof budgetOf>,
): SpendView {
	const today = dayTotalsFor(ledger, provider, id, day);
	if (budget.maxCostPerDay === undefined) return {day, today, level: 'ok', alertPercents: budget.alertPercents};
	const percent = (today.costUsd / budget.maxCostPerDay) * 100;
	return {
		day,
		today,
		maxCostPerDay: budget.maxCostPerDay,
		percent,
		level: alertLevel(percent, budget.alertPercents),
		alertPercents: budget.alertPercents,
	};
}

function view(window: QuotaWindow, now: number, alertPercents: readonly number[], forceStale: boolean): WindowView {
	// Claude Code's status line reports only while it runs: its figure holds until the window could have reset.
	const stale = window.source === 'status-line' ? statusLineWindowStale(window, now) : isStale(window.observedAt, now);
	return {
		...window,
		stale: forceStale || stale,
		level: alertLevel(window.usedPercent, alertPercents),
		ageMs: Math.max(0, now - window.observedAt),
	};
}

const CHATGPT_TERMS: readonly string[] = [
	CHATGPT_PLUS_LIMIT_NOTE,
	"Each app's weekly share is set in ChatGPT settings",
	'Apps get no usage numbers',
];

/** What every stored account's view starts with. */
function storedAccountBase(provider: ProviderId, account: OAuthAccount, active: boolean) {
	return {
		provider,
		id: account.id,
		label: account.label,
		kind: account.kind,
		origin: 'file',
		active,
		...(account.plan ? {plan: account.plan} : {}),
	} as const;
}

export function chatgptAccountQuota(account: OAuthAccount, active: boolean, shared: GatherPass): AccountQuota {
	const provider = 'openai';
	const budget = budgetOf(shared.preferences, provider, account.id);
	const reported = shared.reported[accountKey(provider, account.id)];
	const limit = reported?.['plan-limit'];
	const eligible = chatgptPlanEligible(account.plan);
	const chatgpt: ChatGPTPlanView = {
		planEnabled: account.planEnabled === true,
		...(account.plan ? {plan: account.plan} : {}),
		...(eligible !== undefined ? {eligible} : {}),
		...(limit
			? {lastLimitAt: limit.at, ...(limit.midStream !== undefined ? {lastLimitMidStream: limit.midStream} : {})}
			: {}),
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

export async function oauthAccountQuota(
	provider: ProviderId,
	account: OAuthAccount,
	active: boolean,
	shared: GatherPass,
): Promise<AccountQuota> {
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
	const windows = usageWindows(fetched, cached, snapshot).map((w) =>
		view(w, now, budget.alertPercents, error !== undefined && w.source === 'usage-endpoint'),
	);
	const credits = fetched?.credits ?? cached?.credits ?? snapshot?.credits;
	const plan = fetched?.plan ?? account.plan ?? cached?.plan;
	const status: AccountStatus =
		windows.length === 0 ? 'none' : windows.some((w) => w.stale) || error ? 'stale' : 'fresh';
	return {
		...base,
		...(plan ? {plan} : {}),
		status,
		windows,
		...(credits ? {credits} : {}),
		...(error ? {error} : {}),
	};
}

export function headerAccountQuota(
	provider: ProviderId,
	id: string,
	label: string,
	origin: string,
	active: boolean,
	shared: GatherPass,
): AccountQuota {
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

export function delegatedAccountQuota(
	provider: ProviderId,
	account: Extract<Account, {kind: 'delegated'}>,
	active: boolean,
	shared: GatherPass,
): AccountQuota {
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
