// A temp home seeded the way a host app fills it: header snapshots, a ledger and a budget; then the real gatherQuota.
import {mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {updatePreferences} from '../../source/store/preferences.js';
import {gatherQuota, type QuotaReport} from '../../source/store/quota.js';
import {recordRateLimitHeaders, recordUsage} from '../../source/store/usage-ledger.js';

/** 2026-11-23 12:16:00 UTC. */
export const NOW = Date.UTC(2026, 10, 23, 12, 16, 0);
export const ENV = {OPENAI_API_KEY: 'sk-test-openai-canary-0000', ANTHROPIC_API_KEY: 'sk-ant-test-canary-1111'} as const;

export async function seedHome(now = NOW): Promise<string> {
	const home = await mkdtemp(join(tmpdir(), 'tui-quota-'));
	const s = (ms: number) => String(Math.round(ms / 1000));
	// OpenAI: 5h at 85% (resets in 2 h 14 m → 14:30), weekly full (100%), seen 12 s ago.
	await recordRateLimitHeaders(
		home,
		'openai',
		'env',
		{
			'x-codex-primary-used-percent': '85',
			'x-codex-primary-window-minutes': '300',
			'x-codex-primary-reset-at': s(now + (2 * 60 + 14) * 60_000),
			'x-codex-secondary-used-percent': '100',
			'x-codex-secondary-window-minutes': '10080',
			'x-codex-secondary-reset-at': s(now + 3 * 86_400_000),
			'x-ratelimit-limit-requests': '500',
			'x-ratelimit-remaining-requests': '499',
		},
		now - 12_000,
	);
	// Claude: unified 5h 43%, weekly 71%, seen 5 s ago.
	await recordRateLimitHeaders(
		home,
		'claude',
		'env',
		{
			'anthropic-ratelimit-unified-status': 'allowed',
			'anthropic-ratelimit-unified-5h-utilization': '0.43',
			'anthropic-ratelimit-unified-5h-reset': s(now + 3 * 3600_000),
			'anthropic-ratelimit-unified-7d-utilization': '0.71',
			'anthropic-ratelimit-unified-7d-reset': s(now + 4 * 86_400_000),
		},
		now - 5000,
	);
	// $1.00 of a $1.20 budget today (83%).
	await recordUsage(home, {provider: 'openai', account: 'env', model: 'gpt-5', inputTokens: 400_000, outputTokens: 50_000, at: now});
	await updatePreferences(home, (p) => ({...p, activeProvider: 'claude', budgets: {'openai/env': {maxCostPerDay: 1.2, alertPercents: [80, 95]}}}));
	return home;
}

export async function seededReport(now = NOW): Promise<{home: string; report: QuotaReport}> {
	const home = await seedHome(now);
	return {home, report: await gatherQuota({home, env: ENV, now, offline: true})};
}
