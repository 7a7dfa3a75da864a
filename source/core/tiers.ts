// Plans per provider, the auth-mode comparison and the recommendation the wizard highlights.
// Pure data and functions (docs/providers.md "Tiers", "Pros and cons", "Policy"); no I/O.
import type {AuthMode, ProviderId} from './schemas.js';

// Ids carry their provider ("chatgpt-pro", "claude-pro"): the same word names different plans at the two
// providers, with different terms, so no id is ever shared. The bare words stay accepted as aliases.
export const TIER_IDS = [
	'chatgpt-free',
	'chatgpt-go',
	'chatgpt-plus',
	'chatgpt-pro',
	'chatgpt-business',
	'chatgpt-enterprise',
	'chatgpt-edu',
	'openai-api',
	'claude-free',
	'claude-pro',
	'claude-max-5x',
	'claude-max-20x',
	'claude-team',
	'claude-enterprise',
	'claude-api',
] as const;
export type TierId = (typeof TIER_IDS)[number];

export type Tier = {
	readonly id: TierId;
	readonly name: string;
	/** Dollars per month; undefined when it is per seat, negotiated or regional. */
	readonly monthlyUsd: number | undefined;
	/** What to show in the price column: "$20/mo", "per seat", "pay per token". */
	readonly priceLabel: string;
	/** False for "API only" and Free: no subscription a coding tool can use. */
	readonly hasSubscription: boolean;
	/** ChatGPT only: the plan can be used by apps through Sign in with ChatGPT (Plus and Pro). */
	readonly planUsage?: boolean;
};

const usd = (amount: number) => `$${amount}/mo`;

const TIERS: Readonly<Record<ProviderId, readonly Tier[]>> = {
	openai: [
		{id: 'chatgpt-free', name: 'Free', monthlyUsd: 0, priceLabel: usd(0), hasSubscription: false, planUsage: false},
		{
			id: 'chatgpt-go',
			name: 'Go',
			monthlyUsd: undefined,
			priceLabel: 'regional price',
			hasSubscription: true,
			planUsage: false,
		},
		{id: 'chatgpt-plus', name: 'Plus', monthlyUsd: 20, priceLabel: usd(20), hasSubscription: true, planUsage: true},
		{id: 'chatgpt-pro', name: 'Pro', monthlyUsd: 200, priceLabel: usd(200), hasSubscription: true, planUsage: true},
		{
			id: 'chatgpt-business',
			name: 'Business / Team',
			monthlyUsd: undefined,
			priceLabel: 'per seat',
			hasSubscription: true,
			planUsage: false,
		},
		{
			id: 'chatgpt-enterprise',
			name: 'Enterprise',
			monthlyUsd: undefined,
			priceLabel: 'contract',
			hasSubscription: true,
			planUsage: false,
		},
		{
			id: 'chatgpt-edu',
			name: 'Edu',
			monthlyUsd: undefined,
			priceLabel: 'contract',
			hasSubscription: true,
			planUsage: false,
		},
		{
			id: 'openai-api',
			name: 'API only',
			monthlyUsd: undefined,
			priceLabel: 'pay per token',
			hasSubscription: false,
			planUsage: false,
		},
	],
	claude: [
		{id: 'claude-free', name: 'Free', monthlyUsd: 0, priceLabel: usd(0), hasSubscription: false},
		{id: 'claude-pro', name: 'Pro', monthlyUsd: 20, priceLabel: usd(20), hasSubscription: true},
		{id: 'claude-max-5x', name: 'Max 5x', monthlyUsd: 100, priceLabel: usd(100), hasSubscription: true},
		{id: 'claude-max-20x', name: 'Max 20x', monthlyUsd: 200, priceLabel: usd(200), hasSubscription: true},
		{id: 'claude-team', name: 'Team', monthlyUsd: undefined, priceLabel: 'per seat', hasSubscription: true},
		{id: 'claude-enterprise', name: 'Enterprise', monthlyUsd: undefined, priceLabel: 'contract', hasSubscription: true},
		{id: 'claude-api', name: 'API only', monthlyUsd: undefined, priceLabel: 'pay per token', hasSubscription: false},
	],
};

