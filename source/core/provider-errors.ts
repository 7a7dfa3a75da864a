// Errors a host reports from a provider's API, and what each means for the account that got it. The
// subscription_sharing_* codes are OpenAI's documented answers to requests made with a ChatGPT plan token
// (docs/chatgpt-plan.md); the rest falls back on the HTTP status. Pure: the store keeps the records,
// selection turns them into blocks with reasons.
import {formatDuration} from './quota.js';
import type {FallbackTrigger} from './schemas.js';

export const PLAN_ERROR_CODES = {
	usageLimit: 'subscription_sharing_usage_limit_exceeded',
	notEligible: 'subscription_sharing_user_not_eligible',
	usageUnavailable: 'subscription_sharing_usage_unavailable',
	userUnavailable: 'subscription_sharing_user_unavailable',
	invalidUser: 'subscription_sharing_invalid_user',
} as const;

/**
 * - plan-limit: the plan's usage limit for this app was hit (429, before or mid-stream); no reset time is given.
 * - not-eligible: plan usage is unavailable for this user, workspace or policy (403); a retry or sign-in will not help.
 * - unavailable: transient (503, *_usage_unavailable, *_user_unavailable, other 5xx); back off, keep credentials.
 * - invalid-user: the signed identity was not accepted (401); refresh the token, and sign in only if that fails.
 * - rate-limit: 429 without a plan code.
 * - request: the request itself was refused (unsupported capability, wrong route, grant configuration); not the account's state.
 */
export const PROVIDER_ERROR_KINDS = [
	'plan-limit',
	'not-eligible',
	'unavailable',
	'invalid-user',
	'rate-limit',
	'request',
] as const;
export type ProviderErrorClass = (typeof PROVIDER_ERROR_KINDS)[number];

export type ProviderErrorReport = {
	/** HTTP status of the response, or of the failure event's response. */
	readonly status?: number;
	/** error.code from the body or a response.failed event. */
	readonly code?: string;
	/** The provider's request id, kept for support. */
	readonly requestId?: string;
	/** True when the error came as a stream event after streaming had begun. */
	readonly midStream?: boolean;
	/** From retry-after, when the provider sent one: epoch ms. */
	readonly retryAt?: number;
};

/** One class of error as stored for an account: the latest one, and the streak it belongs to. */
export type ReportedError = {
	/** Epoch ms of the latest report. */
	readonly at: number;
	/** Epoch ms of the first report of the current streak of this class. */
	readonly firstAt: number;
	/** Reports in the streak. */
	readonly count: number;
	readonly status?: number;
	readonly code?: string;
	readonly requestId?: string;
	readonly midStream?: boolean;
	readonly retryAt?: number;
	/** The account's plan when it was reported (so a changed plan lifts "not eligible"). */
	readonly plan?: string;
};

export type ReportedErrors = Partial<Record<ProviderErrorClass, ReportedError>>;

export function classifyProviderError(report: ProviderErrorReport): ProviderErrorClass {
	const code = report.code?.trim().toLowerCase() ?? '';
	if (code === PLAN_ERROR_CODES.usageLimit) return 'plan-limit';
	if (code === PLAN_ERROR_CODES.notEligible) return 'not-eligible';
	if (code.endsWith('_usage_unavailable') || code.endsWith('_user_unavailable')) return 'unavailable';
	if (code === PLAN_ERROR_CODES.invalidUser) return 'invalid-user';
	// Other documented codes (unsupported capability, wrong route, chatpass grant configuration) are about the request.
	if (code.startsWith('subscription_sharing_') || code.startsWith('chatpass_')) return 'request';
	const status = report.status ?? 0;
	if (status === 401) return 'invalid-user';
	if (status === 429) return 'rate-limit';
	if (status >= 500 && status <= 599) return 'unavailable';
	return 'request';
}

/** Transient errors hold the provider back this long, doubling per report in a row, up to UNAVAILABLE_MAX_MS. */
export const UNAVAILABLE_BASE_MS = 30_000;
export const UNAVAILABLE_MAX_MS = 15 * 60_000;
/**
 * A plan limit has no published reset (an app-specific share can apply), so none is guessed: the block
 * shows no end, and the plan is only tried again this long after the last hit.
 */
export const PLAN_LIMIT_RETRY_MS = 60 * 60_000;

export function unavailableBackoffMs(count: number): number {
	return Math.min(UNAVAILABLE_MAX_MS, UNAVAILABLE_BASE_MS * 2 ** Math.max(0, Math.min(count, 20) - 1));
}

export type AccountFacts = {
	/** Epoch ms the current token (or key) was issued: a newer token answers an older 401. */
	readonly credentialSince?: number;
	/** The account's plan now. */
	readonly plan?: string;
	/** False for API keys: a rejected key is replaced, not refreshed. */
	readonly refreshable?: boolean;
};

export type InvalidUserState = 'none' | 'needs-refresh' | 'needs-sign-in';

/** A 401 on the current token needs a refresh; a 401 again after a refresh in the same streak needs a sign-in. */
export function invalidUserState(errors: ReportedErrors | undefined, facts: AccountFacts): InvalidUserState {
	const e = errors?.['invalid-user'];
	if (!e) return 'none';
	const since = facts.credentialSince;
	// Nothing to age it against (a key from the environment): the record is kept for display only.
	if (since === undefined || since > e.at) return 'none';
	if (facts.refreshable === false) return 'needs-sign-in';
	if (since !== undefined && since > e.firstAt) return 'needs-sign-in';
	return 'needs-refresh';
}

