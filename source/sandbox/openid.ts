// The OpenAI-shaped authorization server of "Sign in with ChatGPT for open-source apps", faithful to the
// documented wire: discovery, /api/accounts/authorize (registration through dynamic_agent_client, or an issued
// oaiapp_… client), a form-only token endpoint with rotating refresh tokens whose reuse revokes the family,
// RS256 ID tokens and access-token JWTs for https://api.openai.com/v1, JWKS and revocation. With `stateDir`,
// keys, issued clients and grants live in a file, so another sandbox process on the same folder accepts them.
import {createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type JsonWebKey} from 'node:crypto';
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {join} from 'node:path';
import {sandboxAccount, type SandboxAccount} from './accounts.js';
import {escapeHtml, page, readBody, sendHtml, sendJson} from './http.js';
import {REGISTRATION_CLIENT_ID, RESOURCE, authorizeProblem, consentPage, pendingFrom, safeEqual, single, type Pending} from './openid-authorize.js';
import type {SandboxFaults, SandboxStats} from './types.js';

export const OPENAI_SANDBOX_ROUTES = {
	discovery: '/.well-known/openid-configuration',
	authorize: '/api/accounts/authorize',
	token: '/api/accounts/oauth/token',
	revocation: '/api/accounts/oauth/revoke',
	jwks: '/.well-known/jwks.json',
} as const;

export {REGISTRATION_CLIENT_ID, RESOURCE} from './openid-authorize.js';
export const PLAN_SCOPE = 'chatgpt.tokens.use.direct';
const SUPPORTED_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'resource.invoke', PLAN_SCOPE];
const REFRESH_LIFETIME_MS = 30 * 24 * 3600 * 1000;
const CODE_TTL_MS = 10 * 60 * 1000;
const AUTH_CLAIM = 'https://api.openai.com/auth';

/** One request as it reached the OpenAI side (tests assert exact parameter sets; never printed). */
export type WireRecord = {readonly endpoint: 'authorize' | 'token' | 'revoke'; readonly params: Readonly<Record<string, string>>};

type Client = {readonly sub: string; readonly email: string; readonly workspace: string; readonly agentName: string; hostIds: string[]};
type RefreshRecord = {readonly family: string; readonly clientId: string; readonly sub: string; readonly email: string; readonly scope: string; readonly issuedAt: number; consumed: boolean};
type Family = {revoked: boolean};
type State = {
	version: 1;
	keys: Array<{kid: string; jwk: JsonWebKey}>;
	clients: Record<string, Client>;
	/** By sha256 of the token. */
	refresh: Record<string, RefreshRecord>;
	families: Record<string, Family>;
	/** Access-token jti → its grant. */
	access: Record<string, {family: string; email: string}>;
};

type Code = {readonly clientId: string; readonly sub: string; readonly email: string; readonly redirectUri: string; readonly challenge: string; readonly nonce: string; readonly scope: string; readonly expiresAt: number; used: boolean};

export type OpenIdOptions = {
	readonly issuer: string;
	readonly accessTokenTtl: number;
	readonly stats: SandboxStats;
	readonly faults: SandboxFaults;
	readonly wire: WireRecord[];
	/** Keys, clients and grants in `<stateDir>/openai.json` (shared by sandbox processes on the same folder). */
	readonly stateDir?: string;
};

export type PlanToken = {readonly account: SandboxAccount; readonly sub: string; readonly scope: readonly string[]; readonly clientId: string};

export type OpenIdServer = {
	handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean>;
	/** The grant behind a valid access-token JWT (signature, expiry, audience, family not revoked). */
	accountForAccessToken(token: string): PlanToken | undefined;
};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const random = (bytes = 24) => randomBytes(bytes).toString('base64url');

// RSA generation is the slowest part of startup: one key per process unless a state folder keeps its own.
let processKey: {kid: string; jwk: JsonWebKey} | undefined;
function newKey(): {kid: string; jwk: JsonWebKey} {
	processKey ??= (() => {
		const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
		return {kid: `sandbox-${randomBytes(4).toString('hex')}`, jwk: privateKey.export({format: 'jwk'})};
	})();
	return processKey;
}

