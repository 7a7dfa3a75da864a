// Using a ChatGPT plan token (Sign in with ChatGPT for open-source apps; docs/chatgpt-plan.md): the public API
// base, never ChatGPT's backend-api, and the request constraints the token comes with. The error codes are
// in core/provider-errors.ts and the plan terms in core/tiers.ts, where pure code can read them.
import {envUrl, type Env} from './config-env.js';

export const OPENAI_PLAN_ENV = {
	/** Where plan requests go; for the sandbox and tests. OPENAI_BASE_URL is deliberately not read: it belongs to API keys. */
	baseUrl: 'TUI_OPENAI_PLAN_BASE_URL',
} as const;

export const OPENAI_PLAN_BASE_URL = 'https://api.openai.com/v1';

/** What a plan token may be used for, as documented: Responses (store:false, stream:true, every request) and the model list. */
export const OPENAI_PLAN_REQUESTS = {
	responses: {method: 'POST', path: '/responses', store: false, stream: true},
	models: {method: 'GET', path: '/models'},
} as const;
export type OpenAIPlanRequests = typeof OPENAI_PLAN_REQUESTS;

export function openaiPlanBaseUrl(env: Env): string {
	return envUrl(env, OPENAI_PLAN_ENV.baseUrl, OPENAI_PLAN_BASE_URL);
}
