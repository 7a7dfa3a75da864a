// The OpenAI-shaped authorization server of "Sign in with ChatGPT for open-source apps", faithful to the
// documented wire: discovery, /api/accounts/authorize (registration through dynamic_agent_client, or an issued
// oaiapp_… client) and JWKS; the token endpoint and revocation are in openid-token.ts, keys and grants in
// openid-store.ts.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {sandboxAccount, type SandboxAccount} from './accounts.js';
import {escapeHtml, page, readBody, sendHtml, sendJson} from './http.js';
import {RESOURCE, authorizeProblem, consentPage, pendingFrom, single, type Pending} from './openid-authorize.js';
import {createOpenIdStore, hash, random} from './openid-store.js';
import {createTokenEndpoint, type Code} from './openid-token.js';
import type {SandboxFaults, SandboxStats, WireRecord} from './types.js';

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
const CODE_TTL_MS = 10 * 60 * 1000;

export type OpenIdOptions = {
	readonly issuer: string;
	readonly accessTokenTtl: number;
	readonly stats: SandboxStats;
	readonly faults: SandboxFaults;
	readonly wire: WireRecord[];
	/** Keys, clients and grants in `<stateDir>/openai.json` (shared by sandbox processes on the same folder). */
	readonly stateDir?: string;
};

export type PlanToken = {
	readonly account: SandboxAccount;
	readonly sub: string;
	readonly scope: readonly string[];
	readonly clientId: string;
};

export type OpenIdServer = {
	handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean>;
	/** The grant behind a valid access-token JWT (signature, expiry, audience, family not revoked). */
	accountForAccessToken(token: string): PlanToken | undefined;
};

export function createOpenIdServer(options: OpenIdOptions): OpenIdServer {
	const {stats, faults, issuer, wire} = options;
	const now = () => Date.now() + (faults.openaiClockOffsetMs ?? 0);

	const store = createOpenIdStore(options.stateDir);
	const {load, save, verifyJwt} = store;

	const pending = new Map<string, Pending>();
	const codes = new Map<string, Code>();
	const {token, revoke} = createTokenEndpoint({
		issuer,
		accessTokenTtl: options.accessTokenTtl,
		stats,
		faults,
		wire,
		store,
		codes,
		now,
	});

	const subOf = (email: string) => `user-${hash(email).slice(0, 24)}`;

	const errorPage = (response: ServerResponse, why: string) =>
		sendHtml(response, 400, page('Sign-in error', `<p>${escapeHtml(why)}</p>`));

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
			const found = Object.entries(state.clients).find(
				([, c]) => c.sub === sub && c.workspace === 'personal' && c.agentName === request.agentName,
			);
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
		codes.set(code, {
			clientId,
			sub,
			email,
			redirectUri: request.redirectUri,
			challenge: request.challenge,
			nonce: request.nonce,
			scope: scope.join(' '),
			expiresAt: now() + CODE_TTL_MS,
			used: false,
		});
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
		if (faults.openaiDeclineConsent)
			return redirectTo(response, request.redirectUri, {
				error: 'access_denied',
				error_description: 'The user declined.',
				state: request.state,
			});
		// With a valid id_token_hint the account selection is skipped, as at OpenAI.
		const hinted = hintedEmail(query.id_token_hint, request);
		if (hinted !== undefined)
			return complete(response, request, faults.openaiOtherSub ? 'someone-else@sandbox.test' : hinted, true);
		const id = random(16);
		pending.set(id, request);
		sendHtml(
			response,
			200,
			consentPage({
				id,
				action: OPENAI_SANDBOX_ROUTES.authorize,
				registration: request.registration,
				email: query.login_hint ?? 'user@sandbox.test',
				agentName: query.agent_name_hint ?? '',
			}),
		);
	}

	/** The email of a valid id_token_hint for this client on a sign-in again; undefined otherwise. */
	function hintedEmail(hintToken: string | undefined, request: Pending): string | undefined {
		const hint = hintToken && !request.registration ? verifyJwt(hintToken) : undefined;
		if (
			!hint ||
			hint.aud === undefined ||
			![hint.aud].flat().includes(request.clientId) ||
			typeof hint.email !== 'string'
		)
			return undefined;
		return hint.email;
	}

	async function decide(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const fields = new URLSearchParams((await readBody(request)).toString('utf8'));
		const id = fields.get('request') ?? '';
		const found = pending.get(id);
		pending.delete(id);
		if (!found || found.expiresAt < now())
			return errorPage(response, 'This sign-in expired or was already used. Start again from your terminal.');
		if (fields.get('decision') !== 'approve')
			return redirectTo(response, found.redirectUri, {
				error: 'access_denied',
				error_description: 'The user declined.',
				state: found.state,
			});
		const email = (fields.get('email') ?? '').trim().toLowerCase() || 'user@sandbox.test';
		const agentName = fields.get('agent_name')?.trim();
		complete(
			response,
			found.registration && agentName ? {...found, agentName} : found,
			faults.openaiOtherSub && !found.registration ? 'someone-else@sandbox.test' : sandboxAccount(email).email,
			fields.get('plan') === 'on',
		);
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
		sendJson(response, 200, {
			keys: load().keys.map(({kid, jwk}) => ({kty: 'RSA', kid, use: 'sig', alg: 'RS256', n: jwk.n, e: jwk.e})),
		});
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
			if (!claims || claims.aud !== RESOURCE || typeof claims.exp !== 'number' || claims.exp * 1000 <= now())
				return undefined;
			const state = load();
			const grant = state.access[String(claims.jti)];
			if (!grant || state.families[grant.family]?.revoked || faults.openaiDisconnected) return undefined;
			return {
				account: sandboxAccount(grant.email),
				sub: String(claims.sub),
				scope: String(claims.scope ?? '').split(' '),
				clientId: String(claims.client_id),
			};
		},
	};
}
