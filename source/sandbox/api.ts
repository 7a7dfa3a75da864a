// Usage endpoints and the two /v1/models for API keys, in the providers' wire formats; what a ChatGPT plan token
// may call under /v1 is in api-plan.ts.
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {SandboxAccount} from './accounts.js';
import {SANDBOX_API_KEY_PREFIX} from './constants.js';
import {createPlanApi, looksLikeJwt} from './api-plan.js';
import {bearer, requestId, sendJson} from './http.js';
import type {PlanToken} from './openid.js';
import type {SandboxFaults, SandboxStats} from './types.js';

export const API_ROUTES = {
	openaiUsage: '/backend-api/wham/usage',
	claudeUsage: '/api/oauth/usage',
	openaiModels: '/v1/models',
	openaiResponses: '/v1/responses',
	anthropicBase: '/anthropic',
	anthropicModels: '/anthropic/v1/models',
} as const;

export type ApiDependencies = {
	readonly planType: string;
	readonly stats: SandboxStats;
	readonly faults: SandboxFaults;
	/** Epoch ms the usage windows are anchored at (kept in the state folder), so resets count down across runs. */
	readonly usageSince?: number;
	openaiAccount(token: string): PlanToken | undefined;
	claudeAccount(token: string): {account: SandboxAccount; scope: string} | undefined;
};

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The next reset of a window of `periodMs` whose first reset came `firstMs` after `since`. */
function nextReset(since: number, firstMs: number, periodMs: number, now: number): number {
	const first = since + firstMs;
	return now < first ? first : first + (Math.floor((now - first) / periodMs) + 1) * periodMs;
}

/** A usage fault set by a test, or undefined to answer normally. */
function usageFault(response: ServerResponse, faults: SandboxFaults, errorBody: unknown): boolean {
	if (faults.usageStatus !== undefined) {
		sendJson(response, faults.usageStatus, errorBody);
		return true;
	}
	if (faults.usageBody !== undefined) {
		const text = typeof faults.usageBody === 'string' ? faults.usageBody : JSON.stringify(faults.usageBody);
		response.writeHead(200, {'content-type': 'application/json', 'cache-control': 'no-store'});
		response.end(text);
		return true;
	}
	return false;
}

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

