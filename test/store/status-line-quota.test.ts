// Windows recorded from Claude Code's status line, as the rest of tui sees them: the quota report, selection
// and its fallback trail, the agent environment's selection, and the monitor's alerts. Real files in temp homes.
import {chmod, mkdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp-home.js';
import {currentSelection} from '../../source/app/selection.js';
import {authFilePath} from '../../source/store/auth-file.js';
import {claudeCodeIdentity, FAILURE_RETRY_MS, recordStatusLineWindows} from '../../source/store/claude-status-line.js';
import {updatePreferences} from '../../source/store/preferences.js';
import {gatherQuota} from '../../source/app/quota.js';
import {createQuotaMonitor} from '../../source/app/quota-monitor.js';
import type {QuotaAlert} from '../../source/store/quota.js';

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);
const created = new Date(NOW - 86_400_000).toISOString();
const HOUR = 3_600_000;

async function home(email = 'max@example.com'): Promise<string> {
	const dir = await tempDir('tui-status-quota-');
	await mkdir(join(dir, 'auth'), {recursive: true, mode: 0o700});
	await writeFile(
		authFilePath(dir, 'claude'),
		JSON.stringify({
			version: 1,
			active: 'cc1',
			accounts: [
				{id: 'cc1', label: 'max', kind: 'delegated', tool: 'claude-code', plan: 'max', email, createdAt: created},
			],
		}),
		{mode: 0o600},
	);
	await writeFile(
		authFilePath(dir, 'openai'),
		JSON.stringify({
			version: 1,
			active: 'k1',
			accounts: [{id: 'k1', label: 'work', kind: 'api-key', key: 'sk-test-canary-4444', createdAt: created}],
		}),
		{mode: 0o600},
	);
	await updatePreferences(dir, (p) => ({
		...p,
		activeProvider: 'claude',
		fallback: {...p.fallback, enabled: true, order: ['claude', 'openai'], triggers: ['quota'], thresholdPercent: 95},
	}));
	return dir;
}

function windows(fiveHour: number, weekly: number) {
	return [
		{
			name: '5h',
			usedPercent: fiveHour,
			windowSeconds: 18_000,
			resetsAt: NOW + 2 * HOUR,
			source: 'status-line' as const,
			observedAt: NOW,
		},
		{
			name: 'weekly',
			usedPercent: weekly,
			windowSeconds: 604_800,
			resetsAt: NOW + 72 * HOUR,
			source: 'status-line' as const,
			observedAt: NOW,
		},
	];
}

