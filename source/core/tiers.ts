// Plans per provider, the auth-mode comparison and the recommendation the wizard highlights.
// Pure data and functions (PROVIDERS.md "Tiers", "Pros and cons", "Policy"); no I/O.
import type {AuthMode, ProviderId} from './schemas.js';

export const TIER_IDS = ['free', 'go', 'plus', 'pro', 'max-5x', 'max-20x', 'team', 'business', 'enterprise', 'edu', 'api'] as const;
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
};

const usd = (amount: number) => `$${amount}/mo`;

const TIERS: Readonly<Record<ProviderId, readonly Tier[]>> = {
	openai: [
		{id: 'free', name: 'Free', monthlyUsd: 0, priceLabel: usd(0), hasSubscription: false},
		{id: 'go', name: 'Go', monthlyUsd: undefined, priceLabel: 'regional price', hasSubscription: true},
		{id: 'plus', name: 'Plus', monthlyUsd: 20, priceLabel: usd(20), hasSubscription: true},
		{id: 'pro', name: 'Pro', monthlyUsd: 200, priceLabel: usd(200), hasSubscription: true},
		{id: 'business', name: 'Business / Team', monthlyUsd: undefined, priceLabel: 'per seat', hasSubscription: true},
		{id: 'enterprise', name: 'Enterprise', monthlyUsd: undefined, priceLabel: 'contract', hasSubscription: true},
		{id: 'edu', name: 'Edu', monthlyUsd: undefined, priceLabel: 'contract', hasSubscription: true},
		{id: 'api', name: 'API only', monthlyUsd: undefined, priceLabel: 'pay per token', hasSubscription: false},
	],
	claude: [
		{id: 'free', name: 'Free', monthlyUsd: 0, priceLabel: usd(0), hasSubscription: false},
		{id: 'pro', name: 'Pro', monthlyUsd: 20, priceLabel: usd(20), hasSubscription: true},
		{id: 'max-5x', name: 'Max 5x', monthlyUsd: 100, priceLabel: usd(100), hasSubscription: true},
		{id: 'max-20x', name: 'Max 20x', monthlyUsd: 200, priceLabel: usd(200), hasSubscription: true},
		{id: 'team', name: 'Team', monthlyUsd: undefined, priceLabel: 'per seat', hasSubscription: true},
		{id: 'enterprise', name: 'Enterprise', monthlyUsd: undefined, priceLabel: 'contract', hasSubscription: true},
		{id: 'api', name: 'API only', monthlyUsd: undefined, priceLabel: 'pay per token', hasSubscription: false},
	],
};

// OpenAI's id_token says "team" for some workspaces that the plan list calls Business.
const TIER_ALIASES: Readonly<Record<ProviderId, Readonly<Record<string, TierId>>>> = {
	openai: {team: 'business', 'api-only': 'api'},
	claude: {max: 'max-5x', max5x: 'max-5x', max20x: 'max-20x', 'api-only': 'api'},
};

export function tiersFor(provider: ProviderId): readonly Tier[] {
	return TIERS[provider];
}

/** The tier for an id or a known alias (case-insensitive); undefined when the provider has no such plan. */
export function findTier(provider: ProviderId, tierId: string): Tier | undefined {
	const wanted = tierId.trim().toLowerCase();
	const id = TIER_ALIASES[provider][wanted] ?? wanted;
	return TIERS[provider].find((tier) => tier.id === id);
}

export type Recommendation = {readonly mode: AuthMode; readonly reason: string};

export const REASON_SMALL_QUOTA = 'The subscription quota is small, and per-token use of about $0.10–0.15 per module is cheaper';
const REASON_LARGE_QUOTA = 'The quota is large: modules up to 2000 lines use the subscription, larger ones the API for its bigger context';
const REASON_API_ONLY = 'You pay per token and have no subscription, so an API key is the only mode';
const REASON_FREE = 'The Free plan has no subscription quota for coding tools; an API key costs about $0.10–0.15 per module';