export function createApiHandlers(deps: ApiDependencies) {
	const {stats, faults} = deps;
	const since = deps.usageSince ?? Date.now();
	const plan = createPlanApi(deps);

	/** A ChatGPT plan token has no business here: OpenAI answers 401 no_matching_rule. */
	function openaiUsage(response: ServerResponse): void {
		stats.usageRequests++;
		sendJson(response, 401, {detail: 'no_matching_rule'}, {'x-request-id': requestId('req_')});
	}

	function claudeUsage(request: IncomingMessage, response: ServerResponse): void {
		stats.usageRequests++;
		const authError = (status: number, type: string, message: string) =>
			sendJson(response, status, {type: 'error', error: {type, message}, request_id: requestId('req_sandbox_')});
		const token = bearer(request);
		const found = token ? deps.claudeAccount(token) : undefined;
		if (!found) return authError(401, 'authentication_error', 'Invalid bearer token');
		const beta = String(request.headers['anthropic-beta'] ?? '')
			.split(',')
			.map((item) => item.trim());
		if (!beta.includes('oauth-2025-04-20'))
			return authError(401, 'authentication_error', 'OAuth authentication is currently not supported.');
		if (!found.scope.split(' ').includes('user:profile'))
			return authError(403, 'permission_error', 'OAuth token does not meet scope requirement user:profile');
		if (usageFault(response, faults, {type: 'error', error: {type: 'api_error', message: 'sandbox fault'}})) return;
		const now = Date.now();
		sendJson(response, 200, {
			five_hour: {utilization: 12, resets_at: iso(nextReset(since, 3 * HOUR, 5 * HOUR, now))},
			seven_day: {utilization: 35, resets_at: iso(nextReset(since, 4 * DAY, 7 * DAY, now))},
			seven_day_oauth_apps: null,
			seven_day_opus: {utilization: 5, resets_at: iso(nextReset(since, 4 * DAY, 7 * DAY, now))},
			seven_day_sonnet: null,
			extra_usage: {is_enabled: false, monthly_limit: null, used_credits: null, utilization: null},
		});
	}

	/** The sandbox's key rules: sk-sandbox-… is valid, sk-sandbox-429… is rate limited, sk-sandbox-500… fails. */
	function keyStatus(key: string | undefined): number {
		if (faults.modelsStatus !== undefined) return faults.modelsStatus;
		if (!key?.startsWith(SANDBOX_API_KEY_PREFIX)) return 401;
		const rest = key.slice(SANDBOX_API_KEY_PREFIX.length);
		if (rest.startsWith('429')) return 429;
		if (rest.startsWith('500')) return 500;
		if (rest.startsWith('529')) return 529;
		return 200;
	}

	function openaiModels(request: IncomingMessage, response: ServerResponse): void {
		stats.modelsRequests++;
		if (faults.modelsStatus === undefined && looksLikeJwt(bearer(request))) return plan.models(request, response);
		const status = keyStatus(bearer(request));
		const headers = {
			'x-request-id': requestId('req_'),
			'x-ratelimit-limit-requests': '5000',
			'x-ratelimit-remaining-requests': status === 429 ? '0' : '4999',
			'x-ratelimit-reset-requests': status === 429 ? '20s' : '12ms',
			'x-ratelimit-limit-tokens': '800000',
			'x-ratelimit-remaining-tokens': '799990',
			'x-ratelimit-reset-tokens': '0s',
			'openai-processing-ms': '12',
		};
		if (status === 200) {
			const created = 1_750_000_000;
			sendJson(
				response,
				200,
				{
					object: 'list',
					data: ['gpt-5.1', 'gpt-5.1-codex', 'gpt-5-mini', 'o4-mini'].map((id, index) => ({
						id,
						object: 'model',
						created: created + index,
						owned_by: 'openai',
					})),
				},
				headers,
			);
			return;
		}
		const errors: Record<number, {message: string; type: string; code: string | null}> = {
			401: {
				message:
					'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
				type: 'invalid_request_error',
				code: 'invalid_api_key',
			},
			429: {message: 'Rate limit reached for requests (sandbox).', type: 'requests', code: 'rate_limit_exceeded'},
		};
		const error = errors[status] ?? {
			message: 'The server had an error while processing your request (sandbox).',
			type: 'server_error',
			code: null,
		};
		sendJson(
			response,
			status,
			{error: {...error, param: null}},
			status === 429 ? {...headers, 'retry-after': '20'} : headers,
		);
	}

	function anthropicModels(request: IncomingMessage, response: ServerResponse): void {
		stats.modelsRequests++;
		const apiKey = typeof request.headers['x-api-key'] === 'string' ? request.headers['x-api-key'] : bearer(request);
		const status = keyStatus(apiKey);
		const now = Date.now();
		const reset = iso(now + 60_000);
		const headers: Record<string, string> = {
			'request-id': requestId('req_sandbox_'),
			'anthropic-ratelimit-requests-limit': '4000',
			'anthropic-ratelimit-requests-remaining': status === 429 ? '0' : '3999',
			'anthropic-ratelimit-requests-reset': reset,
			'anthropic-ratelimit-tokens-limit': '2000000',
			'anthropic-ratelimit-tokens-remaining': '2000000',
			'anthropic-ratelimit-tokens-reset': reset,
			'anthropic-ratelimit-input-tokens-limit': '2000000',
			'anthropic-ratelimit-input-tokens-remaining': '2000000',
			'anthropic-ratelimit-input-tokens-reset': reset,
			'anthropic-ratelimit-output-tokens-limit': '400000',
			'anthropic-ratelimit-output-tokens-remaining': '400000',
			'anthropic-ratelimit-output-tokens-reset': reset,
		};
		if (status === 200) {
			const models = [
				['claude-opus-4-5', 'Claude Opus 4.5'],
				['claude-sonnet-4-5', 'Claude Sonnet 4.5'],
				['claude-haiku-4-5', 'Claude Haiku 4.5'],
			];
			const data = models.map(([id, name]) => ({
				type: 'model',
				id,
				display_name: name,
				created_at: '2025-09-29T00:00:00Z',
			}));
			sendJson(
				response,
				200,
				{data, has_more: false, first_id: data[0]!.id, last_id: data[data.length - 1]!.id},
				headers,
			);
			return;
		}
		const types: Record<number, [string, string]> = {
			401: ['authentication_error', 'invalid x-api-key'],
			429: ['rate_limit_error', 'Number of requests has exceeded your rate limit (sandbox).'],
			529: ['overloaded_error', 'Overloaded'],
		};
		const [type, message] = types[status] ?? ['api_error', 'Internal server error (sandbox)'];
		sendJson(
			response,
			status,
			{type: 'error', error: {type, message}, request_id: headers['request-id']},
			status === 429 ? {...headers, 'retry-after': '30'} : headers,
		);
	}

	return {
		/** Answers a request this module owns; false when the path is not one of its. */
		async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
			if (request.method === 'POST' && url.pathname === API_ROUTES.openaiResponses) {
				await plan.responses(request, response);
				return true;
			}
			// A plan token anywhere else under /v1 is refused, as at OpenAI.
			if (
				url.pathname.startsWith('/v1/') &&
				url.pathname !== API_ROUTES.openaiModels &&
				looksLikeJwt(bearer(request))
			) {
				plan.refuseRoute(response);
				return true;
			}
			if (request.method !== 'GET') return false;
			switch (url.pathname) {
				case API_ROUTES.openaiUsage:
					openaiUsage(response);
					return true;
				case API_ROUTES.claudeUsage:
				case `${API_ROUTES.anthropicBase}${API_ROUTES.claudeUsage}`:
					claudeUsage(request, response);
					return true;
				case API_ROUTES.openaiModels:
					openaiModels(request, response);
					return true;
				case API_ROUTES.anthropicModels:
					anthropicModels(request, response);
					return true;
				default:
					return false;
			}
		},
	};
}
