// The OpenAI sandbox's form-only token endpoint (code exchange with PKCE, rotating refresh tokens whose reuse
// revokes the family) and revocation, issuing RS256 ID tokens and access-token JWTs for the API resource.
import {createHash} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {readBody, sendHtml, sendJson} from './http.js';
import {REGISTRATION_CLIENT_ID, RESOURCE, safeEqual, single} from './openid-authorize.js';
import {hash, random, type OpenIdState, type OpenIdStore} from './openid-store.js';
import type {SandboxFaults, SandboxStats, WireRecord} from './types.js';

const REFRESH_LIFETIME_MS = 30 * 24 * 3600 * 1000;
const AUTH_CLAIM = 'https://api.openai.com/auth';

/** An authorization code, kept in memory by the process that issued it. */
export type Code = {
	readonly clientId: string;
	readonly sub: string;
	readonly email: string;
	readonly redirectUri: string;
	readonly challenge: string;
	readonly nonce: string;
	readonly scope: string;
	readonly expiresAt: number;
	used: boolean;
};

export type TokenEndpointOptions = {
	readonly issuer: string;
	readonly accessTokenTtl: number;
	readonly stats: SandboxStats;
	readonly faults: SandboxFaults;
	readonly wire: WireRecord[];
	readonly store: OpenIdStore;
	readonly codes: ReadonlyMap<string, Code>;
	now(): number;
};

export function createTokenEndpoint(options: TokenEndpointOptions) {
	const {stats, faults, issuer, wire, store, codes, now} = options;
	const {load, save, signJwt} = store;

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
		const idToken = signJwt({
			iss: issuer,
			aud,
			sub,
			email,
			name: email.split('@')[0],
			...(nonce ? {nonce} : {}),
			iat,
			exp: iat + 3600,
		});
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

	const tokenError = (response: ServerResponse, status: number, error: string, description: string) =>
		sendJson(response, status, {error, error_description: description}, {'x-request-id': `req_${random(9)}`});

	async function token(request: IncomingMessage, response: ServerResponse): Promise<void> {
		stats.tokenRequests++;
		const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
		const body = (await readBody(request)).toString('utf8');
		if (type !== 'application/x-www-form-urlencoded')
			return tokenError(
				response,
				400,
				'invalid_request',
				'the token endpoint takes application/x-www-form-urlencoded only',
			);
		const form = single(new URLSearchParams(body));
		if (!form) return tokenError(response, 400, 'invalid_request', 'a parameter appears more than once');
		wire.push({endpoint: 'token', params: form});
		if (form.client_id === REGISTRATION_CLIENT_ID)
			return tokenError(
				response,
				401,
				'invalid_client',
				'dynamic_agent_client is for registration only; use the issued client id',
			);
		const state = load();
		if (!form.client_id || !state.clients[form.client_id])
			return tokenError(response, 401, 'invalid_client', 'unknown client');
		if (form.resource !== RESOURCE) return tokenError(response, 400, 'invalid_target', `resource must be ${RESOURCE}`);
		if (form.grant_type === 'authorization_code') return exchangeCode(form, response);
		if (form.grant_type === 'refresh_token') return refreshGrant(request, form, state, response);
		return tokenError(
			response,
			400,
			'unsupported_grant_type',
			'grant_type must be authorization_code or refresh_token',
		);
	}

	function exchangeCode(form: Record<string, string>, response: ServerResponse): void {
		stats.codeExchanges++;
		const code = codes.get(form.code ?? '');
		if (!code || code.used || code.expiresAt < now() || code.clientId !== form.client_id)
			return tokenError(response, 400, 'invalid_grant', 'the code is invalid, expired or already used');
		code.used = true;
		if (
			!form.code_verifier ||
			!safeEqual(createHash('sha256').update(form.code_verifier).digest('base64url'), code.challenge)
		)
			return tokenError(response, 400, 'invalid_grant', 'code_verifier does not match');
		if (form.redirect_uri !== code.redirectUri)
			return tokenError(response, 400, 'invalid_grant', 'redirect_uri does not match');
		return sendJson(
			response,
			200,
			issueTokens(code.clientId, code.sub, code.email, code.scope, random(12), code.nonce),
			{'x-request-id': `req_${random(9)}`},
		);
	}

	function refreshGrant(
		request: IncomingMessage,
		form: Record<string, string>,
		state: OpenIdState,
		response: ServerResponse,
	): void {
		stats.refreshRequests++;
		if (faults.openaiRefreshStatus) {
			const status = faults.openaiRefreshStatus;
			if (faults.openaiRefreshHtml) return sendHtml(response, status, '<html><body>Service unavailable</body></html>');
			return tokenError(
				response,
				status,
				status >= 500 ? 'temporarily_unavailable' : 'server_error',
				'the sandbox was told to fail this refresh',
			);
		}
		const record = state.refresh[hash(form.refresh_token ?? '')];
		if (!record || record.clientId !== form.client_id)
			return tokenError(response, 400, 'invalid_grant', 'unknown refresh token');
		if (state.families[record.family]?.revoked)
			return tokenError(response, 400, 'refresh_token_invalidated', 'the session was revoked');
		if (record.consumed) {
			stats.refreshReuse++;
			state.families[record.family] = {revoked: true};
			save(state);
			return tokenError(
				response,
				400,
				'refresh_token_reused',
				'this refresh token was already used; the session is revoked',
			);
		}
		if (now() - record.issuedAt > REFRESH_LIFETIME_MS)
			return tokenError(response, 400, 'refresh_token_expired', 'the refresh token is older than 30 days');
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
		if (faults.openaiRevocationStatus)
			return tokenError(
				response,
				faults.openaiRevocationStatus,
				'server_error',
				'the sandbox was told to fail this revocation',
			);
		if (!form?.token || !form.client_id)
			return tokenError(response, 400, 'invalid_request', 'token and client_id are required');
		const state = load();
		const record = state.refresh[hash(form.token)];
		if (record && record.clientId === form.client_id) {
			state.families[record.family] = {revoked: true};
			save(state);
		}
		response.writeHead(200, {'content-length': '0', 'cache-control': 'no-store'});
		response.end();
	}

	return {token, revoke};
}
