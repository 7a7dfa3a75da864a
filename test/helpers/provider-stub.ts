// A local stand-in for the providers' API-key endpoints: a real HTTP server on 127.0.0.1 that answers
// OpenAI `GET /v1/models` (Bearer) and Anthropic `GET /v1/models` (x-api-key or Bearer) in their documented shapes.
//   OPENAI_BASE_URL    = stub.openaiBaseUrl     (…/openai/v1)
//   ANTHROPIC_BASE_URL = stub.anthropicBaseUrl  (…/anthropic; the SDK adds /v1)
// Plain /v1/models also works, routed by header (x-api-key or anthropic-version → Anthropic, else OpenAI).
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export type StubProvider = 'openai' | 'claude';

export type StubBehaviour = {
	/** Keys answered with 200. */
	goodKeys: readonly string[];
	/** Status for any other key (default 401). */
	badKeyStatus?: number;
	/** Answer every request with this status, good key or not (e.g. 429, 500, 529). */
	forceStatus?: number;
	/** OpenAI 429 code, e.g. "insufficient_quota" (default "rate_limit_exceeded"). */
	rateLimitCode?: string;
	/** Never answer (for timeouts); the socket is destroyed on close(). */
	hang?: boolean;
};

export type StubRequest = {
	readonly provider: StubProvider;
	readonly method: string;
	readonly path: string;
	readonly key: string | undefined;
	readonly headers: http.IncomingHttpHeaders;
};

export type ProviderStub = {
	readonly url: string;
	readonly openaiBaseUrl: string;
	readonly anthropicBaseUrl: string;
	/** OPENAI_BASE_URL and ANTHROPIC_BASE_URL pointed here. */
	readonly env: {readonly OPENAI_BASE_URL: string; readonly ANTHROPIC_BASE_URL: string};
	readonly requests: StubRequest[];
	set(provider: StubProvider, behaviour: StubBehaviour): void;
	close(): Promise<void>;
};

const OPENAI_MODELS = {
	object: 'list',
	data: [
		{id: 'gpt-5', object: 'model', created: 1_754_000_000, owned_by: 'openai'},
		{id: 'gpt-5-mini', object: 'model', created: 1_754_000_000, owned_by: 'openai'},
	],
};

const ANTHROPIC_MODELS = {
	data: [
		{type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z'},
		{type: 'model', id: 'claude-haiku-4-5', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z'},
	],
	has_more: false,
	first_id: 'claude-sonnet-4-5',
	last_id: 'claude-haiku-4-5',
};

// Error bodies deliberately echo the whole key: a client that shows provider text would leak it, and tests catch that.
function openaiError(status: number, key: string | undefined, rateLimitCode: string): object {
	if (status === 401)
		return {
			error: {
				message: `Incorrect API key provided: ${key ?? ''}.`,
				type: 'invalid_request_error',
				param: null,
				code: 'invalid_api_key',
			},
		};
	if (status === 429)
		return {
			error: {
				message: `Rate limit reached for key ${key ?? ''}`,
				type: rateLimitCode === 'insufficient_quota' ? 'insufficient_quota' : 'requests',
				param: null,
				code: rateLimitCode,
			},
		};
	if (status >= 500)
		return {
			error: {
				message: `The server had an error processing key ${key ?? ''}`,
				type: 'server_error',
				param: null,
				code: null,
			},
		};
	return {
		error: {message: `status ${status} for ${key ?? ''}`, type: 'invalid_request_error', param: null, code: null},
	};
}

function anthropicError(status: number, key: string | undefined): object {
	const type =
		status === 401
			? 'authentication_error'
			: status === 403
				? 'permission_error'
				: status === 429
					? 'rate_limit_error'
					: status === 529
						? 'overloaded_error'
						: status >= 500
							? 'api_error'
							: 'invalid_request_error';
	return {type: 'error', error: {type, message: `${type} for x-api-key ${key ?? ''}`}, request_id: 'req_stub'};
}

export async function startProviderStub(
	initial: Partial<Record<StubProvider, StubBehaviour>> = {},
): Promise<ProviderStub> {
	const behaviours: Record<StubProvider, StubBehaviour> = {openai: {goodKeys: []}, claude: {goodKeys: []}, ...initial};
	const requests: StubRequest[] = [];

	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		let provider: StubProvider;
		let path = url.pathname;
		if (path.startsWith('/openai/')) {
			provider = 'openai';
			path = path.slice('/openai'.length);
		} else if (path.startsWith('/anthropic/')) {
			provider = 'claude';
			path = path.slice('/anthropic'.length);
		} else provider = req.headers['x-api-key'] || req.headers['anthropic-version'] ? 'claude' : 'openai';

		// Anthropic takes x-api-key; its SDK (1.x) sends the key as a Bearer token, which the API accepts too.
		const authorization = req.headers.authorization;
		const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
		const key = provider === 'openai' ? bearer : ((req.headers['x-api-key'] as string | undefined) ?? bearer);
		requests.push({provider, method: req.method ?? '', path, key, headers: req.headers});
		const behaviour = behaviours[provider];
		if (behaviour.hang) return;

		const send = (status: number, body: object) => {
			const headers: http.OutgoingHttpHeaders = {'content-type': 'application/json'};
			if (provider === 'claude') headers['request-id'] = 'req_stub';
			else headers['x-request-id'] = 'req_stub';
			if (status === 429) headers['retry-after'] = '20';
			res.writeHead(status, headers).end(JSON.stringify(body));
		};
		if (req.method !== 'GET' || path !== '/v1/models') {
			send(404, provider === 'openai' ? openaiError(404, undefined, '') : anthropicError(404, undefined));
			return;
		}
		// Anthropic requires a version header; a client that forgets it should fail here as it would for real.
		if (provider === 'claude' && !req.headers['anthropic-version']) {
			send(400, anthropicError(400, undefined));
			return;
		}
		const good = key !== undefined && behaviour.goodKeys.includes(key);
		const status = behaviour.forceStatus ?? (good ? 200 : (behaviour.badKeyStatus ?? 401));
		if (status === 200) send(200, provider === 'openai' ? OPENAI_MODELS : ANTHROPIC_MODELS);
		else
			send(
				status,
				provider === 'openai'
					? openaiError(status, key, behaviour.rateLimitCode ?? 'rate_limit_exceeded')
					: anthropicError(status, key),
			);
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const {port} = server.address() as AddressInfo;
	const url = `http://127.0.0.1:${port}`;
	const openaiBaseUrl = `${url}/openai/v1`;
	const anthropicBaseUrl = `${url}/anthropic`;
	return {
		url,
		openaiBaseUrl,
		anthropicBaseUrl,
		env: {OPENAI_BASE_URL: openaiBaseUrl, ANTHROPIC_BASE_URL: anthropicBaseUrl},
		requests,
		set(provider, behaviour) {
			behaviours[provider] = behaviour;
		},
		close() {
			server.closeAllConnections();
			return new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** A 127.0.0.1 URL where nothing listens: bind port 0, note it, close it. */
export async function closedPortUrl(): Promise<string> {
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const {port} = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}`;
}