// The bare plan words (older preferences, --tier flags, the plan an id_token names). OpenAI's id_token says
// "team" for workspaces the plan list calls Business.
const TIER_ALIASES: Readonly<Record<ProviderId, Readonly<Record<string, TierId>>>> = {
	openai: {
		free: 'chatgpt-free',
		go: 'chatgpt-go',
		plus: 'chatgpt-plus',
		pro: 'chatgpt-pro',
		business: 'chatgpt-business',
		team: 'chatgpt-business',
		'chatgpt-team': 'chatgpt-business',
		enterprise: 'chatgpt-enterprise',
		edu: 'chatgpt-edu',
		api: 'openai-api',
		'api-only': 'openai-api',
	},
	claude: {
		free: 'claude-free',
		pro: 'claude-pro',
		max: 'claude-max-5x',
		'max-5x': 'claude-max-5x',
		max5x: 'claude-max-5x',
		'max-20x': 'claude-max-20x',
		max20x: 'claude-max-20x',
		team: 'claude-team',
		enterprise: 'claude-enterprise',
		api: 'claude-api',
		'api-only': 'claude-api',
	},
};

export function tiersFor(provider: ProviderId): readonly Tier[] {
	return TIERS[provider];
}

/** The tier for an id or a known alias (case-insensitive; spaces read as dashes); undefined when the provider has no such plan. */
export function findTier(provider: ProviderId, tierId: string): Tier | undefined {
	const wanted = tierId
		.trim()
		.toLowerCase()
		.replace(/[\s_]+/g, '-');
	const id = TIER_ALIASES[provider][wanted] ?? wanted;
	return TIERS[provider].find((tier) => tier.id === id);
}

/** Where ChatGPT's plan usage for apps is seen and limited: apps get no numbers (there is no quota endpoint). */
export const CHATGPT_MANAGE_USAGE_URL = 'https://chatgpt.com/settings/usage';
/** The plans whose usage an app may draw on through Sign in with ChatGPT. */
export const CHATGPT_PLAN_USAGE_TIERS: readonly TierId[] = ['chatgpt-plus', 'chatgpt-pro'];
export const CHATGPT_PLUS_LIMIT_NOTE = 'Plus: a 5-hour limit shared by every app';

/** Whether this ChatGPT plan (an id, alias or id_token plan word) may use the plan through apps; undefined when unknown. */
export function chatgptPlanEligible(plan: string | undefined): boolean | undefined {
	if (!plan) return undefined;
	const tier = findTier('openai', plan);
	return tier ? tier.planUsage === true : undefined;
}

export type Recommendation = {readonly mode: AuthMode; readonly reason: string};

/** What the user already has, when known: a recommendation never leans on a credential that is missing. */
export type Holdings = {readonly apiKey?: boolean; readonly subscription?: boolean};

export const REASON_SMALL_QUOTA =
	'The subscription quota is small, and per-token use of about $0.10–0.15 per module is cheaper';
const REASON_LARGE_QUOTA =
	'The quota is large: modules up to 2000 lines use the subscription, larger ones the API for its bigger context';
const REASON_API_ONLY = 'You pay per token and have no subscription, so an API key is the only mode';
const REASON_FREE =
	'The Free plan has no subscription quota for coding tools; an API key costs about $0.10–0.15 per module';
const REASON_CHATGPT_PLUS =
	'The plan comes first; an API key takes modules over 2000 lines and the time after the 5-hour limit hits';
const REASON_CHATGPT_PRO = 'Pro has no 5-hour limit, so the plan can carry the work';
const REASON_CHATGPT_PRO_KEY =
	'Pro has no 5-hour limit; with a key too, modules over 2000 lines get the API for its bigger context';
const REASON_CHATGPT_INELIGIBLE = 'ChatGPT plan usage in apps is for Plus and Pro only, so an API key is the way';

/** The mode the comparison screen highlights (docs/providers.md "Recommendation by tier", one row per provider's plan). */
export function recommendForTier(provider: ProviderId, tierId: string, holdings: Holdings = {}): Recommendation {
	const id = findTier(provider, tierId)?.id;
	switch (id) {
		case 'claude-max-5x':
		case 'claude-max-20x':
		case 'claude-team':
		case 'claude-enterprise':
			return {mode: 'auto', reason: REASON_LARGE_QUOTA};
		case 'claude-pro':
			return {mode: 'api', reason: REASON_SMALL_QUOTA};
		case 'claude-free':
			return {mode: 'api', reason: REASON_FREE};
		case 'chatgpt-plus':
			return {mode: 'auto', reason: REASON_CHATGPT_PLUS};
		case 'chatgpt-pro':
			return holdings.apiKey
				? {mode: 'auto', reason: REASON_CHATGPT_PRO_KEY}
				: {mode: 'subscription', reason: REASON_CHATGPT_PRO};
		case 'chatgpt-free':
		case 'chatgpt-go':
		case 'chatgpt-business':
		case 'chatgpt-enterprise':
		case 'chatgpt-edu':
			return {mode: 'api', reason: REASON_CHATGPT_INELIGIBLE};
		case 'claude-api':
		case 'openai-api':
		case undefined:
			return {mode: 'api', reason: REASON_API_ONLY};
		default: {
			const unreachable: never = id;
			return unreachable;
		}
	}
}

