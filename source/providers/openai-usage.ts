// GET chatgpt.com/backend-api/wham/usage: the ChatGPT subscription's windows (PROVIDERS.md, "usage / quota").
import {normalizeOpenAIUsage} from '../core/quota.js';
import type {Env} from './config-env.js';
import {OPENAI_HEADERS, OPENAI_NAME, openaiConfig} from './openai.js';
import {fetchUsage, type UsageFetchOptions, type UsageResult} from './usage-fetch.js';

export type OpenAIUsageOptions = UsageFetchOptions & {
	readonly env: Env;
	/** chatgpt_account_id from the id_token; sent as ChatGPT-Account-Id when known. */
	readonly accountId?: string;
};

export async function fetchOpenAIUsage(options: OpenAIUsageOptions): Promise<UsageResult> {
	const {usageUrl} = openaiConfig(options.env);
	return fetchUsage(
		{
			name: OPENAI_NAME,
			url: usageUrl,
			headers: (access) => ({authorization: `Bearer ${access}`, ...(options.accountId ? {[OPENAI_HEADERS.accountId]: options.accountId} : {})}),
			normalize: normalizeOpenAIUsage,
		},
		options,
	);
}
