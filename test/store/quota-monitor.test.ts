// The alerts event API for hosts: once per crossing, again only after rising further or clearing.
import {describe, expect, it, vi} from 'vitest';
import {until} from '../helpers/wait.js';
import {createQuotaMonitor} from '../../source/app/quota-monitor.js';
import type {QuotaAlert, QuotaReport} from '../../source/store/quota.js';
import {recordRateLimitHeaders} from '../../source/store/usage-ledger.js';
import {ENV, NOW, seedHome} from '../ui/quota-fixture.js';

describe('createQuotaMonitor', () => {
	it('emits each alert once per crossing of a seeded home, and again when it rises or after it cleared', async () => {
		const home = await seedHome(NOW);
		let now = NOW;
		const monitor = createQuotaMonitor({home, env: ENV, now: () => now, offline: true});
		const alerts: QuotaAlert[] = [];
		const cleared: string[] = [];
		monitor.on('alert', (alert) => alerts.push(alert));
		monitor.on('clear', (c) => cleared.push(`${c.provider}/${c.name}`));

		await monitor.check();
		expect(alerts.map((a) => `${a.provider}/${a.name}:${a.level}`)).toEqual([
			'openai/daily spend:warning',
			'claude/5h:warning',
			'claude/weekly:exhausted',
		]);
		await monitor.check();
		expect(alerts).toHaveLength(3);

		// Claude's 5h window rises past 80%, then past 95%: one alert each.
		now += 1000;
		await recordRateLimitHeaders(home, 'claude', 'env', {'anthropic-ratelimit-unified-5h-utilization': '0.81'}, now);
		await monitor.check();
		now += 1000;
		await recordRateLimitHeaders(home, 'claude', 'env', {'anthropic-ratelimit-unified-5h-utilization': '0.97'}, now);
		await monitor.check();
		await monitor.check();
		expect(alerts.slice(3).map((a) => `${a.provider}/${a.name}:${a.level}:${a.threshold}`)).toEqual([
			'claude/5h:warning:80',
			'claude/5h:critical:95',
		]);

		// The window resets (the new snapshot drops the weekly figure too): cleared, then a new crossing alerts again.
		now += 1000;
		await recordRateLimitHeaders(home, 'claude', 'env', {'anthropic-ratelimit-unified-5h-utilization': '0.10'}, now);
		await monitor.check();
		expect(cleared).toEqual(['claude/5h']);
		now += 1000;
		await recordRateLimitHeaders(home, 'claude', 'env', {'anthropic-ratelimit-unified-5h-utilization': '0.85'}, now);
		await monitor.check();
		expect(alerts.slice(5).map((a) => `${a.provider}/${a.name}:${a.level}`)).toEqual(['claude/5h:warning']);
	});

	it('start() checks on its interval and stop() ends it', async () => {
		// Only the interval is faked, so the checks' file reads and the waits below stay real.
		vi.useFakeTimers({toFake: ['setInterval', 'clearInterval']});
		try {
			const home = await seedHome(NOW);
			const monitor = createQuotaMonitor({home, env: ENV, now: NOW, offline: true, intervalMs: 30});
			const checks = vi.spyOn(monitor, 'check');
			const reports: QuotaReport[] = [];
			monitor.on('update', (r) => reports.push(r));
			monitor.start();
			await until(() => reports.length >= 1, 'the check start() makes at once');
			for (const expected of [2, 3]) {
				vi.advanceTimersByTime(30);
				await until(() => reports.length >= expected, `check ${expected}, one interval later`);
			}
			monitor.stop();
			const settled = checks.mock.calls.length;
			vi.advanceTimersByTime(300);
			expect(checks.mock.calls.length).toBe(settled);
			expect(vi.getTimerCount()).toBe(0);
		} finally {
			vi.useRealTimers();
		}
	});
});
