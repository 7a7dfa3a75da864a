// Claude-shaped OAuth handlers: an authorize page that approves on a click, a JSON token
// endpoint with PKCE and rotating refresh tokens, and the page that shows `code#state`.
import {createHash, randomBytes, timingSafeEqual} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {sandboxAccount, sandboxUuid, type SandboxAccount} from './accounts.js';
import {SANDBOX_CLAUDE_CLIENT_ID, SANDBOX_CLAUDE_SCOPES} from './constants.js';
import {escapeHtml, isLoopbackHost, page, parseBody, readBody, sendHtml, sendJson} from './http.js';
import {stateFile} from './state.js';
import type {SandboxFaults, SandboxStats} from './types.js';

export const CLAUDE_ROUTES = {
	authorize: '/claude/oauth/authorize',
	token: '/claude/v1/oauth/token',
	codeCallback: '/claude/oauth/code/callback',
} as const;

type PendingAuthorization = {
	readonly redirectUri: string;
	readonly challenge: string;
	readonly scope: string;
	readonly state: string;
	readonly expiresAt: number;
};

type IssuedCode = PendingAuthorization & {readonly email: string; used: boolean; family?: string};

type TokenRecord = {
	readonly family: string;
	readonly email: string;
	readonly scope: string;
	readonly expiresAt: number;
};

type RefreshRecord = {readonly family: string; readonly email: string; readonly scope: string; consumed: boolean};

/** What survives the process: the tokens it issued and the families it revoked. */
type ClaudeState = {
	readonly accessTokens: Array<[string, TokenRecord]>;
	readonly refreshTokens: Array<[string, RefreshRecord]>;
	readonly revokedFamilies: string[];
};

const CODE_TTL_MS = 10 * 60 * 1000;
const token = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

function safeEqual(a: string, b: string): boolean {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}

export type ClaudeServer = {
	handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean>;
	accountForAccessToken(token: string): {account: SandboxAccount; scope: string} | undefined;
	/** Resolves when the state is on disk. */
	flush(): Promise<void>;
};

