// What a ChatGPT plan token may call under /v1, in OpenAI's wire format: its per-account model catalog and
// POST /v1/responses (streamed, store false, no hosted tools); anything else is refused.
import {randomBytes} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {bearer, readBody, requestId, sendJson} from './http.js';
import {PLAN_SCOPE, type PlanToken} from './openid.js';
import type {SandboxFaults} from './types.js';

export type PlanApiDependencies = {
	readonly planType: string;
	readonly faults: SandboxFaults;
	openaiAccount(token: string): PlanToken | undefined;
};

const PLAN_MODELS = [
	{slug: 'gpt-6.1-sol', display_name: 'GPT-6.1 Sol', visibility: 'list'},
	{slug: 'gpt-5.1-codex', display_name: 'GPT-5.1 Codex', visibility: 'list'},
	{slug: 'gpt-5-mini', display_name: 'GPT-5 mini', visibility: 'list'},
	{slug: 'sandbox-internal-preview', display_name: 'Internal preview', visibility: 'hide'},
];
const UNSUPPORTED_FIELDS = [
	'background',
	'conversation',
	'max_output_tokens',
	'max_tool_calls',
	'metadata',
	'moderation',
	'multi_agent',
	'prompt',
	'prompt_cache_retention',
	'safety_identifier',
	'temperature',
	'top_logprobs',
	'top_p',
	'truncation',
	'user',
	'previous_response_id',
];
const HOSTED_TOOLS = [
	'image_generation',
	'file_search',
	'code_interpreter',
	'computer_use_preview',
	'mcp',
	'tool_search',
	'web_search_preview',
];

/** A ChatGPT plan token is a JWT; an API key is not. */
export const looksLikeJwt = (token: string | undefined) => Boolean(token && token.split('.').length === 3);

export function createPlanApi(deps: PlanApiDependencies) {
	const {faults} = deps;

	/** The plan token behind the request, or an answer already sent. */
	function planToken(
		request: IncomingMessage,
		response: ServerResponse,
		headers: Record<string, string>,
	): PlanToken | undefined {
		const token = bearer(request);
		const found = token ? deps.openaiAccount(token) : undefined;
		if (!found) {
			sendJson(response, 401, {detail: 'Could not validate the access token.'}, headers);
			return undefined;
		}
		return found;
	}

	function models(request: IncomingMessage, response: ServerResponse): void {
		const headers = {'x-request-id': requestId('req_')};
		const found = planToken(request, response, headers);
		if (!found) return;
		// The catalog differs per account: the sandbox leaves one model out for half of them.
		const models =
			found.sub.charCodeAt(found.sub.length - 1) % 2 === 0
				? PLAN_MODELS
				: PLAN_MODELS.filter((m) => m.slug !== 'gpt-5-mini');
		sendJson(response, 200, {models}, headers);
	}

	const sse = (response: ServerResponse, event: Record<string, unknown>) =>
		response.write(`event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
	const responsesError = (
		response: ServerResponse,
		status: number,
		code: string,
		message: string,
		headers: Record<string, string>,
		param: string | null = null,
	) => sendJson(response, status, {error: {type: 'invalid_request_error', code, message, param}}, headers);

	async function responses(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const headers = {'x-request-id': requestId('req_')};
		const found = planToken(request, response, headers);
		if (!found) return;
		if (!found.scope.includes(PLAN_SCOPE))
			return responsesError(
				response,
				403,
				'chatpass_v2_scope_not_authorized',
				'The grant does not include ChatGPT plan usage.',
				headers,
			);
		if (faults.openaiIneligible || !['plus', 'pro'].includes(deps.planType)) {
			return responsesError(
				response,
				403,
				'subscription_sharing_user_not_eligible',
				'ChatGPT plan usage is not available for this user, workspace or policy.',
				headers,
			);
		}
		if (faults.openaiUsageLimit)
			return responsesError(
				response,
				429,
				'subscription_sharing_usage_limit_exceeded',
				'You have reached your ChatGPT usage limit for this app.',
				headers,
			);
		let body: Record<string, unknown>;
		try {
			body = JSON.parse((await readBody(request)).toString('utf8')) as Record<string, unknown>;
		} catch {
			return sendJson(
				response,
				422,
				{detail: [{loc: ['body'], msg: 'JSON decode error', type: 'json_invalid'}]},
				headers,
			);
		}
		if (!Array.isArray(body.input))
			return sendJson(
				response,
				422,
				{detail: [{loc: ['body', 'input'], msg: 'Input should be a valid list', type: 'list_type'}]},
				headers,
			);
		if (body.store !== false)
			return responsesError(
				response,
				400,
				'subscription_sharing_unsupported_capability',
				'store must be false.',
				headers,
				'store',
			);
		if (body.stream !== true)
			return responsesError(
				response,
				400,
				'subscription_sharing_unsupported_capability',
				'stream must be true.',
				headers,
				'stream',
			);
		const unsupported = UNSUPPORTED_FIELDS.find((field) => field in body);
		if (unsupported)
			return responsesError(
				response,
				400,
				'subscription_sharing_unsupported_capability',
				`${unsupported} is not supported.`,
				headers,
				unsupported,
			);
		if ((body.input as Array<{role?: unknown}>).some((item) => item?.role === 'system')) {
			return responsesError(
				response,
				400,
				'subscription_sharing_unsupported_capability',
				'Use instructions or developer messages instead of role "system".',
				headers,
				'input',
			);
		}
		const hosted = Array.isArray(body.tools)
			? (body.tools as Array<{type?: unknown}>).find((tool) => HOSTED_TOOLS.includes(String(tool?.type)))
			: undefined;
		if (hosted)
			return responsesError(
				response,
				400,
				'subscription_sharing_unsupported_capability',
				`${String(hosted.type)} is not supported.`,
				headers,
				'tools',
			);
		const id = `resp_${randomBytes(12).toString('hex')}`;
		const model = typeof body.model === 'string' ? body.model : 'gpt-6.1-sol';
		response.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-store', ...headers});
		sse(response, {type: 'response.created', response: {id, model, status: 'in_progress'}});
		sse(response, {type: 'response.output_text.delta', delta: 'Hello from the '});
		if (faults.openaiUsageLimitMidStream) {
			sse(response, {
				type: 'response.failed',
				response: {
					id,
					model,
					status: 'failed',
					error: {
						code: 'subscription_sharing_usage_limit_exceeded',
						message: 'You have reached your ChatGPT usage limit for this app.',
					},
				},
			});
			response.end();
			return;
		}
		sse(response, {type: 'response.output_text.delta', delta: 'tui-auth sandbox.'});
		sse(response, {
			type: 'response.completed',
			response: {
				id,
				model,
				status: 'completed',
				output: [
					{
						type: 'message',
						role: 'assistant',
						phase: 'final_answer',
						content: [{type: 'output_text', text: 'Hello from the tui-auth sandbox.'}],
					},
				],
			},
		});
		response.end();
	}

	return {
		models,
		responses,
		/** The answer to a plan token on any other /v1 route. */
		refuseRoute(response: ServerResponse): void {
			responsesError(response, 403, 'subscription_sharing_route_not_supported', 'Use POST /v1/responses.', {
				'x-request-id': requestId('req_'),
			});
		},
	};
}
