import {describe, expect, it} from 'vitest';
import {
	classifyProviderError,
	invalidUserState,
	PLAN_LIMIT_RETRY_MS,
	unavailableBackoffMs,
	type ReportedError,
	type ReportedErrors,
} from '../../source/core/provider-errors.js';
import type {FallbackPreferences} from '../../source/core/schemas.js';
import {
	selectProvider,
	summarizeDecision,
	type ProviderState,
	type SelectionContext,
	type TrailStep,
} from '../../source/core/selection.js';

const now = Date.parse('2026-12-01T12:00:00Z');
const MIN = 60_000;
const fallbackOn: FallbackPreferences = {
	enabled: true,
	order: ['openai', 'claude'],
	triggers: ['quota', 'rate-limit', 'auth-error', 'outage'],
	thresholdPercent: 95,
};
const claude: ProviderState = {usable: true, source: 'file', accountId: 'c1', accountLabel: 'work-key'};
const chatgpt = (
	reported: ReportedErrors,
	facts: ProviderState['accountFacts'] = {credentialSince: now - 30 * MIN, plan: 'plus', refreshable: true},
): ProviderState => ({
	usable: true,
	source: 'file',
	accountId: 'o1',
	accountLabel: 'personal',
	reported,
	accountFacts: facts,
});
const at = (ms: number, extra: Partial<ReportedError> = {}): ReportedError => ({
	at: ms,
	firstAt: ms,
	count: 1,
	...extra,
});
const ctx = (openai: ProviderState, fallback: FallbackPreferences = fallbackOn): SelectionContext => ({
	now,
	preferences: {activeProvider: 'openai', fallback},
	providers: {openai, claude},
});
const fails = (trail: TrailStep[]) => trail.filter((s) => s.result === 'fail').map((s) => `${s.provider} ${s.check}`);

describe('classifyProviderError', () => {
	it.each([
		[{status: 429, code: 'subscription_sharing_usage_limit_exceeded'}, 'plan-limit'],
		[{code: 'subscription_sharing_usage_limit_exceeded', midStream: true}, 'plan-limit'],
		[{status: 403, code: 'subscription_sharing_user_not_eligible'}, 'not-eligible'],
		[{status: 503, code: 'subscription_sharing_usage_unavailable'}, 'unavailable'],
		[{status: 503, code: 'subscription_sharing_user_unavailable'}, 'unavailable'],
		[{status: 503}, 'unavailable'],
		[{status: 401, code: 'subscription_sharing_invalid_user'}, 'invalid-user'],
		[{status: 401}, 'invalid-user'],
		[{status: 400, code: 'subscription_sharing_unsupported_capability'}, 'request'],
		[{status: 403, code: 'subscription_sharing_route_not_supported'}, 'request'],
		[{status: 403, code: 'chatpass_v2_scope_not_authorized'}, 'request'],
		[{status: 403}, 'request'],
		[{status: 429}, 'rate-limit'],
	] as const)('%j → %s', (report, kind) => {
		expect(classifyProviderError(report)).toBe(kind);
	});
});

