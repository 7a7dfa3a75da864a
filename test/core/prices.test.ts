import {describe, expect, it} from 'vitest';
import {TuiError} from '../../source/core/errors.js';
import {defaultModel, estimateCost, formatUsd, MODEL_PRICES, PRICES_AS_OF, priceFor} from '../../source/core/prices.js';

describe('prices', () => {
	it('holds the seed figure: Sonnet $3 in / $15 out per million, with a date', () => {
		expect(MODEL_PRICES['claude-sonnet-4-5']).toMatchObject({inputPerMillion: 3, outputPerMillion: 15});
		expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
	});
	it('every default model has a price of its own provider', () => {
		for (const provider of ['openai', 'claude'] as const)
			expect(priceFor(defaultModel(provider))?.provider).toBe(provider);
	});
	it('estimates cost exactly', () => {
		const c = estimateCost({model: 'claude-sonnet-4-5', inputTokens: 1_000_000, outputTokens: 250_000});
		expect(c.inputUsd).toBeCloseTo(3, 10);
		expect(c.outputUsd).toBeCloseTo(3.75, 10);
		expect(c.usd).toBeCloseTo(6.75, 10);
		expect(estimateCost({model: 'gpt-5-codex', inputTokens: 8000, outputTokens: 2000}).usd).toBeCloseTo(
			0.01 + 0.02,
			10,
		);
	});
	it('resolves dated and suffixed ids to the longest known prefix', () => {
		expect(priceFor('claude-sonnet-4-5-20250929')).toBe(MODEL_PRICES['claude-sonnet-4-5']);
		expect(priceFor('gpt-5-codex-mini-x')).toBe(MODEL_PRICES['gpt-5-codex']);
		expect(priceFor('gpt-5.1-codex-mini')).toBe(MODEL_PRICES['gpt-5.1-codex-mini']);
		expect(priceFor('gpt-50')).toBeUndefined();
	});
	it('an unknown model is a one-line TuiError', () => {
		expect(() => estimateCost({model: 'mystery', inputTokens: 1, outputTokens: 1})).toThrow(TuiError);
		expect(() => estimateCost({model: 'mystery', inputTokens: 1, outputTokens: 1})).toThrow(
			/^no price for model "mystery"[^\n]*$/,
		);
	});
	it('formats dollars', () => {
		expect(formatUsd(0)).toBe('$0');
		expect(formatUsd(0.0567)).toBe('$0.0567');
		expect(formatUsd(12.4)).toBe('$12.40');
	});
});
