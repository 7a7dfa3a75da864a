import {describe, expect, it} from 'vitest';
import {PROVIDER_IDS} from '../../source/core/schemas.js';
import {compareModes, findTier, policyNotes, recommendForTier, tiersFor, REASON_SMALL_QUOTA} from '../../source/core/tiers.js';

const price = (provider: 'openai' | 'claude', id: string) => findTier(provider, id)?.monthlyUsd;

describe('tiers', () => {
	it('lists each provider’s plans with monthly prices and API only', () => {
		expect(tiersFor('openai').map((t) => t.id)).toEqual(['free', 'go', 'plus', 'pro', 'business', 'enterprise', 'edu', 'api']);
		expect(tiersFor('claude').map((t) => t.id)).toEqual(['free', 'pro', 'max-5x', 'max-20x', 'team', 'enterprise', 'api']);
		expect([price('openai', 'free'), price('openai', 'plus'), price('openai', 'pro')]).toEqual([0, 20, 200]);
		expect([price('claude', 'free'), price('claude', 'pro'), price('claude', 'max-5x'), price('claude', 'max-20x')]).toEqual([0, 20, 100, 200]);
		expect(findTier('openai', 'business')?.priceLabel).toBe('per seat');
		expect(findTier('claude', 'team')?.priceLabel).toBe('per seat');
		expect(findTier('claude', 'api')?.priceLabel).toBe('pay per token');
	});

	it('finds tiers by alias and case, and not across providers', () => {
		expect(findTier('openai', 'TEAM')?.id).toBe('business');
		expect(findTier('claude', 'max20x')?.id).toBe('max-20x');
		expect(findTier('claude', 'plus')).toBeUndefined();
		expect(findTier('openai', 'max-5x')).toBeUndefined();
	});
});

describe('recommendForTier', () => {
	const cases: Array<[string, 'api' | 'auto']> = [
		['pro', 'api'],
		['free', 'api'],
		['api', 'api'],
		['enterprise', 'auto'],
	];
	for (const provider of PROVIDER_IDS) {
		for (const [tier, mode] of cases) {
			it(`${provider} ${tier} → ${mode}`, () => {
				const recommendation = recommendForTier(provider, tier);
				expect(recommendation.mode).toBe(mode);
				expect(recommendation.reason.length).toBeGreaterThan(20);
			});
		}
	}
	it('Max and Team → auto; Plus/Go → API; Pro carries the documented reason', () => {
		expect(recommendForTier('claude', 'max-5x').mode).toBe('auto');
		expect(recommendForTier('claude', 'max-20x').mode).toBe('auto');
		expect(recommendForTier('claude', 'team').mode).toBe('auto');
		expect(recommendForTier('openai', 'business').mode).toBe('auto');
		expect(recommendForTier('openai', 'team').mode).toBe('auto');
		expect(recommendForTier('openai', 'plus').mode).toBe('api');
		expect(recommendForTier('claude', 'pro').reason).toBe(REASON_SMALL_QUOTA);
		expect(REASON_SMALL_QUOTA).toContain('$0.10–0.15 per module');
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

	it('offers the Claude subscription only through Claude Code or a host-registered client', () => {
		const [subscription] = compareModes('claude', 'pro');
		expect(subscription!.availability).toEqual({available: true, note: expect.stringContaining('Claude Code')});
		expect(subscription!.cons.join(' ')).toContain('Only through Claude Code');
		expect(compareModes('openai', 'plus')[0]!.cons.join(' ')).toContain('Unofficial');
	});
});

describe('policyNotes', () => {
	it('states the OpenAI and Anthropic policies plainly', () => {
		const openai = policyNotes('openai').join(' ');
		expect(openai).toMatch(/unofficial/i);
		expect(openai).toMatch(/stop working/);
		expect(openai).toMatch(/account/);
		const claude = policyNotes('claude').join(' ');
		expect(claude).toContain('2026-01-09');
		expect(claude).toContain('only in Claude Code');
		expect(claude).toContain('`claude` CLI');
	});
});