describe('the reported errors in selection', () => {
	it('a plan usage limit (429) blocks plan use with its time and no guessed reset, and the quota trigger falls back', () => {
		const d = selectProvider(
			ctx(
				chatgpt({'plan-limit': at(now - 12 * MIN, {status: 429, code: 'subscription_sharing_usage_limit_exceeded'})}),
			),
		);
		expect(d).toMatchObject({ok: true, provider: 'claude'});
		expect(fails(d.trail)).toEqual(['openai quota']);
		const step = d.trail.find((s) => s.result === 'fail')!;
		expect(step.detail).toBe(
			'OpenAI plan usage limit hit 12 m ago; no reset time is given (Manage usage in ChatGPT settings), the plan is tried again 1 h after the hit',
		);
		expect(d.trail.find((s) => s.check === 'fallback')).toMatchObject({result: 'pass', data: {trigger: 'quota'}});
		// No reset time is claimed.
		expect(d.freesAt).toBeUndefined();
		expect(summarizeDecision(d)).toBe(
			'using Claude / work-key: OpenAI plan usage limit hit 12 m ago (fallback on quota)',
		);
	});

	it('a limit hit mid-stream blocks the same way; with fallback off there is no valid auth', () => {
		const d = selectProvider(
			ctx(chatgpt({'plan-limit': at(now - MIN, {midStream: true})}), {...fallbackOn, enabled: false}),
		);
		expect(d.ok).toBe(false);
		expect(d.trail.find((s) => s.result === 'fail')!.detail).toContain('(mid-stream)');
	});

	it('the plan is tried again an hour after the hit, without any reset being claimed before', () => {
		const d = selectProvider(ctx(chatgpt({'plan-limit': at(now - PLAN_LIMIT_RETRY_MS - 1)})));
		expect(d).toMatchObject({ok: true, provider: 'openai'});
	});

	it('not eligible (403) is explained, never sends to sign-in, and lasts until the plan changes', () => {
		const reported = {'not-eligible': at(now - 3 * MIN, {plan: 'plus'})};
		const d = selectProvider(ctx(chatgpt(reported)));
		expect(d).toMatchObject({ok: true, provider: 'claude'});
		const step = d.trail.find((s) => s.result === 'fail')!;
		expect(step).toMatchObject({check: 'auth', data: {reported: 'not-eligible'}});
		expect(step.detail).toContain('plan usage is unavailable for this account');
		expect(step.detail).toContain('signing in again will not change it; use an API key');
		expect(step.detail).not.toMatch(/tui auth login/);
		// A refresh (a newer token) does not lift it; a changed plan does.
		expect(
			selectProvider(ctx(chatgpt(reported, {credentialSince: now, plan: 'plus', refreshable: true}))),
		).toMatchObject({ok: true, provider: 'claude'});
		expect(
			selectProvider(ctx(chatgpt(reported, {credentialSince: now, plan: 'pro', refreshable: true}))),
		).toMatchObject({ok: true, provider: 'openai'});
	});

	it('unavailable (503) is transient: a bounded backoff that grows per report in a row, with its end known', () => {
		expect([1, 2, 3, 10, 50].map(unavailableBackoffMs)).toEqual([30_000, 60_000, 120_000, 900_000, 900_000]);
		const d = selectProvider(
			ctx(chatgpt({unavailable: at(now - 10_000, {code: 'subscription_sharing_usage_unavailable', status: 503})})),
		);
		expect(d).toMatchObject({ok: true, provider: 'claude', freesAt: now + 20_000});
		expect(fails(d.trail)).toEqual(['openai outage']);
		expect(d.trail.find((s) => s.check === 'fallback')).toMatchObject({data: {trigger: 'outage'}});
		expect(selectProvider(ctx(chatgpt({unavailable: at(now - 31_000)})))).toMatchObject({ok: true, provider: 'openai'});
		expect(selectProvider(ctx(chatgpt({unavailable: {...at(now - 31_000), count: 2}})))).toMatchObject({
			ok: true,
			provider: 'claude',
		});
	});

	it('401 invalid user: a refresh first; a sign-in only when the refreshed token is rejected too', () => {
		const first = at(now - MIN, {code: 'subscription_sharing_invalid_user', status: 401});
		// The token in use predates the 401: it needs a refresh.
		expect(invalidUserState({'invalid-user': first}, {credentialSince: now - 30 * MIN})).toBe('needs-refresh');
		// Refreshed after it: answered.
		expect(invalidUserState({'invalid-user': first}, {credentialSince: now - 30_000})).toBe('none');
		// Rejected again after that refresh (same streak): sign in.
		const again = {...first, at: now - 10_000, count: 2};
		expect(invalidUserState({'invalid-user': again}, {credentialSince: now - 30_000})).toBe('needs-sign-in');
		const d = selectProvider(ctx(chatgpt({'invalid-user': again}, {credentialSince: now - 30_000, refreshable: true})));
		expect(d.trail.find((s) => s.result === 'fail')!.detail).toBe(
			'OpenAI rejected the signed identity 10 s ago, again after a token refresh: sign in again',
		);
		expect(d.trail.find((s) => s.check === 'fallback')).toMatchObject({data: {trigger: 'auth-error'}});
		// A key from the environment has nothing to age against: kept for display, no block.
		expect(invalidUserState({'invalid-user': first}, {})).toBe('none');
	});

	it('with no reported errors the trail is the usual one', () => {
		const d = selectProvider(ctx(chatgpt({})));
		expect(d).toMatchObject({ok: true, provider: 'openai'});
		expect(fails(d.trail)).toEqual([]);
	});
});
