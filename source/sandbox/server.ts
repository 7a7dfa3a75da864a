// The offline sandbox: one HTTP server on 127.0.0.1 with the OpenAI sign-in for open-source apps,
// Claude-shaped OAuth handlers, usage endpoints and the model/inference endpoints.
//
//   /.well-known/openid-configuration, /.well-known/jwks.json, /api/accounts/authorize,
//   /api/accounts/oauth/token (form only), /api/accounts/oauth/revoke
//                                         ChatGPT sign-in, issuer = http://127.0.0.1:PORT
//   /v1/models, /v1/responses             plan tokens (and sk-sandbox-… keys at /v1/models)
//   /claude/oauth/authorize, /claude/v1/oauth/token, /claude/oauth/code/callback (code#state)
//   /backend-api/wham/usage               401 no_matching_rule for a plan token, as at OpenAI
//   /api/oauth/usage                      Bearer (sandbox Claude token) + anthropic-beta: oauth-2025-04-20
//   /v1/models, /anthropic/v1/models      keys sk-sandbox-… valid (…-429…, …-500…, …-529… fail so)
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {TuiError} from '../core/errors.js';
import {API_ROUTES, createApiHandlers} from './api.js';
import {CLAUDE_ROUTES, createClaudeServer} from './claude.js';
import {SANDBOX_CLAUDE_CLIENT_ID} from './constants.js';
import {escapeHtml, page, sendHtml, sendJson} from './http.js';
import {createOpenIdServer} from './openid.js';
import {stateFile} from './state.js';
import {emptyStats, type SandboxFaults, type SandboxStats, type WireRecord} from './types.js';

export {SANDBOX_API_KEY_PREFIX, SANDBOX_CLAUDE_CLIENT_ID} from './constants.js';
export type {SandboxFaults, SandboxStats, WireRecord} from './types.js';

export type SandboxOptions = {
	/** Port on 127.0.0.1; 0 (the default) takes an ephemeral one. */
	readonly port?: number;
	/** Reserved for callers that want no output; the sandbox prints nothing either way. */
	readonly quiet?: boolean;
	/** Lifetime of access tokens in seconds (default 3600); short values let tests reach a refresh. */
	readonly accessTokenTtl?: number;
	/** The ChatGPT plan the sandbox account has (default "plus"). */
	readonly planType?: string;
	/**
	 * Build the providers (an RSA signing key: ~0.3-0.5 s) on the first request instead of before
	 * returning; requests wait for it. The CLI sets it so that its first frame does not wait for the sandbox.
	 */
	readonly lazy?: boolean;
	/**
	 * Folder the providers keep their state in (issued tokens, revocations, usage windows), so that a later
	 * sandbox on the same folder honours what an earlier one issued. Memory only without it.
	 */
	readonly stateDir?: string;
	/** Sees every request first; returns true when it answered it (the shared sandbox's health route). */
	readonly onRequest?: (request: IncomingMessage, response: ServerResponse) => boolean;
};

export type Sandbox = {
	/** Environment that points tui at this sandbox. */
	readonly env: Record<string, string>;
	/** http://127.0.0.1:PORT, also the OpenID issuer. */
	readonly url: string;
	readonly issuer: string;
	readonly port: number;
	/** Live counters; read them after the requests of interest. */
	readonly stats: SandboxStats;
	/** Fault switches; flip them at any time. */
	readonly faults: SandboxFaults;
	/** Every OpenAI authorize, token and revocation request as received (tests only; holds secrets). */
	readonly openaiWire: WireRecord[];
	/** Stops listening and destroys open sockets; resolves within a second. */
	close(): Promise<void>;
};

async function listen(port: number, handler: (request: IncomingMessage, response: ServerResponse) => void) {
	const server = createServer(handler);
	const sockets = new Set<Socket>();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			reject(
				error.code === 'EADDRINUSE' ? new TuiError(`sandbox: port ${port} on 127.0.0.1 is already in use`) : error,
			);
		});
		server.listen(port, '127.0.0.1', () => resolve());
	});
	return {server, sockets, port: (server.address() as AddressInfo).port};
}

