// gatherQuota over stored accounts of every kind (no network: offline), with header snapshots and budgets.
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {authFilePath} from '../../source/store/auth-file.js';
import {updatePreferences} from '../../source/store/preferences.js';
import {gatherQuota} from '../../source/app/quota.js';
import {recordRateLimitHeaders, recordUsage} from '../../source/store/usage-ledger.js';

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);
const created = new Date(NOW - 86_400_000).toISOString();

async function homeWithAccounts(): Promise<string> {
	const home = await tempHome('tui-gather-');
	await mkdir(join(home, 'auth'), {recursive: true, mode: 0o700});
	await writeFile(
		authFilePath(home, 'claude'),
		JSON.stringify({
			version: 1,
			active: 'cc1',
			accounts: [{id: 'cc1', label: 'claude-code', kind: 'delegated', tool: 'claude-code', createdAt: created}],
		}),
		{mode: 0o600},
	);
	await writeFile(
		authFilePath(home, 'openai'),
		JSON.stringify({
			version: 1,
			active: 'k1',
			accounts: [
				{id: 'k1', label: 'work', kind: 'api-key', key: 'sk-test-canary-2222', createdAt: created},
				{id: 'k2', label: 'spare', kind: 'api-key', key: 'sk-test-canary-3333', createdAt: created},
			],
		}),
		{mode: 0o600},
	);
	return home;
}

describe('gatherQuota', () => {
	it('delegated → "managed by Claude Code"; api keys → their own header snapshots; missing → a hint, never a crash', async () => {
		const home = await homeWithAccounts();
		await recordRateLimitHeaders(
			home,
			'openai',
			'k1',
			{'x-ratelimit-limit-tokens': '30000', 'x-ratelimit-remaining-tokens': '1000', 'x-ratelimit-reset-tokens': '6m0s'},
			NOW - 3000,
		);
		const report = await gatherQuota({home, env: {}, now: NOW});
		const claude = report.providers.find((p) => p.provider === 'claude')!;
		expect(claude.accounts).toEqual([
			expect.objectContaining({
				id: 'cc1',
				kind: 'delegated',
				status: 'delegated',
				active: true,
				note: 'managed by Claude Code — run /usage there',
				windows: [],
			}),
		]);
		const [work, spare] = report.providers.find((p) => p.provider === 'openai')!.accounts;
		expect(work).toMatchObject({
			id: 'k1',
			active: true,
			status: 'fresh',
			rateLimits: {tokens: {limit: 30_000, remaining: 1000, resetsAt: NOW - 3000 + 360_000}},
		});
		expect(spare).toMatchObject({
			id: 'k2',
			active: false,
			status: 'none',
			error: 'no rate-limit headers recorded yet; they appear after the first API call',
		});
		expect(JSON.stringify(report)).not.toContain('canary');
	});

	it('an environment key is listed first and active, shadowing the stored active account', async () => {
		const home = await homeWithAccounts();
		const report = await gatherQuota({home, env: {OPENAI_API_KEY: 'sk-env-canary-4444'}, now: NOW});
		const accounts = report.providers.find((p) => p.provider === 'openai')!.accounts;
		expect(accounts.map((a) => [a.id, a.active])).toEqual([
			['env', true],
			['k1', false],
			['k2', false],
		]);
		expect(report.selection?.summary).toBe('using OpenAI / OPENAI_API_KEY: preferred, usable');
	});

	it('figures older than 15 minutes are stale; spend is compared to the budget with its own alert percents', async () => {
		const home = await homeWithAccounts();
		// A Claude key from the environment with a unified 5h window seen 16 minutes ago; the budget's alert percents apply to it.
		await recordRateLimitHeaders(
			home,
			'claude',
			'env',
			{'anthropic-ratelimit-unified-5h-utilization': '0.5'},
			NOW - 16 * 60_000,
		);
		await recordUsage(home, {
			provider: 'openai',
			account: 'k1',
			model: 'gpt-5',
			inputTokens: 800_000,
			outputTokens: 0,
			at: NOW,
		});
		await updatePreferences(home, (p) => ({
			...p,
			budgets: {'openai/k1': {maxCostPerDay: 1, alertPercents: [50, 90]}, 'claude/env': {alertPercents: [50, 90]}},
		}));
		const report = await gatherQuota({home, env: {ANTHROPIC_API_KEY: 'sk-ant-test-canary-4444'}, now: NOW});
		const key = report.providers.find((p) => p.provider === 'claude')!.accounts[0]!;
		expect(key.status).toBe('stale');
		expect(key.windows[0]).toMatchObject({
			name: '5h',
			usedPercent: 50,
			stale: true,
			ageMs: 16 * 60_000,
			level: 'warning',
		});
		const work = report.providers.find((p) => p.provider === 'openai')!.accounts[0]!;
		expect(work.spend).toMatchObject({maxCostPerDay: 1, percent: 100, level: 'exhausted'});
		expect(report.alerts.map((a) => [a.provider, a.kind, a.level, a.threshold])).toEqual([
			['openai', 'budget', 'exhausted', 100],
			['claude', 'window', 'warning', 50],
		]);
	});

	it("a corrupt auth file is that provider's one-line error; the other provider still shows", async () => {
		const home = await homeWithAccounts();
		await writeFile(authFilePath(home, 'openai'), '{not json', {mode: 0o600});
		const report = await gatherQuota({home, env: {}, now: NOW});
		const openai = report.providers.find((p) => p.provider === 'openai')!;
		expect(openai.error).toMatch(/openai\.json is corrupt/);
		expect(openai.error).not.toContain('\n');
		expect(report.providers.find((p) => p.provider === 'claude')!.accounts).toHaveLength(1);
	});
});