export function createOpenIdServer(options: OpenIdOptions): OpenIdServer {
	const {stats, faults, issuer, wire} = options;
	const file = options.stateDir ? join(options.stateDir, 'openai.json') : undefined;
	const now = () => Date.now() + (faults.openaiClockOffsetMs ?? 0);

	let memory: State | undefined;
	// Read afresh on every use when shared, so a second process sees the first one's grants.
	const load = (): State => {
		if (file) {
			try {
				return JSON.parse(readFileSync(file, 'utf8')) as State;
			} catch {
				// First use: created below.
			}
		}
		memory ??= {version: 1, keys: [newKey()], clients: {}, refresh: {}, families: {}, access: {}};
		return memory;
	};
	const save = (state: State): void => {
		memory = state;
		if (!file) return;
		mkdirSync(options.stateDir!, {recursive: true, mode: 0o700});
		const temp = `${file}.${process.pid}.tmp`;
		writeFileSync(temp, JSON.stringify(state), {mode: 0o600});
		renameSync(temp, file);
	};
	save(load());

	const pending = new Map<string, Pending>();
	const codes = new Map<string, Code>();

	function signJwt(claims: Record<string, unknown>): string {
		const key = load().keys.at(-1)!;
		const input = `${b64({alg: 'RS256', typ: 'JWT', kid: key.kid})}.${b64(claims)}`;
		return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey({key: key.jwk, format: 'jwk'})).toString('base64url')}`;
	}

	function verifyJwt(token: string): Record<string, unknown> | undefined {
		const [header, payload, signature] = token.split('.');
		if (!header || !payload || !signature) return undefined;
		try {
			const {kid, alg} = JSON.parse(Buffer.from(header, 'base64url').toString()) as {kid?: string; alg?: string};
			const key = load().keys.find((k) => k.kid === kid);
			if (!key || alg !== 'RS256') return undefined;
			const publicKey = createPublicKey({key: {kty: 'RSA', n: key.jwk.n, e: key.jwk.e}, format: 'jwk'});
			if (!verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))) return undefined;
			return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
		} catch {
			return undefined;
		}
	}

	const subOf = (email: string) => `user-${hash(email).slice(0, 24)}`;

	function issueTokens(clientId: string, sub: string, email: string, scope: string, family: string, nonce?: string) {
		const state = load();
		const iat = Math.floor(now() / 1000);
		const jti = random(12);
		const access = signJwt({
			iss: issuer,
			sub,
			aud: RESOURCE,
			client_id: clientId,
			scope,
			iat,
			nbf: iat,
			exp: iat + options.accessTokenTtl,
			jti,
			[AUTH_CLAIM]: {per_user_salt: random(8), encrypted_auth_metadata: random(32)},
		});
		const refresh = `rt_${random(32)}`;
		state.refresh[hash(refresh)] = {family, clientId, sub, email, scope, issuedAt: now(), consumed: false};
		state.families[family] ??= {revoked: false};
		state.access[jti] = {family, email};
		save(state);
		const aud = faults.openaiAudArray ? [clientId] : clientId;
		const idToken = signJwt({iss: issuer, aud, sub, email, name: email.split('@')[0], ...(nonce ? {nonce} : {}), iat, exp: iat + 3600});
		return {
			access_token: access,
			refresh_token: refresh,
			id_token: idToken,
			token_type: 'Bearer',
			expires_in: options.accessTokenTtl,
			scope,
			earliest_refresh_at: iat + Math.max(0, options.accessTokenTtl - 300),
		};
	}

	const errorPage = (response: ServerResponse, why: string) => sendHtml(response, 400, page('Sign-in error', `<p>${escapeHtml(why)}</p>`));
	const tokenError = (response: ServerResponse, status: number, error: string, description: string) =>
		sendJson(response, status, {error, error_description: description}, {'x-request-id': `req_${random(9)}`});

	function redirectTo(response: ServerResponse, redirectUri: string, params: Record<string, string>): void {
		const target = new URL(redirectUri);
		for (const [key, value] of Object.entries(params)) target.searchParams.append(key, value);
		response.writeHead(302, {location: target.href, 'cache-control': 'no-store'});
		response.end();
	}

	function complete(response: ServerResponse, request: Pending, email: string, plan: boolean): void {
		const state = load();
		const sub = subOf(email);
		let clientId = request.clientId;
		if (request.registration) {
			// One client per (user, workspace, agent): registering again finds the same one.
			const found = Object.entries(state.clients).find(([, c]) => c.sub === sub && c.workspace === 'personal' && c.agentName === request.agentName);
			clientId = found?.[0] ?? `oaiapp_${random(18).replace(/[^A-Za-z0-9]/g, 'x')}`;
			const client = found?.[1] ?? {sub, email, workspace: 'personal', agentName: request.agentName!, hostIds: []};
			if (!client.hostIds.includes(request.hostId)) client.hostIds.push(request.hostId);
			state.clients[clientId] = client;
			save(state);
			stats.openaiRegistrations++;
		}
		let scope = request.scope.filter((s) => SUPPORTED_SCOPES.includes(s));
		const planGranted = request.prompt === 'consent' || (plan && !faults.openaiIdentityOnly);
		if (!planGranted) scope = scope.filter((s) => s !== PLAN_SCOPE);
		const code = random(32);
		codes.set(code, {clientId, sub, email, redirectUri: request.redirectUri, challenge: request.challenge, nonce: request.nonce, scope: scope.join(' '), expiresAt: now() + CODE_TTL_MS, used: false});
		const params: Record<string, string> = {code, scope: scope.join(' '), state: request.state};
		if (request.registration && !faults.openaiOmitClientId) params.client_id = clientId;
		if (!request.registration && faults.openaiReauthClientId) params.client_id = faults.openaiReauthClientId;
		if (faults.openaiCallbackIss) params.iss = faults.openaiCallbackIss;
		redirectTo(response, request.redirectUri, params);
	}

	function authorize(response: ServerResponse, url: URL): void {
		stats.openaiAuthorizeRequests++;
		const query = single(url.searchParams);
		if (!query) return errorPage(response, 'A parameter appears more than once.');
		wire.push({endpoint: 'authorize', params: query});
		const problem = authorizeProblem(query, (clientId) => Boolean(load().clients[clientId]));
		if (problem) return errorPage(response, problem);
		const request = pendingFrom(query, now() + CODE_TTL_MS);
		if (!request.registration && query.agent_name_hint !== undefined) stats.openaiAgentNameOnReauth++;
		if (faults.openaiDeclineConsent) return redirectTo(response, request.redirectUri, {error: 'access_denied', error_description: 'The user declined.', state: request.state});
		// With a valid id_token_hint the account selection is skipped, as at OpenAI.
		const hinted = hintedEmail(query.id_token_hint, request);
		if (hinted !== undefined) return complete(response, request, faults.openaiOtherSub ? 'someone-else@sandbox.test' : hinted, true);
		const id = random(16);
		pending.set(id, request);
		sendHtml(response, 200, consentPage({id, action: OPENAI_SANDBOX_ROUTES.authorize, registration: request.registration, email: query.login_hint ?? 'user@sandbox.test', agentName: query.agent_name_hint ?? ''}));
	}

	/** The email of a valid id_token_hint for this client on a sign-in again; undefined otherwise. */
	function hintedEmail(hintToken: string | undefined, request: Pending): string | undefined {
		const hint = hintToken && !request.registration ? verifyJwt(hintToken) : undefined;
		if (!hint || hint.aud === undefined || ![hint.aud].flat().includes(request.clientId) || typeof hint.email !== 'string') return undefined;
		return hint.email;
	}

	async function decide(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const fields = new URLSearchParams((await readBody(request)).toString('utf8'));
		const id = fields.get('request') ?? '';
		const found = pending.get(id);
		pending.delete(id);
		if (!found || found.expiresAt < now()) return errorPage(response, 'This sign-in expired or was already used. Start again from your terminal.');
		if (fields.get('decision') !== 'approve') return redirectTo(response, found.redirectUri, {error: 'access_denied', error_description: 'The user declined.', state: found.state});
		const email = (fields.get('email') ?? '').trim().toLowerCase() || 'user@sandbox.test';
		const agentName = fields.get('agent_name')?.trim();
		complete(response, found.registration && agentName ? {...found, agentName} : found, faults.openaiOtherSub && !found.registration ? 'someone-else@sandbox.test' : sandboxAccount(email).email, fields.get('plan') === 'on');
	}

	async function token(request: IncomingMessage, response: ServerResponse): Promise<void> {
		stats.tokenRequests++;
		const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
		const body = (await readBody(request)).toString('utf8');
		if (type !== 'application/x-www-form-urlencoded') return tokenError(response, 400, 'invalid_request', 'the token endpoint takes application/x-www-form-urlencoded only');
		const form = single(new URLSearchParams(body));
		if (!form) return tokenError(response, 400, 'invalid_request', 'a parameter appears more than once');
		wire.push({endpoint: 'token', params: form});
		if (form.client_id === REGISTRATION_CLIENT_ID) return tokenError(response, 401, 'invalid_client', 'dynamic_agent_client is for registration only; use the issued client id');
		const state = load();
		if (!form.client_id || !state.clients[form.client_id]) return tokenError(response, 401, 'invalid_client', 'unknown client');
		if (form.resource !== RESOURCE) return tokenError(response, 400, 'invalid_target', `resource must be ${RESOURCE}`);
		if (form.grant_type === 'authorization_code') return exchangeCode(form, response);
		if (form.grant_type === 'refresh_token') return refreshGrant(request, form, state, response);
		return tokenError(response, 400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
	}

	function exchangeCode(form: Record<string, string>, response: ServerResponse): void {
		stats.codeExchanges++;
		const code = codes.get(form.code ?? '');
		if (!code || code.used || code.expiresAt < now() || code.clientId !== form.client_id) return tokenError(response, 400, 'invalid_grant', 'the code is invalid, expired or already used');
		code.used = true;
		if (!form.code_verifier || !safeEqual(createHash('sha256').update(form.code_verifier).digest('base64url'), code.challenge)) return tokenError(response, 400, 'invalid_grant', 'code_verifier does not match');
		if (form.redirect_uri !== code.redirectUri) return tokenError(response, 400, 'invalid_grant', 'redirect_uri does not match');
		return sendJson(response, 200, issueTokens(code.clientId, code.sub, code.email, code.scope, random(12), code.nonce), {'x-request-id': `req_${random(9)}`});
	}

	function refreshGrant(request: IncomingMessage, form: Record<string, string>, state: State, response: ServerResponse): void {
		stats.refreshRequests++;
		if (faults.openaiRefreshStatus) {
			const status = faults.openaiRefreshStatus;
			if (faults.openaiRefreshHtml) return sendHtml(response, status, '<html><body>Service unavailable</body></html>');
			return tokenError(response, status, status >= 500 ? 'temporarily_unavailable' : 'server_error', 'the sandbox was told to fail this refresh');
		}
		const record = state.refresh[hash(form.refresh_token ?? '')];
		if (!record || record.clientId !== form.client_id) return tokenError(response, 400, 'invalid_grant', 'unknown refresh token');
		if (state.families[record.family]?.revoked) return tokenError(response, 400, 'refresh_token_invalidated', 'the session was revoked');
		if (record.consumed) {
			stats.refreshReuse++;
			state.families[record.family] = {revoked: true};
			save(state);
			return tokenError(response, 400, 'refresh_token_reused', 'this refresh token was already used; the session is revoked');
		}
		if (now() - record.issuedAt > REFRESH_LIFETIME_MS) return tokenError(response, 400, 'refresh_token_expired', 'the refresh token is older than 30 days');
		record.consumed = true;
		save(state);
		const tokens = issueTokens(record.clientId, record.sub, record.email, record.scope, record.family);
		// Rotated server-side; with the fault the client never hears about it.
		if (faults.dropConnectionAfterRefresh) return void request.socket.destroy();
		return sendJson(response, 200, tokens, {'x-request-id': `req_${random(9)}`});
	}

	async function revoke(request: IncomingMessage, response: ServerResponse): Promise<void> {
		stats.revocations++;
		const form = single(new URLSearchParams((await readBody(request)).toString('utf8')));
		if (form) wire.push({endpoint: 'revoke', params: form});
		if (faults.openaiRevocationStatus) return tokenError(response, faults.openaiRevocationStatus, 'server_error', 'the sandbox was told to fail this revocation');
		if (!form?.token || !form.client_id) return tokenError(response, 400, 'invalid_request', 'token and client_id are required');
		const state = load();
		const record = state.refresh[hash(form.token)];
		if (record && record.clientId === form.client_id) {
			state.families[record.family] = {revoked: true};
			save(state);
		}
		response.writeHead(200, {'content-length': '0', 'cache-control': 'no-store'});
		response.end();
	}

	function discovery(response: ServerResponse): void {
		sendJson(response, 200, {
			issuer: faults.openaiIssuerMismatch ? `${issuer}/elsewhere` : issuer,
			authorization_endpoint: issuer + OPENAI_SANDBOX_ROUTES.authorize,
			token_endpoint: issuer + OPENAI_SANDBOX_ROUTES.token,
			jwks_uri: issuer + OPENAI_SANDBOX_ROUTES.jwks,
			...(faults.openaiNoRevocation ? {} : {revocation_endpoint: issuer + OPENAI_SANDBOX_ROUTES.revocation}),
			response_types_supported: ['code'],
			grant_types_supported: ['authorization_code', 'refresh_token'],
			code_challenge_methods_supported: ['S256'],
			scopes_supported: SUPPORTED_SCOPES,
			id_token_signing_alg_values_supported: ['RS256'],
			token_endpoint_auth_methods_supported: ['none'],
		});
	}

	function jwks(response: ServerResponse): void {
		if (faults.openaiJwksStatus) return sendJson(response, faults.openaiJwksStatus, {error: 'unavailable'});
		sendJson(response, 200, {keys: load().keys.map(({kid, jwk}) => ({kty: 'RSA', kid, use: 'sig', alg: 'RS256', n: jwk.n, e: jwk.e}))});
	}

	return {
		async handle(request, response, url) {
			const route = `${request.method} ${url.pathname}`;
			if (route === `GET ${OPENAI_SANDBOX_ROUTES.discovery}`) discovery(response);
			else if (route === `GET ${OPENAI_SANDBOX_ROUTES.jwks}`) jwks(response);
			else if (route === `GET ${OPENAI_SANDBOX_ROUTES.authorize}`) authorize(response, url);
			else if (route === `POST ${OPENAI_SANDBOX_ROUTES.authorize}`) await decide(request, response);
			else if (route === `POST ${OPENAI_SANDBOX_ROUTES.token}`) await token(request, response);
			else if (route === `POST ${OPENAI_SANDBOX_ROUTES.revocation}`) await revoke(request, response);
			else return false;
			return true;
		},
		accountForAccessToken(value) {
			const claims = verifyJwt(value);
			if (!claims || claims.aud !== RESOURCE || typeof claims.exp !== 'number' || claims.exp * 1000 <= now()) return undefined;
			const state = load();
			const grant = state.access[String(claims.jti)];
			if (!grant || state.families[grant.family]?.revoked || faults.openaiDisconnected) return undefined;
			return {account: sandboxAccount(grant.email), sub: String(claims.sub), scope: String(claims.scope ?? '').split(' '), clientId: String(claims.client_id)};
		},
	};
}
