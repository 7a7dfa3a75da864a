import {describe, expect, it} from 'vitest';
import {TuiError} from '../../source/core/errors.js';
import {
	alertLevel,
	formatAge,
	formatDuration,
	formatResetIn,
	isStale,
	labelWindow,
	normalizeClaudeUsage,
	progressBar,
	STALE_AFTER_MS,
	worstWindow,
} from '../../source/core/quota.js';

const at = (iso: string) => Date.parse(iso);

describe('labelWindow', () => {
	it.each([
		[18_000, '5h'],
		[18_000 * 1.04, '5h'],
		[86_400, 'daily'],
		[604_800, 'weekly'],
		[604_800 * 0.96, 'weekly'],
		[2_592_000, 'monthly'],
		[5400, '90m'],
		[7200, '2h'],
		[3 * 86_400, '3d'],
		[45, '45s'],
		[0, 'unknown'],
		[Number.NaN, 'unknown'],
	])('%d s → %s', (seconds, label) => {
		expect(labelWindow(seconds)).toBe(label);
	});
	it('outside 5% is not the named window', () => {
		expect(labelWindow(18_000 * 1.06)).not.toBe('5h');
	});
});

describe('formatResetIn across midnight and time zones', () => {
	// 22:00 UTC on 10 Jun; the reset is 3 h 12 m later, after UTC midnight.
	const now = at('2026-06-10T22:00:00Z');
	const reset = at('2026-06-11T01:12:00Z');
	it('UTC: the reset is tomorrow, so the date shows', () => {
		expect(formatResetIn(reset, now, 'UTC')).toBe('resets in 3 h 12 m (01:12 on 11 Jun)');
	});
	it('New York: both are on 10 Jun local, so only the clock', () => {
		expect(formatResetIn(reset, now, 'America/New_York')).toBe('resets in 3 h 12 m (21:12)');
	});
	it('Tokyo: both are on 11 Jun local, so only the clock', () => {
		expect(formatResetIn(reset, now, 'Asia/Tokyo')).toBe('resets in 3 h 12 m (10:12)');
	});
	it('New York crosses its own midnight where UTC does not', () => {
		const n = at('2026-06-11T03:00:00Z');
		const r = at('2026-06-11T05:00:00Z');
		expect(formatResetIn(r, n, 'UTC')).toBe('resets in 2 h (05:00)');
		expect(formatResetIn(r, n, 'America/New_York')).toBe('resets in 2 h (01:00 on 11 Jun)');
	});
	it('days, minutes, seconds and the past', () => {
		expect(formatResetIn(at('2026-06-13T23:12:00Z'), now, 'UTC')).toBe('resets in 3 d 1 h (23:12 on 13 Jun)');
		expect(formatResetIn(now + 14 * 60_000 + 59_000, now, 'UTC')).toBe('resets in 14 m (22:14)');
		expect(formatResetIn(now + 45_000, now, 'UTC')).toBe('resets in 45 s (22:00)');
		expect(formatResetIn(now - 1, now, 'UTC')).toBe('resets now (21:59)');
		expect(formatResetIn(at('2026-06-10T00:00:00Z'), at('2026-06-09T23:00:00Z'), 'UTC')).toBe(
			'resets in 1 h (00:00 on 10 Jun)',
		);
	});
	it('an unknown time zone falls back to the host zone instead of throwing', () => {
		expect(formatResetIn(reset, now, 'Not/AZone')).toBe(formatResetIn(reset, now));
	});
	it('formatDuration floors', () => {
		expect(formatDuration(2 * 3_600_000 + 14 * 60_000 + 59_999)).toBe('2 h 14 m');
		expect(formatDuration(-5)).toBe('0 s');
	});
});

describe('progressBar and alertLevel', () => {
	it('draws used cells with █ and the rest with ░', () => {
		expect(progressBar(55, 20)).toBe('███████████░░░░░░░░░');
		expect(progressBar(0, 4)).toBe('░░░░');
		expect(progressBar(100, 4)).toBe('████');
		expect(progressBar(250, 4)).toBe('████');
		expect(progressBar(-3, 4)).toBe('░░░░');
		expect(progressBar(Number.NaN, 4)).toBe('░░░░');
		expect(progressBar(50)).toHaveLength(20);
	});
	it('levels at 80 and 95 by default, and at custom alerts', () => {
		expect(alertLevel(79.9)).toBe('ok');
		expect(alertLevel(80)).toBe('warning');
		expect(alertLevel(94.9)).toBe('warning');
		expect(alertLevel(95)).toBe('critical');
		expect(alertLevel(100)).toBe('exhausted');
		expect(alertLevel(75, [95, 75, 90])).toBe('warning');
		expect(alertLevel(96, [])).toBe('ok');
	});
});

describe('staleness', () => {
	it('is stale after 15 minutes, not at exactly 15', () => {
		const now = at('2026-06-10T12:00:00Z');
		expect(isStale(now - STALE_AFTER_MS, now)).toBe(false);
		expect(isStale(now - STALE_AFTER_MS - 1, now)).toBe(true);
		expect(formatAge(now - 30_000, now)).toBe('just now');
		expect(formatAge(now - 4 * 60_000, now)).toBe('4 m ago');
	});
});

describe('normalizeClaudeUsage', () => {
	const now = at('2026-06-10T12:00:00Z');
	it('reads five_hour, seven_day and the per-model weekly windows', () => {
		const usage = normalizeClaudeUsage(
			{
				five_hour: {utilization: 97, resets_at: '2026-06-10T14:30:00.000000+00:00'},
				seven_day: {utilization: 40, resets_at: '2026-06-14T00:00:00Z'},
				seven_day_opus: null,
				seven_day_sonnet: {utilization: 12, resets_at: null},
				extra_usage: {is_enabled: false, monthly_limit: null, used_credits: null, utilization: null},
			},
			now,
		);
		expect(usage.windows).toEqual([
			{
				name: '5h',
				usedPercent: 97,
				windowSeconds: 18_000,
				resetsAt: at('2026-06-10T14:30:00Z'),
				source: 'usage-endpoint',
				observedAt: now,
			},
			{
				name: 'weekly',
				usedPercent: 40,
				windowSeconds: 604_800,
				resetsAt: at('2026-06-14T00:00:00Z'),
				source: 'usage-endpoint',
				observedAt: now,
			},
			{name: 'weekly sonnet', usedPercent: 12, windowSeconds: 604_800, source: 'usage-endpoint', observedAt: now},
		]);
		expect(usage.extraUsage).toEqual({enabled: false});
	});
	it('tolerates an empty body and a garbage reset time', () => {
		expect(normalizeClaudeUsage({}, now)).toEqual({windows: []});
		expect(normalizeClaudeUsage({five_hour: {utilization: 1, resets_at: 'soon'}}, now).windows[0]).not.toHaveProperty(
			'resetsAt',
		);
	});
	it('rejects a malformed body with one line', () => {
		expect(() => normalizeClaudeUsage([], now)).toThrow(/^Claude usage response is malformed: expected a JSON object$/);
		expect(() => normalizeClaudeUsage({five_hour: 5}, now)).toThrow(/five_hour is not an object/);
		expect(() => normalizeClaudeUsage({seven_day: {utilization: true}}, now)).toThrow(TuiError);
	});
});