export type ErrorBlock = {
	readonly kind: ProviderErrorClass;
	readonly check: 'quota' | 'auth' | 'outage' | 'rate-limit';
	readonly trigger: FallbackTrigger;
	/** "ChatGPT plan usage limit hit 12 min ago". */
	readonly short: string;
	/** The sentence for the trail. */
	readonly detail: string;
	/** Known end of the block; absent when none is known. */
	readonly until?: number;
	readonly data: Record<string, unknown>;
};

const ago = (at: number, now: number) => (now - at < 1000 ? 'just now' : `${formatDuration(now - at)} ago`);

type BlockRule = (name: string, errors: ReportedErrors, facts: AccountFacts, now: number) => ErrorBlock | undefined;

const planLimitBlock: BlockRule = (name, errors, _facts, now) => {
	const limit = errors['plan-limit'];
	if (!limit || now - limit.at >= PLAN_LIMIT_RETRY_MS) return undefined;
	return {
		kind: 'plan-limit',
		check: 'quota',
		trigger: 'quota',
		short: `${name} plan usage limit hit ${ago(limit.at, now)}`,
		detail: `${name} plan usage limit hit ${ago(limit.at, now)}${limit.midStream ? ' (mid-stream)' : ''}; no reset time is given (Manage usage in ChatGPT settings), the plan is tried again ${formatDuration(PLAN_LIMIT_RETRY_MS)} after the hit`,
		data: {
			at: limit.at,
			code: limit.code ?? PLAN_ERROR_CODES.usageLimit,
			...(limit.requestId ? {requestId: limit.requestId} : {}),
		},
	};
};

const notEligibleBlock: BlockRule = (name, errors, facts) => {
	const ineligible = errors['not-eligible'];
	if (!ineligible || (ineligible.plan !== undefined && ineligible.plan !== facts.plan)) return undefined;
	return {
		kind: 'not-eligible',
		check: 'auth',
		trigger: 'auth-error',
		short: `${name} plan usage unavailable for this account`,
		detail: `${name} plan usage is unavailable for this account (its plan, workspace or policy; since ${new Date(ineligible.at).toISOString()}): signing in again will not change it; use an API key`,
		data: {at: ineligible.at, code: ineligible.code ?? PLAN_ERROR_CODES.notEligible},
	};
};

const unavailableBlock: BlockRule = (name, errors, _facts, now) => {
	const down = errors.unavailable;
	if (!down) return undefined;
	const until = down.at + unavailableBackoffMs(down.count);
	if (until <= now) return undefined;
	return {
		kind: 'unavailable',
		check: 'outage',
		trigger: 'outage',
		short: `${name} unavailable (retry in ${formatDuration(until - now)})`,
		detail: `${name} answered "unavailable" ${ago(down.at, now)}${down.count > 1 ? ` (${down.count} times in a row)` : ''}; credentials kept, retry in ${formatDuration(until - now)}`,
		until,
		data: {
			at: down.at,
			count: down.count,
			...(down.code ? {code: down.code} : {}),
			...(down.status ? {status: down.status} : {}),
		},
	};
};

/** The short line and the sentence for a rejected credential: a key, a login refreshed in vain, or a token. */
function rejectedWords(
	name: string,
	at: number,
	now: number,
	rejected: InvalidUserState,
	refreshable: boolean | undefined,
): {short: string; detail: string} {
	if (refreshable === false)
		return {
			short: `${name} rejected the key`,
			detail: `${name} rejected the key ${ago(at, now)}: replace it (tui auth rotate)`,
		};
	if (rejected === 'needs-sign-in')
		return {
			short: `${name} rejected the login again after a refresh`,
			detail: `${name} rejected the signed identity ${ago(at, now)}, again after a token refresh: sign in again`,
		};
	return {
		short: `${name} rejected the token`,
		detail: `${name} rejected the token ${ago(at, now)}: it needs a refresh`,
	};
}

const invalidUserBlock: BlockRule = (name, errors, facts, now) => {
	const rejected = invalidUserState(errors, facts);
	if (rejected === 'none') return undefined;
	const e = errors['invalid-user']!;
	return {
		kind: 'invalid-user',
		check: 'auth',
		trigger: 'auth-error',
		...rejectedWords(name, e.at, now, rejected, facts.refreshable),
		data: {at: e.at, state: rejected, ...(e.code ? {code: e.code} : {})},
	};
};

const rateLimitBlock: BlockRule = (name, errors, _facts, now) => {
	const limited = errors['rate-limit'];
	if (limited?.retryAt === undefined || limited.retryAt <= now) return undefined;
	return {
		kind: 'rate-limit',
		check: 'rate-limit',
		trigger: 'rate-limit',
		short: `${name} rate limited for ${formatDuration(limited.retryAt - now)}`,
		detail: `${name} answered 429 ${ago(limited.at, now)}; retry after ${formatDuration(limited.retryAt - now)}`,
		until: limited.retryAt,
		data: {at: limited.at, until: limited.retryAt},
	};
};

/** In the order the trail lists them. */
const BLOCK_RULES: readonly BlockRule[] = [
	planLimitBlock,
	notEligibleBlock,
	unavailableBlock,
	invalidUserBlock,
	rateLimitBlock,
];

/** The blocks the reported errors put on an account now; the record stays even when its block has lifted. */
export function reportedErrorBlocks(
	name: string,
	errors: ReportedErrors | undefined,
	facts: AccountFacts,
	now: number,
): ErrorBlock[] {
	if (!errors) return [];
	return BLOCK_RULES.map((rule) => rule(name, errors, facts, now)).filter(
		(block): block is ErrorBlock => block !== undefined,
	);
}
