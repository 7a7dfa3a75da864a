// A temp home seeded the way a host app fills it: header snapshots, a ledger, a budget and a reported plan limit; then the real gatherQuota.
import {join} from 'node:path';
import {updatePreferences} from '../../source/store/preferences.js';
import {gatherQuota} from '../../source/app/quota.js';
import type {QuotaReport} from '../../source/store/quota.js';
import {recordRateLimitHeaders, recordUsage} from '../../source/store/usage-ledger.js';
import {addAccount} from '../../source/core/accounts.js';
import {updateAuthFile} from '../../source/store/auth-file.js';
import {recordProviderError} from '../../source/store/provider-errors.js';
import {tempHome} from '../helpers/temp-home.js';

/** 2026-11-23 12:16:00 UTC. */
export const NOW = Date.UTC(2026, 10, 23, 12, 16, 0);
export const ENV = {
	OPENAI_API_KEY: 'sk-test-openai-canary-0000',
	ANTHROPIC_API_KEY: 'sk-ant-test-canary-1111',
} as const;

export async function seedHome(now = NOW): Promise<string> {
	const home = await tempHome('tui-quota-');
	const s = (ms: number) => String(Math.round(ms / 1000));
	// A stored Claude API key beside the environment's: 5h at 85% (resets in 2 h 14 m → 14:30), weekly full, seen 12 s ago.
	await updateAuthFile(home, 'claude', (file) => ({
		file: addAccount(
			file,
			{kind: 'api-key', label: 'team', key: 'sk-ant-test-canary-2222'},
			{now, newId: () => 'acc_team'},
		).file,
		result: undefined,
	}));
	await recordRateLimitHeaders(
		home,
		'claude',
		'acc_team',
		{
			'anthropic-ratelimit-unified-status': 'allowed_warning',
			'anthropic-ratelimit-unified-5h-utilization': '0.85',
			'anthropic-ratelimit-unified-5h-reset': s(now + (2 * 60 + 14) * 60_000),
			'anthropic-ratelimit-unified-7d-utilization': '1',
			'anthropic-ratelimit-unified-7d-reset': s(now + 3 * 86_400_000),
		},
		now - 12_000,
	);
	// Claude from the environment: unified 5h 43%, weekly 71%, seen 5 s ago.
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
	// OpenAI from the environment: the API key's request bucket, seen 12 s ago.
	await recordRateLimitHeaders(
		home,
		'openai',
		'env',
		{'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '499'},
		now - 12_000,
	);
	// A ChatGPT sign-in (shadowed by the key): plan usage on, a usage limit hit 12 minutes ago.
	await updateAuthFile(home, 'openai', (file) => ({
		file: addAccount(
			file,
			{
				kind: 'oauth',
				label: 'personal',
				email: 'me@example.com',
				plan: 'plus',
				clientId: 'oaiapp_fixture',
				planEnabled: true,
				tokens: {
					access: 'plan-token-canary-3333',
					refresh: 'refresh-canary',
					expiresAt: now + 3_600_000,
					refreshedAt: now - 3_600_000,
				},
			},
			{now: now - 3_600_000, newId: () => 'acc_plan'},
		).file,
		result: undefined,
	}));
	await recordProviderError(
		home,
		'openai',
		'acc_plan',
		{status: 429, code: 'subscription_sharing_usage_limit_exceeded'},
		{now: now - 12 * 60_000, plan: 'plus'},
	);
	// $1.00 of a $1.20 budget today (83%).
	await recordUsage(home, {
		provider: 'openai',
		account: 'env',
		model: 'gpt-5',
		inputTokens: 400_000,
		outputTokens: 50_000,
		at: now,
	});
	await updatePreferences(home, (p) => ({
		...p,
		activeProvider: 'claude',
		budgets: {'openai/env': {maxCostPerDay: 1.2, alertPercents: [80, 95]}},
	}));
	return home;
}

export async function seededReport(now = NOW): Promise<{home: string; report: QuotaReport}> {
	const home = await seedHome(now);
	return {home, report: await gatherQuota({home, env: ENV, now, offline: true})};
}
