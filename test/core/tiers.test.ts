import {describe, expect, it} from 'vitest';
import {PROVIDER_IDS} from '../../source/core/schemas.js';
import {
	chatgptPlanEligible,
	compareModes,
	findTier,
	policyNotes,
	recommendForTier,
	tiersFor,
	TIER_IDS,
	REASON_SMALL_QUOTA,
	CHATGPT_MANAGE_USAGE_URL,
} from '../../source/core/tiers.js';

const price = (provider: 'openai' | 'claude', id: string) => findTier(provider, id)?.monthlyUsd;

describe('tiers', () => {
	it('lists each provider’s plans with monthly prices and API only', () => {
		expect(tiersFor('openai').map((t) => t.id)).toEqual([
			'chatgpt-free',
			'chatgpt-go',
			'chatgpt-plus',
			'chatgpt-pro',
			'chatgpt-business',
			'chatgpt-enterprise',
			'chatgpt-edu',
			'openai-api',
		]);
		expect(tiersFor('claude').map((t) => t.id)).toEqual([
			'claude-free',
			'claude-pro',
			'claude-max-5x',
			'claude-max-20x',
			'claude-team',
			'claude-enterprise',
			'claude-api',
		]);
		expect([price('openai', 'free'), price('openai', 'plus'), price('openai', 'pro')]).toEqual([0, 20, 200]);
		expect([
			price('claude', 'free'),
			price('claude', 'pro'),
			price('claude', 'max-5x'),
			price('claude', 'max-20x'),
		]).toEqual([0, 20, 100, 200]);
		expect(findTier('openai', 'business')?.priceLabel).toBe('per seat');
		expect(findTier('claude', 'team')?.priceLabel).toBe('per seat');
		expect(findTier('claude', 'api')?.priceLabel).toBe('pay per token');
	});

	it('never shares a tier id between providers', () => {
		const openai = new Set(tiersFor('openai').map((t) => t.id));
		const claude = tiersFor('claude').map((t) => t.id);
		expect(claude.filter((id) => openai.has(id))).toEqual([]);
		expect(new Set(TIER_IDS).size).toBe(openai.size + claude.length);
		// A provider's own id never resolves at the other.
		for (const id of claude) expect(findTier('openai', id)).toBeUndefined();
		for (const id of openai) expect(findTier('claude', id)).toBeUndefined();
	});

	it('finds tiers by alias and case, and not across providers', () => {
		expect(findTier('openai', 'TEAM')?.id).toBe('chatgpt-business');
		expect(findTier('openai', 'pro')?.id).toBe('chatgpt-pro');
		expect(findTier('claude', 'pro')?.id).toBe('claude-pro');
		expect(findTier('claude', 'max20x')?.id).toBe('claude-max-20x');
		expect(findTier('claude', 'Max 20x')?.id).toBe('claude-max-20x');
		expect(findTier('claude', 'plus')).toBeUndefined();
		expect(findTier('openai', 'max-5x')).toBeUndefined();
	});

	it('knows which ChatGPT plans apps may use: Plus and Pro', () => {
		expect(
			['free', 'go', 'plus', 'pro', 'team', 'business', 'enterprise', 'edu'].map((p) => [p, chatgptPlanEligible(p)]),
		).toEqual([
			['free', false],
			['go', false],
			['plus', true],
			['pro', true],
			['team', false],
			['business', false],
			['enterprise', false],
			['edu', false],
		]);
		expect(chatgptPlanEligible('galaxy')).toBeUndefined();
		expect(chatgptPlanEligible(undefined)).toBeUndefined();
	});
});

