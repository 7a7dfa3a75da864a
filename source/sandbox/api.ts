// Usage endpoints, the two /v1/models, and /v1/responses for ChatGPT plan tokens, in the providers' wire formats.
import {randomBytes} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {SandboxAccount} from './accounts.js';
import {SANDBOX_API_KEY_PREFIX} from './constants.js';
import {bearer, readBody, sendJson} from './http.js';
import {PLAN_SCOPE, type PlanToken} from './openid.js';
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

const requestId = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
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

	/** A ChatGPT plan token has no business here: OpenAI answers 401 no_matching_rule. */
	function openaiUsage(response: ServerResponse): void {
		stats.usageRequests++;
		sendJson(response, 401, {detail: 'no_matching_rule'}, {'x-request-id': requestId('req_')});
	}

	const PLAN_MODELS = [
		{slug: 'gpt-6.1-sol', display_name: 'GPT-6.1 Sol', visibility: 'list'},
		{slug: 'gpt-5.1-codex', display_name: 'GPT-5.1 Codex', visibility: 'list'},
		{slug: 'gpt-5-mini', display_name: 'GPT-5 mini', visibility: 'list'},
		{slug: 'sandbox-internal-preview', display_name: 'Internal preview', visibility: 'hide'},
	];
	const UNSUPPORTED_FIELDS = ['background', 'conversation', 'max_output_tokens', 'max_tool_calls', 'metadata', 'moderation', 'multi_agent', 'prompt', 'prompt_cache_retention', 'safety_identifier', 'temperature', 'top_logprobs', 'top_p', 'truncation', 'user', 'previous_response_id'];
	const HOSTED_TOOLS = ['image_generation', 'file_search', 'code_interpreter', 'computer_use_preview', 'mcp', 'tool_search', 'web_search_preview'];

	const looksLikeJwt = (token: string | undefined) => Boolean(token && token.split('.').length === 3);

	/** The plan token behind the request, or an answer already sent. */
	function planToken(request: IncomingMessage, response: ServerResponse, headers: Record<string, string>): PlanToken | undefined {
		const token = bearer(request);
		const found = token ? deps.openaiAccount(token) : undefined;
		if (!found) {
			sendJson(response, 401, {detail: 'Could not validate the access token.'}, headers);
			return undefined;
		}
		return found;
	}

	function planModels(request: IncomingMessage, response: ServerResponse): void {
		const headers = {'x-request-id': requestId('req_')};
		const found = planToken(request, response, headers);
		if (!found) return;
		// The catalog differs per account: the sandbox leaves one model out for half of them.
		const models = found.sub.charCodeAt(found.sub.length - 1) % 2 === 0 ? PLAN_MODELS : PLAN_MODELS.filter((m) => m.slug !== 'gpt-5-mini');
		sendJson(response, 200, {models}, headers);
	}

	const sse = (response: ServerResponse, event: Record<string, unknown>) => response.write(`event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
	const responsesError = (response: ServerResponse, status: number, code: string, message: string, headers: Record<string, string>, param: string | null = null) =>
		sendJson(response, status, {error: {type: 'invalid_request_error', code, message, param}}, headers);

	async function responses(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const headers = {'x-request-id': requestId('req_')};
		const found = planToken(request, response, headers);
		if (!found) return;
		if (!found.scope.includes(PLAN_SCOPE)) return responsesError(response, 403, 'chatpass_v2_scope_not_authorized', 'The grant does not include ChatGPT plan usage.', headers);
		if (faults.openaiIneligible || !['plus', 'pro'].includes(deps.planType)) {
			return responsesError(response, 403, 'subscription_sharing_user_not_eligible', 'ChatGPT plan usage is not available for this user, workspace or policy.', headers);
		}
		if (faults.openaiUsageLimit) return responsesError(response, 429, 'subscription_sharing_usage_limit_exceeded', 'You have reached your ChatGPT usage limit for this app.', headers);
		let body: Record<string, unknown>;
		try {
			body = JSON.parse((await readBody(request)).toString('utf8')) as Record<string, unknown>;
		} catch {
			return sendJson(response, 422, {detail: [{loc: ['body'], msg: 'JSON decode error', type: 'json_invalid'}]}, headers);
		}
		if (!Array.isArray(body.input)) return sendJson(response, 422, {detail: [{loc: ['body', 'input'], msg: 'Input should be a valid list', type: 'list_type'}]}, headers);
		if (body.store !== false) return responsesError(response, 400, 'subscription_sharing_unsupported_capability', 'store must be false.', headers, 'store');
		if (body.stream !== true) return responsesError(response, 400, 'subscription_sharing_unsupported_capability', 'stream must be true.', headers, 'stream');
		const unsupported = UNSUPPORTED_FIELDS.find((field) => field in body);
		if (unsupported) return responsesError(response, 400, 'subscription_sharing_unsupported_capability', `${unsupported} is not supported.`, headers, unsupported);
		if ((body.input as Array<{role?: unknown}>).some((item) => item?.role === 'system')) {
			return responsesError(response, 400, 'subscription_sharing_unsupported_capability', 'Use instructions or developer messages instead of role "system".', headers, 'input');
		}
		const hosted = Array.isArray(body.tools) ? (body.tools as Array<{type?: unknown}>).find((tool) => HOSTED_TOOLS.includes(String(tool?.type))) : undefined;
		if (hosted) return responsesError(response, 400, 'subscription_sharing_unsupported_capability', `${String(hosted.type)} is not supported.`, headers, 'tools');
		const id = `resp_${randomBytes(12).toString('hex')}`;
		const model = typeof body.model === 'string' ? body.model : 'gpt-6.1-sol';
		response.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-store', ...headers});
		sse(response, {type: 'response.created', response: {id, model, status: 'in_progress'}});
		sse(response, {type: 'response.output_text.delta', delta: 'Hello from the '});
		if (faults.openaiUsageLimitMidStream) {
			sse(response, {type: 'response.failed', response: {id, model, status: 'failed', error: {code: 'subscription_sharing_usage_limit_exceeded', message: 'You have reached your ChatGPT usage limit for this app.'}}});
			response.end();
			return;
		}
		sse(response, {type: 'response.output_text.delta', delta: 'tui-auth sandbox.'});
		sse(response, {type: 'response.completed', response: {id, model, status: 'completed', output: [{type: 'message', role: 'assistant', phase: 'final_answer', content: [{type: 'output_text', text: 'Hello from the tui-auth sandbox.'}]}]}});
		response.end();
	}

	function claudeUsage(request: IncomingMessage, response: ServerResponse): void {
		stats.usageRequests++;
		const authError = (status: number, type: string, message: string) =>
			sendJson(response, status, {type: 'error', error: {type, message}, request_id: requestId('req_sandbox_')});
		const token = bearer(request);
		const found = token ? deps.claudeAccount(token) : undefined;
		if (!found) return authError(401, 'authentication_error', 'Invalid bearer token');
		const beta = String(request.headers['anthropic-beta'] ?? '').split(',').map((item) => item.trim());
		if (!beta.includes('oauth-2025-04-20')) return authError(401, 'authentication_error', 'OAuth authentication is currently not supported.');
		if (!found.scope.split(' ').includes('user:profile')) return authError(403, 'permission_error', 'OAuth token does not meet scope requirement user:profile');
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
		if (faults.modelsStatus === undefined && looksLikeJwt(bearer(request))) return planModels(request, response);
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
					data: ['gpt-5.1', 'gpt-5.1-codex', 'gpt-5-mini', 'o4-mini'].map((id, index) => ({id, object: 'model', created: created + index, owned_by: 'openai'})),
				},
				headers,
			);
			return;
		}
		const errors: Record<number, {message: string; type: string; code: string | null}> = {
			401: {message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', code: 'invalid_api_key'},
			429: {message: 'Rate limit reached for requests (sandbox).', type: 'requests', code: 'rate_limit_exceeded'},
		};
		const error = errors[status] ?? {message: 'The server had an error while processing your request (sandbox).', type: 'server_error', code: null};
		sendJson(response, status, {error: {...error, param: null}}, status === 429 ? {...headers, 'retry-after': '20'} : headers);
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
			const data = models.map(([id, name]) => ({type: 'model', id, display_name: name, created_at: '2025-09-29T00:00:00Z'}));
			sendJson(response, 200, {data, has_more: false, first_id: data[0]!.id, last_id: data[data.length - 1]!.id}, headers);
			return;
		}
		const types: Record<number, [string, string]> = {
			401: ['authentication_error', 'invalid x-api-key'],
			429: ['rate_limit_error', 'Number of requests has exceeded your rate limit (sandbox).'],
			529: ['overloaded_error', 'Overloaded'],
		};
		const [type, message] = types[status] ?? ['api_error', 'Internal server error (sandbox)'];
		sendJson(response, status, {type: 'error', error: {type, message}, request_id: headers['request-id']}, status === 429 ? {...headers, 'retry-after': '30'} : headers);
	}

	return {
		/** Answers a request this module owns; false when the path is not one of its. */
		async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
			if (request.method === 'POST' && url.pathname === API_ROUTES.openaiResponses) {
				await responses(request, response);
				return true;
			}
			// A plan token anywhere else under /v1 is refused, as at OpenAI.
			if (url.pathname.startsWith('/v1/') && url.pathname !== API_ROUTES.openaiModels && looksLikeJwt(bearer(request))) {
				responsesError(response, 403, 'subscription_sharing_route_not_supported', 'Use POST /v1/responses.', {'x-request-id': requestId('req_')});
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