export type ModeAvailability =
	{readonly available: true; readonly note?: string} | {readonly available: false; readonly reason: string};

export type ModeComparison = {
	readonly mode: AuthMode;
	readonly title: string;
	readonly pros: readonly string[];
	readonly cons: readonly string[];
	readonly availability: ModeAvailability;
	readonly recommended: boolean;
};

const SUBSCRIPTION_PROS = ['No per-token charge', 'Simple sign-in'];
const API_PROS = [
	'Up to 1M context',
	'No quota use',
	'Separate billing',
	'Higher rate limits',
	'Officially supported everywhere',
];
const API_CONS = ['A key to manage', 'Pay per token, about $0.10–0.15 per module'];
const AUTO_PROS = ['Small and medium modules use the subscription', 'Modules over 2000 lines use the API'];
const AUTO_CONS = ['Needs both a subscription and a key'];

function subscriptionCons(provider: ProviderId, tier: Tier | undefined): string[] {
	if (provider === 'claude')
		return ['Uses the 5-hour and weekly quota', '200K context', 'Rate limits', 'Only through Claude Code (policy)'];
	// The real terms of plan usage through Sign in with ChatGPT: limits set in ChatGPT, and no numbers for apps.
	const cons = tier?.id === 'chatgpt-pro' ? [] : ['5-hour limit shared by every app'];
	cons.push('Weekly share per app, set in ChatGPT', 'No usage numbers: a Manage usage link');
	return cons;
}

function subscriptionAvailability(provider: ProviderId, tier: Tier | undefined): ModeAvailability {
	if (!tier) return {available: false, reason: 'Unknown plan'};
	if (tier.id === 'openai-api' || tier.id === 'claude-api')
		return {available: false, reason: 'API only: there is no subscription'};
	if (provider === 'openai') {
		if (!tier.planUsage) return {available: false, reason: `${tier.name}: Plus and Pro only; use an API key`};
		return {available: true, note: 'Continue with ChatGPT (browser or paste)'};
	}
	if (!tier.hasSubscription) return {available: false, reason: `${tier.name}: no subscription quota for coding tools`};
	return {available: true, note: 'Via Claude Code, or a client your host app registered'};
}

/** Subscription, API key and auto side by side for this provider and plan. */
export function compareModes(provider: ProviderId, tierId: string, holdings: Holdings = {}): readonly ModeComparison[] {
	const tier = findTier(provider, tierId);
	const recommended = recommendForTier(provider, tierId, holdings).mode;
	const subscription = subscriptionAvailability(provider, tier);
	return [
		{
			mode: 'subscription',
			title: 'Subscription',
			pros: SUBSCRIPTION_PROS,
			cons: subscriptionCons(provider, tier),
			availability: subscription,
			recommended: recommended === 'subscription',
		},
		{
			mode: 'api',
			title: 'API key',
			pros: API_PROS,
			cons: API_CONS,
			availability: {available: true},
			recommended: recommended === 'api',
		},
		{
			mode: 'auto',
			title: 'Auto',
			pros: AUTO_PROS,
			cons: AUTO_CONS,
			availability: subscription.available
				? {available: true, note: 'Sign in and add a key'}
				: {available: false, reason: subscription.reason},
			recommended: recommended === 'auto',
		},
	];
}

/** Policy facts the user should know before choosing a subscription sign-in (docs/providers.md "Policy"). */
export function policyNotes(provider: ProviderId): readonly string[] {
	if (provider === 'openai') {
		return [
			'Sign in with ChatGPT for open-source apps; no borrowed client.',
			`Plan usage: Plus and Pro only. Manage usage: ${CHATGPT_MANAGE_USAGE_URL}`,
		];
	}
	return [
		'Since 2026-01-09, Claude subscription tokens work only in Claude Code.',
		'tui-auth delegates sign-in to the official `claude` CLI instead.',
	];
}