describe('status-line windows in quota and selection', () => {
	it('selection falls back when the recorded five-hour window passes the threshold, with the reason in the trail', async () => {
		const dir = await home();
		await recordStatusLineWindows(dir, {
			accountId: 'cc1',
			email: 'max@example.com',
			windows: windows(96, 40),
			observedAt: NOW,
		});
		const report = await gatherQuota({home: dir, env: {}, now: NOW + 60_000, offline: true});
		const claude = report.providers.find((p) => p.provider === 'claude')!.accounts[0]!;
		expect(claude).toMatchObject({id: 'cc1', kind: 'delegated', status: 'fresh'});
		expect(claude.windows.map((w) => [w.name, w.usedPercent, w.source, w.stale, w.level])).toEqual([
			['5h', 96, 'status-line', false, 'critical'],
			['weekly', 40, 'status-line', false, 'ok'],
		]);
		expect(report.selection).toMatchObject({ok: true, provider: 'openai', account: 'k1'});
		const step = report.selection!.decision.trail.find((s) => s.provider === 'claude' && s.check === 'quota');
		expect(step).toMatchObject({
			result: 'fail',
			detail: 'Claude quota (5h) at 96% ≥ the 95% threshold, frees in 1 h 59 m',
		});
		expect(report.selection!.summary).toMatch(/openai|OpenAI/);

		// The agent environment's selection (cached figures, no network) decides the same.
		const agent = await currentSelection({home: dir, env: {}, now: NOW + 60_000});
		expect(agent.decision).toMatchObject({ok: true, provider: 'openai'});

		// Under the threshold: Claude again.
		await recordStatusLineWindows(dir, {
			accountId: 'cc1',
			email: 'max@example.com',
			windows: windows(60, 40).map((w) => ({...w, observedAt: NOW + 1000})),
			observedAt: NOW + 1000,
		});
		expect((await gatherQuota({home: dir, env: {}, now: NOW + 60_000, offline: true})).selection).toMatchObject({
			provider: 'claude',
		});
	});

	it('once the window has reset the old figure is stale and no longer blocks; older than the window is stale too', async () => {
		const dir = await home();
		await recordStatusLineWindows(dir, {
			accountId: 'cc1',
			email: 'max@example.com',
			windows: windows(99, 40),
			observedAt: NOW,
		});
		const later = await gatherQuota({home: dir, env: {}, now: NOW + 2 * HOUR, offline: true});
		const account = later.providers.find((p) => p.provider === 'claude')!.accounts[0]!;
		expect(account.status).toBe('stale');
		expect(account.windows.find((w) => w.name === '5h')).toMatchObject({stale: true, usedPercent: 99});
		expect(account.windows.find((w) => w.name === 'weekly')).toMatchObject({stale: false});
		expect(later.selection).toMatchObject({provider: 'claude'});
		// Hours old but inside its window and before its reset: still fresh (the 15-minute rule is for fetched figures).
		const earlier = await gatherQuota({home: dir, env: {}, now: NOW + HOUR, offline: true});
		expect(earlier.providers.find((p) => p.provider === 'claude')!.accounts[0]!.windows.every((w) => !w.stale)).toBe(
			true,
		);
	});

	it('windows recorded under another email never show on the account', async () => {
		const dir = await home('someone-else@example.com');
		await recordStatusLineWindows(dir, {
			accountId: 'cc1',
			email: 'max@example.com',
			windows: windows(99, 99),
			observedAt: NOW,
		});
		const report = await gatherQuota({home: dir, env: {}, now: NOW, offline: true});
		expect(report.providers.find((p) => p.provider === 'claude')!.accounts[0]).toMatchObject({
			status: 'delegated',
			windows: [],
			note: 'managed by Claude Code — run /usage there',
		});
		expect(report.selection).toMatchObject({provider: 'claude'});
	});

	it('createQuotaMonitor alerts at 80% and 95% on the status-line windows', async () => {
		const dir = await home();
		let now = NOW;
		const monitor = createQuotaMonitor({home: dir, env: {}, now: () => now, offline: true});
		const alerts: QuotaAlert[] = [];
		monitor.on('alert', (a) => alerts.push(a));
		await recordStatusLineWindows(dir, {
			accountId: 'cc1',
			email: 'max@example.com',
			windows: windows(70, 10),
			observedAt: now,
		});
		await monitor.check();
		expect(alerts).toEqual([]);
		now += 1000;
		await recordStatusLineWindows(dir, {
			accountId: 'cc1',
			email: 'max@example.com',
			windows: windows(85, 10).map((w) => ({...w, observedAt: now})),
			observedAt: now,
		});
		await monitor.check();
		now += 1000;
		await recordStatusLineWindows(dir, {
			accountId: 'cc1',
			email: 'max@example.com',
			windows: windows(96, 10).map((w) => ({...w, observedAt: now})),
			observedAt: now,
		});
		await monitor.check();
		expect(alerts.map((a) => [a.provider, a.account, a.name, a.level, a.threshold])).toEqual([
			['claude', 'cc1', '5h', 'warning', 80],
			['claude', 'cc1', '5h', 'critical', 95],
		]);
		expect(alerts[1]!.message).toBe('Claude max: 5h window at 96% (≥ 95%)');
	});
});

describe('which account Claude Code is signed in to', () => {
	it('asks `claude auth status` once, then again only after a login changes its files; a failure is remembered for a while', async () => {
		const dir = await home();
		const bin = join(dir, 'bin');
		const config = join(dir, 'claude-config');
		await mkdir(bin);
		await mkdir(config);
		const log = join(bin, 'calls.log');
		await writeFile(join(bin, 'answer.txt'), 'not json');
		await writeFile(join(bin, 'claude'), `#!/bin/sh\necho "$*" >> '${log}'\ncat '${join(bin, 'answer.txt')}'\n`);
		await chmod(join(bin, 'claude'), 0o755);
		const env = {PATH: `${bin}:${process.env.PATH}`, CLAUDE_CONFIG_DIR: config, HOME: dir};
		const calls = async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

		await expect(claudeCodeIdentity({env, home: dir, now: NOW})).rejects.toThrow(/did not report a login state/);
		const afterFailure = await calls();
		expect(afterFailure).toBeGreaterThan(0);
		await expect(claudeCodeIdentity({env, home: dir, now: NOW + 60_000})).rejects.toThrow(/asked 60 s ago/);
		expect(await calls()).toBe(afterFailure);

		await writeFile(join(bin, 'answer.txt'), JSON.stringify({loggedIn: true, email: 'max@example.com'}));
		const later = NOW + FAILURE_RETRY_MS;
		expect(await claudeCodeIdentity({env, home: dir, now: later})).toEqual({
			loggedIn: true,
			email: 'max@example.com',
			cached: false,
		});
		const asked = await calls();
		expect(await claudeCodeIdentity({env, home: dir, now: later + 1000})).toEqual({
			loggedIn: true,
			email: 'max@example.com',
			cached: true,
		});
		expect(await calls()).toBe(asked);

		// A login rewrites Claude Code's files: the cached answer is not trusted any more.
		await writeFile(join(bin, 'answer.txt'), JSON.stringify({loggedIn: true, email: 'pro@example.com'}));
		await writeFile(join(config, '.credentials.json'), '{}');
		expect(await claudeCodeIdentity({env, home: dir, now: later + 2000})).toEqual({
			loggedIn: true,
			email: 'pro@example.com',
			cached: false,
		});
		expect(await calls()).toBe(asked + 1);
	});
});
