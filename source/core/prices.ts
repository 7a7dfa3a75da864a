// Per-token list prices for cost estimates (recommend, budgets). Pure data: one table, one date.
import {TuiError} from './errors.js';
import type {ProviderId} from './schemas.js';

/**
 * When these list prices were taken from the providers' public pricing pages.
 * They are the standard (non-batch, non-cached, ≤200K-context) rates; re-check them when this date gets old.
 */
export const PRICES_AS_OF = '2025-11-20';

export type ModelPrice = {
	readonly provider: ProviderId;
	/** USD per million input tokens. */
	readonly inputPerMillion: number;
	/** USD per million output tokens. */
	readonly outputPerMillion: number;
};

export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = Object.freeze({
	// Anthropic
	'claude-opus-4-5': {provider: 'claude', inputPerMillion: 5, outputPerMillion: 25},
	'claude-opus-4-1': {provider: 'claude', inputPerMillion: 15, outputPerMillion: 75},
	'claude-opus-4': {provider: 'claude', inputPerMillion: 15, outputPerMillion: 75},
	'claude-sonnet-4-5': {provider: 'claude', inputPerMillion: 3, outputPerMillion: 15},
	'claude-sonnet-4': {provider: 'claude', inputPerMillion: 3, outputPerMillion: 15},
	'claude-haiku-4-5': {provider: 'claude', inputPerMillion: 1, outputPerMillion: 5},
	'claude-3-5-haiku': {provider: 'claude', inputPerMillion: 0.8, outputPerMillion: 4},
	// OpenAI
	'gpt-5.1': {provider: 'openai', inputPerMillion: 1.25, outputPerMillion: 10},
	'gpt-5.1-codex': {provider: 'openai', inputPerMillion: 1.25, outputPerMillion: 10},
	'gpt-5.1-codex-mini': {provider: 'openai', inputPerMillion: 0.25, outputPerMillion: 2},
	'gpt-5': {provider: 'openai', inputPerMillion: 1.25, outputPerMillion: 10},
	'gpt-5-codex': {provider: 'openai', inputPerMillion: 1.25, outputPerMillion: 10},
	'gpt-5-mini': {provider: 'openai', inputPerMillion: 0.25, outputPerMillion: 2},
	'gpt-5-nano': {provider: 'openai', inputPerMillion: 0.05, outputPerMillion: 0.4},
	'gpt-5-pro': {provider: 'openai', inputPerMillion: 15, outputPerMillion: 120},
	'gpt-4.1': {provider: 'openai', inputPerMillion: 2, outputPerMillion: 8},
	o3: {provider: 'openai', inputPerMillion: 2, outputPerMillion: 8},
	'codex-mini-latest': {provider: 'openai', inputPerMillion: 1.5, outputPerMillion: 6},
});

/** The model `recommend` and budgets price against when the host names none: each provider's coding default. */
export const DEFAULT_MODELS: Readonly<Record<ProviderId, string>> = Object.freeze({
	claude: 'claude-sonnet-4-5',
	openai: 'gpt-5-codex',
});

export function defaultModel(provider: ProviderId): string {
	return DEFAULT_MODELS[provider];
}

/**
 * The price of a model: exact id first, then the longest table id that the name starts with,
 * so dated ids ("claude-sonnet-4-5-20250929") and suffixes ("gpt-5-codex-latest") resolve.
 */
export function priceFor(model: string): ModelPrice | undefined {
	const id = model.trim().toLowerCase();
	const exact = MODEL_PRICES[id];
	if (exact) return exact;
	let best: string | undefined;
	for (const key of Object.keys(MODEL_PRICES)) {
		if (id.startsWith(`${key}-`) && (!best || key.length > best.length)) best = key;
	}
	return best ? MODEL_PRICES[best] : undefined;
}

export type CostEstimate = {
	readonly model: string;
	readonly inputTokens: number;
	readonly outputTokens: number;
	readonly inputUsd: number;
	readonly outputUsd: number;
	readonly usd: number;
	readonly pricesAsOf: string;
};

/** USD for a call of this size at list prices. Throws a one-line TuiError for a model not in the table. */
export function estimateCost(input: {model: string; inputTokens: number; outputTokens: number}): CostEstimate {
	const price = priceFor(input.model);
	if (!price)
		throw new TuiError(
			`no price for model "${input.model.slice(0, 80)}"; known: ${Object.keys(MODEL_PRICES).join(', ')}`,
		);
	const inputTokens = Math.max(0, input.inputTokens || 0);
	const outputTokens = Math.max(0, input.outputTokens || 0);
	const inputUsd = (inputTokens * price.inputPerMillion) / 1_000_000;
	const outputUsd = (outputTokens * price.outputPerMillion) / 1_000_000;
	return {
		model: input.model,
		inputTokens,
		outputTokens,
		inputUsd,
		outputUsd,
		usd: inputUsd + outputUsd,
		pricesAsOf: PRICES_AS_OF,
	};
}

/** "$0.0630" below a dollar (module costs are cents), "$12.40" above. */
export function formatUsd(usd: number): string {
	if (usd === 0) return '$0';
	return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}