export async function createClaudeServer(options: {
	readonly issuer: string;
	readonly accessTokenTtl: number;
	readonly stats: SandboxStats;
	readonly faults: SandboxFaults;
	/** Keep issued tokens in this folder (claude.json), so they stay valid in a later sandbox process. */
	readonly stateDir?: string;
}): Promise<ClaudeServer> {
	const {stats, faults} = options;
	const state = stateFile<ClaudeState>(options.stateDir, 'claude.json');
	const saved = await state.load();
	const pending = new Map<string, PendingAuthorization>();
	const codes = new Map<string, IssuedCode>();
	const accessTokens = new Map<string, TokenRecord>(saved?.accessTokens ?? []);
	const refreshTokens = new Map<string, RefreshRecord>(saved?.refreshTokens ?? []);
	const revokedFamilies = new Set<string>(saved?.revokedFamilies ?? []);
	const persist = () => {
		const now = Date.now();
		for (const [key, record] of accessTokens) if (record.expiresAt <= now) accessTokens.delete(key);
		state.save({
			accessTokens: [...accessTokens],
			refreshTokens: [...refreshTokens],
			revokedFamilies: [...revokedFamilies],
		});
	};
	const ownCallback = `${options.issuer}${CLAUDE_ROUTES.codeCallback}`;

	function redirectAllowed(value: string): boolean {
		if (value === ownCallback) return true;
		try {
			const url = new URL(value);
			return url.protocol === 'http:' && isLoopbackHost(url.hostname) && url.hash === '';
		} catch {
			return false;
		}
	}

	function revokeFamily(family: string): void {
		revokedFamilies.add(family);
		for (const [key, record] of accessTokens) if (record.family === family) accessTokens.delete(key);
		for (const [key, record] of refreshTokens) if (record.family === family) refreshTokens.delete(key);
		persist();
	}

	function issueTokens(family: string, email: string, scope: string) {
		const access = token('sk-ant-test-oat-sandbox-');
		const refresh = token('sk-ant-test-ort-sandbox-');
		accessTokens.set(access, {family, email, scope, expiresAt: Date.now() + options.accessTokenTtl * 1000});
		refreshTokens.set(refresh, {family, email, scope, consumed: false});
		persist();
		const account = sandboxAccount(email);
		return {
			token_type: 'Bearer',
			access_token: access,
			refresh_token: refresh,
			expires_in: options.accessTokenTtl,
			scope,
			account: {uuid: sandboxUuid(`account:${account.email}`), email_address: account.email},
			organization: {uuid: sandboxUuid(`org:${account.email}`), name: `${account.email.split('@')[0]}'s Organization`},
		};
	}

	const oauthError = (response: ServerResponse, status: number, error: string, description: string) =>
		sendJson(response, status, {error, error_description: description});

	function authorizePage(response: ServerResponse, url: URL): void {
		const query = url.searchParams;
		const bad = (why: string) => sendHtml(response, 400, page('Authorization failed', `<p>${escapeHtml(why)}</p>`));
		if (query.get('client_id') !== SANDBOX_CLAUDE_CLIENT_ID) return bad('Unknown client_id.');
		const redirectUri = query.get('redirect_uri') ?? '';
		if (!redirectAllowed(redirectUri)) return bad('redirect_uri is not allowed for this client.');
		if (query.get('response_type') !== 'code') return bad('response_type must be code.');
		if (query.get('code_challenge_method') !== 'S256') return bad('code_challenge_method must be S256.');
		const challenge = query.get('code_challenge') ?? '';
		if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return bad('code_challenge must be a base64url SHA-256 hash.');
		const state = query.get('state') ?? '';
		if (!state) return bad('state is required.');
		const allowed = new Set(SANDBOX_CLAUDE_SCOPES.split(' '));
		const scope = (query.get('scope') ?? 'user:profile user:inference').split(/[\s+]+/).filter(Boolean);
		if (scope.some((item) => !allowed.has(item))) return bad('scope asks for something this client may not have.');
		const id = randomBytes(16).toString('base64url');
		pending.set(id, {redirectUri, challenge, scope: scope.join(' '), state, expiresAt: Date.now() + CODE_TTL_MS});
		sendHtml(
			response,
			200,
			page(
				'Authorize with Claude',
				`<p>A sandbox Claude-shaped app asks for: <code>${escapeHtml(scope.join(' '))}</code></p>
<form method="post" action="${CLAUDE_ROUTES.authorize}">
<input type="hidden" name="request" value="${id}">
<label>Email <input type="email" name="email" value="claude-user@sandbox.test"></label>
<button type="submit" name="decision" value="approve" autofocus>Authorize</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
			),
		);
	}

	async function approve(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const fields = parseBody(request, await readBody(request)) ?? {};
		const id = String(fields.request ?? '');
		const authorization = pending.get(id);
		pending.delete(id);
		if (!authorization || authorization.expiresAt < Date.now()) {
			sendHtml(
				response,
				400,
				page('Authorization failed', '<p>This request expired or was already used. Start the sign-in again.</p>'),
			);
			return;
		}
		const target = new URL(authorization.redirectUri);
		if (fields.decision === 'deny') {
			target.searchParams.set('error', 'access_denied');
		} else {
			const code = randomBytes(32).toString('base64url');
			codes.set(code, {
				...authorization,
				email: String(fields.email ?? '') || 'claude-user@sandbox.test',
				used: false,
				expiresAt: Date.now() + CODE_TTL_MS,
			});
			target.searchParams.set('code', code);
		}
		target.searchParams.set('state', authorization.state);
		response.writeHead(302, {location: target.href, 'cache-control': 'no-store'});
		response.end();
	}

	function codeCallbackPage(response: ServerResponse, url: URL): void {
		const code = url.searchParams.get('code');
		const state = url.searchParams.get('state') ?? '';
		if (!code) {
			sendHtml(
				response,
				400,
				page('Authorization failed', `<p>${escapeHtml(url.searchParams.get('error') ?? 'No code was returned.')}</p>`),
			);
			return;
		}
		sendHtml(
			response,
			200,
			page(
				'Authentication code',
				`<p>Paste this code into your terminal:</p><pre id="code">${escapeHtml(`${code}#${state}`)}</pre>`,
			),
			{'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'"},
		);
	}

	async function tokenEndpoint(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const type = (request.headers['content-type'] ?? '').toLowerCase();
		const body = parseBody(request, await readBody(request));
		if (!type.startsWith('application/json') || !body) {
			oauthError(response, 400, 'invalid_request', 'the body must be JSON');
			return;
		}
		const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
		if (field('client_id') !== SANDBOX_CLAUDE_CLIENT_ID) {
			oauthError(response, 401, 'invalid_client', 'unknown client_id');
			return;
		}
		if (field('grant_type') === 'authorization_code') {
			stats.claudeCodeExchanges++;
			const issued = codes.get(field('code'));
			if (!issued || issued.expiresAt < Date.now()) {
				oauthError(response, 400, 'invalid_grant', 'invalid or expired authorization code');
				return;
			}
			if (issued.used) {
				// A code presented twice: revoke what it produced (RFC 6749 §4.1.2).
				if (issued.family) revokeFamily(issued.family);
				oauthError(response, 400, 'invalid_grant', 'authorization code already used');
				return;
			}
			if (field('redirect_uri') !== issued.redirectUri) {
				oauthError(response, 400, 'invalid_grant', 'redirect_uri does not match the authorization request');
				return;
			}
			if (!safeEqual(field('state'), issued.state)) {
				oauthError(response, 400, 'invalid_grant', 'state does not match the authorization request');
				return;
			}
			const verifier = field('code_verifier');
			const computed = createHash('sha256').update(verifier).digest('base64url');
			if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !safeEqual(computed, issued.challenge)) {
				oauthError(response, 400, 'invalid_grant', 'code_verifier does not match the code_challenge');
				return;
			}
			issued.used = true;
			issued.family = randomBytes(8).toString('hex');
			sendJson(response, 200, issueTokens(issued.family, issued.email, issued.scope));
			return;
		}
		if (field('grant_type') === 'refresh_token') {
			stats.claudeRefreshRequests++;
			const record = refreshTokens.get(field('refresh_token'));
			if (!record || revokedFamilies.has(record.family)) {
				oauthError(response, 400, 'invalid_grant', 'refresh token not found or revoked');
				return;
			}
			if (record.consumed) {
				stats.claudeRefreshReuse++;
				revokeFamily(record.family);
				oauthError(response, 400, 'invalid_grant', 'refresh token already used');
				return;
			}
			record.consumed = true;
			const rotated = issueTokens(record.family, record.email, record.scope);
			if (faults.dropConnectionAfterRefresh) {
				// Rotated server-side; the client never hears about it.
				request.socket.destroy();
				return;
			}
			sendJson(response, 200, rotated);
			return;
		}
		oauthError(response, 400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
	}

	return {
		async handle(request, response, url) {
			const {pathname} = url;
			if (pathname === CLAUDE_ROUTES.authorize && request.method === 'GET') authorizePage(response, url);
			else if (pathname === CLAUDE_ROUTES.authorize && request.method === 'POST') await approve(request, response);
			else if (pathname === CLAUDE_ROUTES.codeCallback && request.method === 'GET') codeCallbackPage(response, url);
			else if (pathname === CLAUDE_ROUTES.token && request.method === 'POST') await tokenEndpoint(request, response);
			else return false;
			return true;
		},
		accountForAccessToken(value) {
			const record = accessTokens.get(value);
			if (!record || record.expiresAt <= Date.now()) return undefined;
			return {account: sandboxAccount(record.email), scope: record.scope};
		},
		flush: () => state.flush(),
	};
}