describe('recommendForTier, one recommendation per plan', () => {
	const table: Array<['openai' | 'claude', string, 'api' | 'auto' | 'subscription']> = [
		['claude', 'claude-pro', 'api'],
		['claude', 'claude-max-5x', 'auto'],
		['claude', 'claude-max-20x', 'auto'],
		['claude', 'claude-team', 'auto'],
		['claude', 'claude-enterprise', 'auto'],
		['claude', 'claude-free', 'api'],
		['claude', 'claude-api', 'api'],
		['openai', 'chatgpt-plus', 'auto'],
		['openai', 'chatgpt-pro', 'subscription'],
		['openai', 'chatgpt-free', 'api'],
		['openai', 'chatgpt-go', 'api'],
		['openai', 'chatgpt-business', 'api'],
		['openai', 'chatgpt-enterprise', 'api'],
		['openai', 'chatgpt-edu', 'api'],
		['openai', 'openai-api', 'api'],
		['openai', 'something-new', 'api'],
	];
	for (const [provider, tier, mode] of table) {
		it(`${provider} ${tier} → ${mode}`, () => {
			const recommendation = recommendForTier(provider, tier);
			expect(recommendation.mode).toBe(mode);
			expect(recommendation.reason.length).toBeGreaterThan(20);
		});
	}

	it('ChatGPT Pro with a key as well → auto; Plus and the others are unchanged by a key', () => {
		expect(recommendForTier('openai', 'pro', {apiKey: true}).mode).toBe('auto');
		expect(recommendForTier('openai', 'plus', {apiKey: true}).mode).toBe('auto');
		expect(recommendForTier('openai', 'business', {apiKey: true}).mode).toBe('api');
	});

	it('gives the reasons: small Claude Pro quota, the Plus 5-hour limit, plan usage for Plus and Pro only', () => {
		expect(recommendForTier('claude', 'pro').reason).toBe(REASON_SMALL_QUOTA);
		expect(REASON_SMALL_QUOTA).toContain('$0.10–0.15 per module');
		expect(recommendForTier('openai', 'plus').reason).toContain('5-hour limit');
		expect(recommendForTier('openai', 'pro').reason).toContain('no 5-hour limit');
		expect(recommendForTier('openai', 'enterprise').reason).toContain('Plus and Pro only');
	});
});

describe('compareModes', () => {
	it('gives subscription, API key and auto with pros, cons and exactly one recommendation', () => {
		const rows = compareModes('claude', 'max-5x');
		expect(rows.map((row) => row.mode)).toEqual(['subscription', 'api', 'auto']);
		expect(rows.filter((row) => row.recommended).map((row) => row.mode)).toEqual(['auto']);
		for (const row of rows) {
			expect(row.pros.length).toBeGreaterThan(0);
			expect(row.cons.length).toBeGreaterThan(0);
		}
		expect(rows[1]!.pros).toContain('Up to 1M context');
	});

	it('has no subscription (nor auto) on Free and API-only, for both providers', () => {
		for (const provider of PROVIDER_IDS) {
			for (const tier of ['free', 'api']) {
				const [subscription, api, auto] = compareModes(provider, tier);
				expect(subscription!.availability.available).toBe(false);
				expect(auto!.availability.available).toBe(false);
				expect(api!.availability.available).toBe(true);
			}
		}
	});

	it('offers the ChatGPT plan to Plus and Pro only, steering every other tier to an API key with the reason', () => {
		for (const tier of ['plus', 'pro']) {
			const [subscription] = compareModes('openai', tier);
			expect(subscription!.availability).toEqual({
				available: true,
				note: expect.stringContaining('Continue with ChatGPT'),
			});
		}
		for (const tier of ['go', 'business', 'enterprise', 'edu']) {
			const [subscription, api, auto] = compareModes('openai', tier);
			expect(subscription!.availability).toEqual({
				available: false,
				reason: expect.stringContaining('Plus and Pro only; use an API key'),
			});
			expect(auto!.availability.available).toBe(false);
			expect(api!.recommended).toBe(true);
		}
	});

	it('states the real ChatGPT terms: the Plus 5-hour limit, the weekly share, no usage numbers', () => {
		const plus = compareModes('openai', 'plus')[0]!.cons.join(' ');
		expect(plus).toContain('5-hour limit shared by every app');
		expect(plus).toContain('Weekly share per app, set in ChatGPT');
		expect(plus).toContain('No usage numbers: a Manage usage link');
		expect(compareModes('openai', 'pro')[0]!.cons.join(' ')).not.toContain('5-hour');
	});

	it('offers the Claude subscription only through Claude Code or a host-registered client', () => {
		const [subscription] = compareModes('claude', 'pro');
		expect(subscription!.availability).toEqual({available: true, note: expect.stringContaining('Claude Code')});
		expect(subscription!.cons.join(' ')).toContain('Only through Claude Code');
	});
});

describe('policyNotes', () => {
	it('states the OpenAI and Anthropic policies plainly', () => {
		const openai = policyNotes('openai').join(' ');
		expect(openai).toContain('Sign in with ChatGPT for open-source apps');
		expect(openai).toContain('no borrowed client');
		expect(openai).toContain('Plus and Pro only');
		expect(openai).toContain(CHATGPT_MANAGE_USAGE_URL);
		expect(openai).not.toMatch(/codex|unofficial/i);
		const claude = policyNotes('claude').join(' ');
		expect(claude).toContain('2026-01-09');
		expect(claude).toContain('only in Claude Code');
		expect(claude).toContain('`claude` CLI');
	});
});
