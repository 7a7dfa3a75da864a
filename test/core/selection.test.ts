import {describe, expect, it} from 'vitest';
import type {FallbackPreferences} from '../../source/core/schemas.js';
import {
	onProviderError,
	selectProvider,
	summarizeDecision,
	type ProviderState,
	type SelectionContext,
	type TrailStep,
} from '../../source/core/selection.js';

const now = Date.parse('2026-06-10T12:00:00Z');
const HOUR = 3_600_000;

const claude: ProviderState = {usable: true, source: 'file', accountId: 'c1', accountLabel: 'work-key'};
const openai: ProviderState = {usable: true, source: 'file', accountId: 'o1', accountLabel: 'personal'};
const fallbackOn: FallbackPreferences = {
	enabled: true,
	order: ['claude', 'openai'],
	triggers: ['quota', 'rate-limit', 'auth-error', 'outage'],
	thresholdPercent: 95,
};
const fallbackOff: FallbackPreferences = {...fallbackOn, enabled: false};

function ctx(
	providers: SelectionContext['providers'],
	fallback: FallbackPreferences = fallbackOn,
	activeProvider: 'claude' | 'openai' | 'none' = 'claude',
): SelectionContext {
	return {now, preferences: {...(activeProvider === 'none' ? {} : {activeProvider}), fallback}, providers};
}

/** The trail as "provider check result" triples: the shape of the reasoning, asserted in full. */
const shape = (trail: TrailStep[]) => trail.map((s) => `${s.provider} ${s.check} ${s.result}`);
const CLEAN = (p: string) => [
	`${p} credentials pass`,
	`${p} quota pass`,
	`${p} rate-limit pass`,
	`${p} auth pass`,
	`${p} outage pass`,
	`${p} sessions pass`,
];

