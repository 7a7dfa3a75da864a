import {describe, expect, it} from 'vitest';
import {parseOpenAIDuration, parseRateLimitHeaders} from '../../source/core/rate-limit-headers.js';

const now = Date.parse('2026-06-10T12:00:00Z');
const sec = (ms: number) => String(ms / 1000);

describe('parseOpenAIDuration', () => {
	it.each([
		['6m0s', 360_000],
		['1s', 1000],
		['20ms', 20],
		['1h2m3.5s', 3_723_500],
		['0.5s', 500],
	])('%s → %i ms', (text, ms) => {
		expect(parseOpenAIDuration(text)).toBe(ms);
	});
	it.each(['', 'soon', '6x', '-1s', '1s garbage', 's'])('ignores %j', (text) => {
		expect(parseOpenAIDuration(text)).toBeUndefined();
	});
});

describe('OpenAI headers', () => {
	it('reads the x-ratelimit set; x-codex-* headers (not documented for apps) are ignored', () => {
		const s = parseRateLimitHeaders(
			'openai',
			{
				'X-RateLimit-Limit-Requests': '500',
				'x-ratelimit-remaining-requests': '499',
				'x-ratelimit-reset-requests': '120ms',
				'x-ratelimit-limit-tokens': '30000',
				'x-ratelimit-remaining-tokens': '29000',
				'x-ratelimit-reset-tokens': '6m0s',
				'x-codex-primary-used-percent': '55.5',
				'x-codex-primary-window-minutes': '300',
				'x-codex-primary-reset-at': sec(now + 3_600_000),
				'x-codex-secondary-used-percent': '20',
				'x-codex-secondary-window-minutes': '10080',
				'x-codex-secondary-reset-after-seconds': '86400',
				'x-codex-credits-has-credits': 'true',
				'x-codex-credits-unlimited': 'False',
				'x-codex-credits-balance': '4.25',
			},
			now,
		);
		expect(s.requests).toEqual({limit: 500, remaining: 499, resetsAt: now + 120});
		expect(s.tokens).toEqual({limit: 30_000, remaining: 29_000, resetsAt: now + 360_000});
		expect(s.windows).toEqual([]);
		expect(s.credits).toBeUndefined();
		expect(s.rateLimitedUntil).toBeUndefined();
	});
	it('works with a fetch Headers object and array values', () => {
		const h = new Headers({
			'x-ratelimit-remaining-requests': '0',
			'x-ratelimit-reset-requests': '1s',
			'retry-after': '7',
		});
		const s = parseRateLimitHeaders('openai', h, now);
		expect(s.requests).toEqual({remaining: 0, resetsAt: now + 1000});
		expect(s.retryAt).toBe(now + 7000);
		expect(s.rateLimitedUntil).toBe(now + 7000);
		expect(parseRateLimitHeaders('openai', {'x-ratelimit-limit-tokens': ['100', '200']}, now).tokens).toEqual({
			limit: 100,
		});
	});
	it('an exhausted bucket blocks until its reset', () => {
		const s = parseRateLimitHeaders(
			'openai',
			{'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '20s'},
			now,
		);
		expect(s.rateLimitedUntil).toBe(now + 20_000);
	});
	it('ignores missing and garbage values field by field, never throws', () => {
		const s = parseRateLimitHeaders(
			'openai',
			{
				'x-ratelimit-limit-requests': 'lots',
				'x-ratelimit-remaining-requests': '12',
				'x-ratelimit-reset-requests': 'tomorrow',
				'x-ratelimit-limit-tokens': '-5',
				'retry-after': 'later',
			},
			now,
		);
		expect(s.requests).toEqual({remaining: 12});
		expect(s.tokens).toBeUndefined();
		expect(s.windows).toEqual([]);
		expect(s.retryAt).toBeUndefined();
		expect(parseRateLimitHeaders('openai', {}, now)).toEqual({provider: 'openai', observedAt: now, windows: []});
		expect(parseRateLimitHeaders('claude', null, now)).toEqual({provider: 'claude', observedAt: now, windows: []});
		const throwing = {
			get: () => {
				throw new Error('boom');
			},
		};
		expect(parseRateLimitHeaders('claude', throwing, now).windows).toEqual([]);
	});
});

describe('Anthropic headers', () => {
	it('reads every bucket with RFC 3339 resets, and retry-after', () => {
		const s = parseRateLimitHeaders(
			'claude',
			{
				'anthropic-ratelimit-requests-limit': '50',
				'anthropic-ratelimit-requests-remaining': '49',
				'anthropic-ratelimit-requests-reset': '2026-06-10T12:00:01Z',
				'anthropic-ratelimit-tokens-limit': '100000',
				'anthropic-ratelimit-tokens-remaining': '90000',
				'anthropic-ratelimit-tokens-reset': '2026-06-10T12:00:06.5Z',
				'anthropic-ratelimit-input-tokens-limit': '80000',
				'anthropic-ratelimit-input-tokens-remaining': '0',
				'anthropic-ratelimit-input-tokens-reset': '2026-06-10T14:00:30+02:00',
				'anthropic-ratelimit-output-tokens-limit': '16000',
				'anthropic-ratelimit-output-tokens-remaining': '16000',
				'anthropic-ratelimit-output-tokens-reset': '2026-06-10T12:00:00Z',
				'retry-after': 'Wed, 10 Jun 2026 12:00:45 GMT',
			},
			now,
		);
		expect(s.requests).toEqual({limit: 50, remaining: 49, resetsAt: now + 1000});
		expect(s.tokens).toEqual({limit: 100_000, remaining: 90_000, resetsAt: now + 6500});
		expect(s.inputTokens).toEqual({limit: 80_000, remaining: 0, resetsAt: now + 30_000});
		expect(s.outputTokens).toEqual({limit: 16_000, remaining: 16_000, resetsAt: now});
		expect(s.retryAt).toBe(now + 45_000);
		expect(s.rateLimitedUntil).toBe(now + 45_000);
	});
	it('reads the unified subscription headers as percent windows', () => {
		const s = parseRateLimitHeaders(
			'claude',
			{
				'anthropic-ratelimit-unified-status': 'allowed_warning',
				'anthropic-ratelimit-unified-5h-utilization': '0.97',
				'anthropic-ratelimit-unified-5h-reset': sec(now + 7_200_000),
				'anthropic-ratelimit-unified-7d-utilization': '0.4',
				'anthropic-ratelimit-unified-7d-reset': sec(now + 86_400_000),
			},
			now,
		);
		expect(s.unifiedStatus).toBe('allowed_warning');
		expect(s.windows).toEqual([
			{
				name: '5h',
				usedPercent: 97,
				windowSeconds: 18_000,
				resetsAt: now + 7_200_000,
				source: 'headers',
				observedAt: now,
			},
			{
				name: 'weekly',
				usedPercent: 40,
				windowSeconds: 604_800,
				resetsAt: now + 86_400_000,
				source: 'headers',
				observedAt: now,
			},
		]);
		expect(s.rateLimitedUntil).toBeUndefined();
	});
	it('rejected status blocks until the full window resets', () => {
		const s = parseRateLimitHeaders(
			'claude',
			{
				'anthropic-ratelimit-unified-status': 'rejected',
				'anthropic-ratelimit-unified-5h-utilization': '1.0',
				'anthropic-ratelimit-unified-5h-reset': sec(now + 600_000),
				'anthropic-ratelimit-unified-7d-utilization': '0.5',
				'anthropic-ratelimit-unified-7d-reset': sec(now + 86_400_000),
			},
			now,
		);
		expect(s.rateLimitedUntil).toBe(now + 600_000);
	});
	it('ignores garbage: non-RFC 3339 resets, bad numbers, odd status', () => {
		const s = parseRateLimitHeaders(
			'claude',
			{
				'anthropic-ratelimit-requests-limit': '1e9',
				'anthropic-ratelimit-requests-remaining': '',
				'anthropic-ratelimit-requests-reset': '1',
				'anthropic-ratelimit-tokens-reset': 'not a date',
				'anthropic-ratelimit-unified-status': '<script>',
				'anthropic-ratelimit-unified-5h-utilization': 'high',
				'anthropic-ratelimit-unified-7d-utilization': '0.5',
				'anthropic-ratelimit-unified-7d-reset': 'x',
				'retry-after': '-3',
			},
			now,
		);
		expect(s).toEqual({
			provider: 'claude',
			observedAt: now,
			windows: [{name: 'weekly', usedPercent: 50, windowSeconds: 604_800, source: 'headers', observedAt: now}],
		});
	});
	it("does not read the other provider's headers", () => {
		expect(parseRateLimitHeaders('claude', {'x-ratelimit-limit-requests': '5'}, now).requests).toBeUndefined();
		expect(parseRateLimitHeaders('openai', {'anthropic-ratelimit-requests-limit': '5'}, now).requests).toBeUndefined();
	});
});