function indexPage(env: Record<string, string>): string {
	const rows = Object.entries(env)
		.map(
			([name, value]) => `<tr><td><code>${escapeHtml(name)}</code></td><td><code>${escapeHtml(value)}</code></td></tr>`,
		)
		.join('');
	return page(
		'Local providers',
		`<p>OpenAI- and Claude-shaped providers for trying tui offline. Any email signs in to ChatGPT (no password); API keys starting with <code>sk-sandbox-</code> are valid.</p><table>${rows}</table>`,
	);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const stats = emptyStats();
	const faults: SandboxFaults = {};
	const openaiWire: WireRecord[] = [];
	const accessTokenTtl = options.accessTokenTtl ?? 3600;
	const planType = options.planType ?? 'plus';

	// The issuer needs the port, so the server listens first and routes once everything is built.
	let route: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) =>
		sendJson(response, 503, {error: 'starting'});
	const {server, sockets, port} = await listen(options.port ?? 0, (request, response) => {
		if (!options.onRequest?.(request, response)) route(request, response);
	});
	const url = `http://127.0.0.1:${port}`;

	let closed = false;
	let flush = async () => {};
	const close = async () => {
		if (closed) return;
		closed = true;
		const done = new Promise<void>((resolve) => server.close(() => resolve()));
		server.closeAllConnections();
		for (const socket of sockets) socket.destroy();
		await done;
		await flush();
	};

	const env: Record<string, string> = {
		TUI_SANDBOX: '1',
		TUI_OPENAI_ISSUER: url,
		OPENAI_BASE_URL: `${url}/v1`,
		TUI_OPENAI_USAGE_URL: `${url}${API_ROUTES.openaiUsage}`,
		ANTHROPIC_BASE_URL: `${url}${API_ROUTES.anthropicBase}`,
		TUI_CLAUDE_OAUTH_CLIENT_ID: SANDBOX_CLAUDE_CLIENT_ID,
		TUI_CLAUDE_OAUTH_AUTHORIZE_URL: `${url}${CLAUDE_ROUTES.authorize}`,
		TUI_CLAUDE_OAUTH_TOKEN_URL: `${url}${CLAUDE_ROUTES.token}`,
		TUI_CLAUDE_OAUTH_PASTE_REDIRECT_URI: `${url}${CLAUDE_ROUTES.codeCallback}`,
		TUI_CLAUDE_USAGE_URL: `${url}${API_ROUTES.claudeUsage}`,
	};

	const build = async (): Promise<void> => {
		const openid = createOpenIdServer({
			issuer: url,
			accessTokenTtl,
			stats,
			faults,
			wire: openaiWire,
			stateDir: options.stateDir,
		});
		const claude = await createClaudeServer({issuer: url, accessTokenTtl, stats, faults, stateDir: options.stateDir});
		const usage = stateFile<{since: number}>(options.stateDir, 'usage.json');
		const usageSince = (await usage.load())?.since ?? Date.now();
		usage.save({since: usageSince});
		flush = async () => {
			await Promise.all([claude.flush(), usage.flush()]);
		};
		const api = createApiHandlers({
			planType,
			usageSince,
			stats,
			faults,
			openaiAccount: (token) => openid.accountForAccessToken(token),
			claudeAccount: (token) => claude.accountForAccessToken(token),
		});
		route = (request, response) => {
			const requestUrl = new URL(request.url ?? '/', url);
			if (request.method === 'GET' && requestUrl.pathname === '/') {
				sendHtml(response, 200, indexPage(env));
				return;
			}
			const own = async () =>
				(await openid.handle(request, response, requestUrl)) ||
				(await claude.handle(request, response, requestUrl)) ||
				(await api.handle(request, response, requestUrl));
			own()
				.then((handled) => {
					if (!handled) sendJson(response, 404, {error: 'not_found'});
				})
				.catch(() => {
					if (!response.headersSent)
						sendJson(response, 500, {error: 'server_error', error_description: 'the sandbox failed on this request'});
					else response.destroy();
				});
		};
	};
	if (options.lazy) {
		let building: Promise<void> | undefined;
		route = (request, response) => {
			building ??= build();
			building.then(
				() => route(request, response),
				() => sendJson(response, 500, {error: 'server_error', error_description: 'the sandbox failed to start'}),
			);
		};
	} else {
		try {
			await build();
		} catch (error) {
			await close();
			throw error;
		}
	}

	return {env, url, issuer: url, port, stats, faults, openaiWire, close};
}