describe('selectProvider: the flowchart', () => {
	it('1. preferred provider, usable, not blocked: chosen', () => {
		const d = selectProvider(ctx({claude: {...claude, quota: [{usedPercent: 40, name: '5h'}]}, openai}));
		expect(d).toMatchObject({ok: true, provider: 'claude', accountId: 'c1', accountLabel: 'work-key', source: 'file'});
		expect(d.freesAt).toBeUndefined();
		expect(shape(d.trail)).toEqual(['claude preferred pass', ...CLEAN('claude')]);
		expect(d.trail[0]!.detail).toBe('Claude is the preferred provider');
		expect(d.trail[1]!.detail).toBe('Claude has usable credentials (file, work-key)');
		expect(d.trail[2]!.detail).toBe('Claude quota at 40% is under the 95% threshold');
		expect(summarizeDecision(d)).toBe('using Claude / work-key: preferred, usable');
	});

	it('1b. no preferred provider set: the first in the fallback order', () => {
		const d = selectProvider(ctx({claude, openai}, {...fallbackOn, order: ['openai', 'claude']}, 'none'));
		expect(d).toMatchObject({ok: true, provider: 'openai', accountLabel: 'personal'});
		expect(d.trail[0]).toMatchObject({
			provider: 'openai',
			check: 'preferred',
			detail: 'OpenAI is first in the fallback order (no preferred provider set)',
		});
	});

	it('2a. no usable credentials, fallback off: no valid auth, with the reason', () => {
		const d = selectProvider(
			ctx({claude: {usable: false, source: 'none', reason: 'not logged in'}, openai}, fallbackOff),
		);
		expect(d.ok).toBe(false);
		if (d.ok) return;
		expect(d.reason).toBe('no valid auth');
		expect(d.reasons).toEqual(['Claude not logged in']);
		expect(shape(d.trail)).toEqual(['claude preferred pass', 'claude credentials fail', 'claude fallback fail']);
		expect(d.trail[1]!.detail).toBe('Claude has no usable credentials: not logged in');
		expect(summarizeDecision(d)).toBe('no valid auth: Claude not logged in; fallback is off');
	});

	it('2b. no credentials at all, fallback on auth-error: the next provider', () => {
		const d = selectProvider(ctx({openai}));
		expect(d).toMatchObject({ok: true, provider: 'openai', accountId: 'o1'});
		expect(shape(d.trail)).toEqual([
			'claude preferred pass',
			'claude credentials fail',
			'openai fallback pass',
			...CLEAN('openai'),
		]);
		expect(d.trail[1]!.detail).toBe('Claude has no usable credentials: no credentials');
		expect(d.freesAt).toBeUndefined();
	});

	it('3. quota at or over the threshold: falls back, and says when the preferred frees up', () => {
		const d = selectProvider(
			ctx({
				claude: {
					...claude,
					quota: [
						{usedPercent: 97, name: '5h', resetsAt: now + 2 * HOUR + 14 * 60_000},
						{usedPercent: 50, name: 'weekly'},
					],
				},
				openai,
			}),
		);
		expect(d).toMatchObject({
			ok: true,
			provider: 'openai',
			accountLabel: 'personal',
			freesAt: now + 2 * HOUR + 14 * 60_000,
		});
		expect(shape(d.trail)).toEqual([
			'claude preferred pass',
			'claude credentials pass',
			'claude quota fail',
			'claude rate-limit pass',
			'claude auth pass',
			'claude outage pass',
			'claude sessions pass',
			'openai fallback pass',
			...CLEAN('openai'),
		]);
		expect(d.trail[2]!.detail).toBe('Claude quota (5h) at 97% ≥ the 95% threshold, frees in 2 h 14 m');
		expect(d.trail[7]!.detail).toBe('fallback on quota: trying OpenAI, next in the order (claude, openai)');
		expect(summarizeDecision(d)).toBe('using OpenAI / personal: Claude quota 97% ≥ 95% (fallback on quota)');
	});

	it('3b. exactly at the threshold blocks; just under does not', () => {
		expect(selectProvider(ctx({claude: {...claude, quota: [{usedPercent: 95}]}, openai}))).toMatchObject({
			ok: true,
			provider: 'openai',
		});
		expect(selectProvider(ctx({claude: {...claude, quota: [{usedPercent: 94.9}]}, openai}))).toMatchObject({
			ok: true,
			provider: 'claude',
		});
		expect(
			selectProvider(
				ctx({claude: {...claude, quota: [{usedPercent: 81}]}, openai}, {...fallbackOn, thresholdPercent: 80}),
			),
		).toMatchObject({ok: true, provider: 'openai'});
	});

	it('4. rate limited until a future reset blocks; a past one does not', () => {
		const d = selectProvider(ctx({claude: {...claude, rateLimitedUntil: now + 200_000}, openai}));
		expect(d).toMatchObject({ok: true, provider: 'openai', freesAt: now + 200_000});
		expect(d.trail.find((s) => s.check === 'rate-limit')!.detail).toBe('Claude is rate limited for 3 m more');
		expect(summarizeDecision(d)).toBe('using OpenAI / personal: Claude rate limited for 3 m (fallback on rate-limit)');
		expect(selectProvider(ctx({claude: {...claude, rateLimitedUntil: now}, openai}))).toMatchObject({
			ok: true,
			provider: 'claude',
		});
	});

	it('5. auth failing blocks, and frees at no known time', () => {
		const d = selectProvider(ctx({claude: {...claude, authFailing: '401 from the API'}, openai}));
		expect(d).toMatchObject({ok: true, provider: 'openai'});
		expect(d.freesAt).toBeUndefined();
		expect(d.trail.find((s) => s.check === 'auth' && s.provider === 'claude')).toMatchObject({
			result: 'fail',
			detail: 'Claude auth is failing: 401 from the API',
		});
		expect(summarizeDecision(d)).toBe('using OpenAI / personal: Claude auth failing (fallback on auth-error)');
	});

	it('6. outage blocks; with the outage trigger off, fallback does not happen', () => {
		const d = selectProvider(ctx({claude: {...claude, outage: true}, openai}, {...fallbackOn, triggers: ['quota']}));
		expect(d.ok).toBe(false);
		expect(shape(d.trail)).toEqual([
			'claude preferred pass',
			'claude credentials pass',
			'claude quota pass',
			'claude rate-limit pass',
			'claude auth pass',
			'claude outage fail',
			'claude sessions pass',
			'claude fallback fail',
		]);
		expect(d.trail.at(-1)!.detail).toBe('fallback is on, but not for outage, so Claude is not left');
		expect(summarizeDecision(d)).toBe('no valid auth: Claude outage; fallback is not on outage');
		expect(selectProvider(ctx({claude: {...claude, outage: true}, openai}))).toMatchObject({
			ok: true,
			provider: 'openai',
		});
	});

	it('7. a full seat (maxConcurrentSessions) blocks as a rate limit; room does not', () => {
		const full = selectProvider(ctx({claude: {...claude, sessions: {running: 2, max: 2}}, openai}));
		expect(full).toMatchObject({ok: true, provider: 'openai'});
		expect(full.trail.find((s) => s.check === 'sessions' && s.provider === 'claude')!.detail).toBe(
			'Claude seat is full: 2 of 2 sessions running',
		);
		expect(summarizeDecision(full)).toBe(
			'using OpenAI / personal: Claude seat full (2/2 sessions) (fallback on rate-limit)',
		);
		const room = selectProvider(ctx({claude: {...claude, sessions: {running: 1, max: 2}}, openai}));
		expect(room).toMatchObject({ok: true, provider: 'claude'});
		expect(room.trail.at(-1)!.detail).toBe('Claude seat has room: 1 of 2 sessions running');
		expect(selectProvider(ctx({claude: {...claude, sessions: {running: 9}}, openai}))).toMatchObject({
			ok: true,
			provider: 'claude',
		});
	});

	it('8. blocked with fallback off: no valid auth, and freesAt says when to retry', () => {
		const d = selectProvider(
			ctx({claude: {...claude, quota: [{usedPercent: 100, resetsAt: now + HOUR}]}, openai}, fallbackOff),
		);
		expect(d).toMatchObject({ok: false, reason: 'no valid auth', freesAt: now + HOUR});
		expect(summarizeDecision(d)).toBe('no valid auth: Claude quota 100% ≥ 95%; fallback is off');
	});

	it('9. the fallback provider is blocked too: no valid auth with both reasons', () => {
		const d = selectProvider(
			ctx({claude: {...claude, quota: [{usedPercent: 99, resetsAt: now + HOUR}]}, openai: {...openai, outage: true}}),
		);
		expect(d.ok).toBe(false);
		if (d.ok) return;
		expect(d.reasons).toEqual(['Claude quota 99% ≥ 95%', 'OpenAI outage']);
		expect(d.freesAt).toBe(now + HOUR);
		expect(d.trail.at(-1)).toMatchObject({provider: 'openai', check: 'fallback', result: 'fail'});
		expect(d.trail.at(-1)!.detail).toBe('fallback on outage, but no provider is left in the order (claude, openai)');
	});

	it('10. several blocks: frees when the last lifts; unknown if any has no end', () => {
		const two = selectProvider(
			ctx({
				claude: {...claude, quota: [{usedPercent: 96, resetsAt: now + HOUR}], rateLimitedUntil: now + 2 * HOUR},
				openai,
			}),
		);
		expect(two).toMatchObject({ok: true, provider: 'openai', freesAt: now + 2 * HOUR});
		const unknown = selectProvider(
			ctx({claude: {...claude, quota: [{usedPercent: 96}], rateLimitedUntil: now + 2 * HOUR}, openai}),
		);
		expect(unknown.freesAt).toBeUndefined();
	});

	it('11. the order decides the next provider, also when the preferred is not in it', () => {
		const d = selectProvider(
			ctx({openai: {...openai, quota: [{usedPercent: 99}]}, claude}, {...fallbackOn, order: ['claude']}, 'openai'),
		);
		expect(d).toMatchObject({ok: true, provider: 'claude', accountLabel: 'work-key'});
		const only = selectProvider(ctx({claude: {...claude, outage: true}, openai}, {...fallbackOn, order: ['claude']}));
		expect(only.ok).toBe(false);
		expect(summarizeDecision(only)).toBe('no valid auth: Claude outage; no provider left in the fallback order');
	});

	it('an environment credential without a label is named by its source', () => {
		const d = selectProvider(ctx({claude: {usable: true, source: 'env'}}));
		expect(d).toMatchObject({ok: true, provider: 'claude', source: 'env'});
		expect(d.ok && d.accountId).toBeUndefined();
		expect(summarizeDecision(d)).toBe('using Claude / environment: preferred, usable');
	});

	it('is pure: the same input gives the same decision, and the input is not changed', () => {
		const input = ctx({claude: {...claude, quota: [{usedPercent: 97, resetsAt: now + HOUR}]}, openai});
		const copy = structuredClone(input);
		expect(selectProvider(input)).toEqual(selectProvider(input));
		expect(input).toEqual(copy);
	});
});

describe('onProviderError', () => {
	it('switches when fallback is on for that trigger', () => {
		for (const kind of ['quota', 'rate-limit', 'auth', 'outage'] as const)
			expect(onProviderError(kind, {fallback: fallbackOn})).toBe('switch');
	});
	it('otherwise retries transient errors once and stops on quota and auth', () => {
		for (const fallback of [fallbackOff, {...fallbackOn, triggers: []}, {...fallbackOn, order: ['claude' as const]}]) {
			expect(onProviderError('rate-limit', {fallback})).toBe('retry-once');
			expect(onProviderError('outage', {fallback})).toBe('retry-once');
			expect(onProviderError('quota', {fallback})).toBe('stop');
			expect(onProviderError('auth', {fallback})).toBe('stop');
		}
	});
	it('maps auth to the auth-error trigger only', () => {
		expect(onProviderError('auth', {fallback: {...fallbackOn, triggers: ['auth-error']}})).toBe('switch');
		expect(onProviderError('quota', {fallback: {...fallbackOn, triggers: ['auth-error']}})).toBe('stop');
	});
});
