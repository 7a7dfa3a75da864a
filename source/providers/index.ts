// One entry to both providers' constants. Light: no SDK is imported here (validation loads them on demand).
import type {ProviderId} from '../core/schemas.js';
import {claudeConfig, type ClaudeConfig} from './claude.js';
import type {Env} from './config-env.js';
import {openaiConfig, type OpenAIConfig} from './openai.js';

export type ProviderConfig = OpenAIConfig | ClaudeConfig;

export function providerConfig(provider: 'openai', env: Env): OpenAIConfig;
export function providerConfig(provider: 'claude', env: Env): ClaudeConfig;
export function providerConfig(provider: ProviderId, env: Env): ProviderConfig;
export function providerConfig(provider: ProviderId, env: Env): ProviderConfig {
	switch (provider) {
		case 'openai':
			return openaiConfig(env);
		case 'claude':
			return claudeConfig(env);
		default: {
			const unknown: never = provider;
			throw new Error(`unknown provider ${String(unknown)}`);
		}
	}
}

export type {Env} from './config-env.js';
export {validateApiKey, assertApiKeyShape, type KeyValidation, type ValidateOptions} from './validate-key.js';
export * from './openai.js';
export * from './claude.js';