/** The mode the comparison screen highlights (DESIGN.md: Pro → API, Max/Team/Enterprise → auto, API-only → API, Free → API). */
export function recommendForTier(provider: ProviderId, tierId: string): Recommendation {
	const id = findTier(provider, tierId)?.id;
	switch (id) {
		case 'max-5x':
		case 'max-20x':
		case 'team':
		case 'business':
		case 'enterprise':
		case 'edu':
			return {mode: 'auto', reason: REASON_LARGE_QUOTA};
		case 'go':
		case 'plus':
		case 'pro':
			return {mode: 'api', reason: REASON_SMALL_QUOTA};
		case 'free':
			return {mode: 'api', reason: REASON_FREE};
		case 'api':
		case undefined:
			return {mode: 'api', reason: REASON_API_ONLY};
		default: {
			const unreachable: never = id;
			return unreachable;
		}
	}
}

export type ModeAvailability =
	| {readonly available: true; readonly note?: string}
	| {readonly available: false; readonly reason: string};

export type ModeComparison = {
	readonly mode: AuthMode;
	readonly title: string;
	readonly pros: readonly string[];
	readonly cons: readonly string[];
	readonly availability: ModeAvailability;
	readonly recommended: boolean;
};

const SUBSCRIPTION_PROS = ['No per-token charge', 'Simple sign-in'];
const API_PROS = ['Up to 1M context', 'No quota use', 'Separate billing', 'Higher rate limits', 'Officially supported everywhere'];
const API_CONS = ['A key to manage', 'Pay per token, about $0.10–0.15 per module'];
const AUTO_PROS = ['Small and medium modules use the subscription', 'Modules over 2000 lines use the API'];
const AUTO_CONS = ['Needs both a subscription and a key'];

function subscriptionCons(provider: ProviderId): string[] {
	const cons = ['Uses the 5-hour and weekly quota', '200K context', 'Rate limits'];
	if (provider === 'claude') cons.push('Only through Claude Code (policy)');
	else cons.push('Unofficial: could stop working');
	return cons;
}

function subscriptionAvailability(provider: ProviderId, tier: Tier | undefined): ModeAvailability {
	if (!tier) return {available: false, reason: 'Unknown plan'};
	if (tier.id === 'api') return {available: false, reason: 'API only: there is no subscription'};
	if (!tier.hasSubscription) return {available: false, reason: `${tier.name}: no subscription quota for coding tools`};
	if (provider === 'claude') return {available: true, note: 'Via Claude Code, or a client your host app registered'};
	return {available: true, note: 'Sign in with ChatGPT: browser, device code or paste'};
}

/** Subscription, API key and auto side by side for this provider and plan. */
export function compareModes(provider: ProviderId, tierId: string): readonly ModeComparison[] {
	const tier = findTier(provider, tierId);
	const recommended = recommendForTier(provider, tierId).mode;
	const subscription = subscriptionAvailability(provider, tier);
	return [
		{
			mode: 'subscription',
			title: 'Subscription',
			pros: SUBSCRIPTION_PROS,
			cons: subscriptionCons(provider),
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
			availability: subscription.available ? {available: true, note: 'Sign in and add a key'} : {available: false, reason: subscription.reason},
			recommended: recommended === 'auto',
		},
	];
}

/** Policy facts the user should know before choosing a subscription sign-in (PROVIDERS.md "Policy"). */
export function policyNotes(provider: ProviderId): readonly string[] {
	if (provider === 'openai') {
		return [
			'ChatGPT sign-in reuses the Codex client: unofficial, not blocked today.',
			'It could stop working any time, and carries some risk to your account.',
		];
	}
	return [
		'Since 2026-01-09, Claude subscription tokens work only in Claude Code.',
		'tui-auth delegates sign-in to the official `claude` CLI instead.',
	];
}
