// The OpenAI-shaped OpenID provider, driven by oauth4webapi as a real client.
import * as oauth from 'oauth4webapi';
import {afterEach, describe, expect, it} from 'vitest';
import {OPENAI_AUTH_CLAIM, SANDBOX_OPENAI_CLIENT_ID} from '../../source/sandbox/constants.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {useSandbox, type Sandbox} from '../helpers/sandbox.js';
import {startCallbackListener, type CallbackListener} from './callback-listener.js';

const sandbox = useSandbox({accessTokenTtl: 120});
const client: oauth.Client = {client_id: SANDBOX_OPENAI_CLIENT_ID, token_endpoint_auth_method: 'none'};
const insecure = {[oauth.allowInsecureRequests]: true};

let listeners: CallbackListener[] = [];
afterEach(async () => {
	await Promise.all(listeners.map((listener) => listener.close()));
	listeners = [];
});

async function discover(box: Sandbox): Promise<oauth.AuthorizationServer> {
	const issuer = new URL(box.issuer);
	return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, {...insecure, algorithm: 'oidc'}));
}

/** authorize → dev login → consent → code at a loopback listener → token exchange. */
async function signIn(box: Sandbox, email = 'ada@example.test') {
	const as = await discover(box);
	const listener = await startCallbackListener();
	listeners.push(listener);
	const redirectUri = listener.redirectUri();
	const verifier = oauth.generateRandomCodeVerifier();
	const state = oauth.generateRandomState();
	const url = new URL(as.authorization_endpoint!);
	url.search = new URLSearchParams({
		client_id: SANDBOX_OPENAI_CLIENT_ID,
		response_type: 'code',
		redirect_uri: redirectUri,
		scope: 'openid profile email offline_access',
		code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256',
		state,
		id_token_add_organizations: 'true',
		codex_cli_simplified_flow: 'true',
		originator: 'tui',
	}).toString();
	const login = await completeSandboxLoginWithoutBrowser(url.href, {email});
	expect(login.leftSandbox).toBe(true);
	const callback = await listener.received;
	expect(callback.pathname).toBe('/auth/callback');
	const params = oauth.validateAuthResponse(as, client, callback, state);
	const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, insecure);
	const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
	return {as, tokens, verifier, redirectUri, params};
}

async function refreshWithJson(box: Sandbox, refreshToken: string) {
	// Codex refreshes with a JSON body, not a form.
	return fetch(`${box.issuer}/oauth/token`, {
		method: 'POST',
		headers: {'content-type': 'application/json'},
		body: JSON.stringify({client_id: SANDBOX_OPENAI_CLIENT_ID, grant_type: 'refresh_token', refresh_token: refreshToken, scope: 'openid profile email'}),
	});
}

describe('OpenAI-shaped authorization server', () => {
	it('publishes discovery like auth.openai.com, with device authorization and revocation', async () => {
		const as = await discover(sandbox());
		expect(as.issuer).toBe(sandbox().issuer);
		expect(as.authorization_endpoint).toBe(`${sandbox().issuer}/oauth/authorize`);
		expect(as.token_endpoint).toBe(`${sandbox().issuer}/oauth/token`);
		expect(as.revocation_endpoint).toBe(`${sandbox().issuer}/oauth/revoke`);
		expect(as.device_authorization_endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
		expect(as.code_challenge_methods_supported).toEqual(['S256']);
	});

	it('runs authorization code + PKCE to an id_token with the OpenAI claims; refresh rotates; reuse revokes the family', async () => {
		const box = sandbox();
		const before = {...box.stats};
		const {as, tokens} = await signIn(box, 'ada@example.test');
		expect(box.stats.codeExchanges - before.codeExchanges).toBe(1);
		expect(tokens.expires_in).toBe(120);
		expect(tokens.refresh_token).toBeTruthy();
		const claims = oauth.getValidatedIdTokenClaims(tokens)!;
		expect(claims.email).toBe('ada@example.test');
		expect(claims[OPENAI_AUTH_CLAIM]).toMatchObject({chatgpt_plan_type: 'plus', chatgpt_account_id: expect.stringMatching(/^acct_sandbox_[0-9a-f]{16}$/)});

		// First refresh, JSON body as Codex sends it: a new refresh token.
		const first = await refreshWithJson(box, tokens.refresh_token!);
		expect(first.status).toBe(200);
		const firstBody = (await first.json()) as {refresh_token: string; access_token: string; id_token: string};
		expect(firstBody.refresh_token).not.toBe(tokens.refresh_token);
		expect(firstBody.id_token).toBeTruthy();

		// Second refresh, form body through oauth4webapi: rotates again.
		const second = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, oauth.None(), firstBody.refresh_token, insecure));
		expect(second.refresh_token).not.toBe(firstBody.refresh_token);
		const accountId = (oauth.getValidatedIdTokenClaims(second)![OPENAI_AUTH_CLAIM] as {chatgpt_account_id: string}).chatgpt_account_id;
		const usageWith = (token: string) => fetch(box.env.TUI_OPENAI_USAGE_URL!, {headers: {authorization: `Bearer ${token}`, 'chatgpt-account-id': accountId}});
		expect((await usageWith(second.access_token)).status).toBe(200);

		// Reusing a consumed refresh token fails and revokes the newest one and its access token.
		const reuse = await refreshWithJson(box, tokens.refresh_token!);
		expect(reuse.status).toBe(400);
		expect(await reuse.json()).toMatchObject({error: 'invalid_grant', code: 'refresh_token_reused'});
		expect(box.stats.refreshReuse - before.refreshReuse).toBe(1);
		const newest = await refreshWithJson(box, second.refresh_token!);
		expect(newest.status).toBe(400);
		expect(await newest.json()).toMatchObject({error: 'invalid_grant', code: 'refresh_token_invalidated'});
		expect((await usageWith(second.access_token)).status).toBe(401);
		expect(box.stats.refreshRequests - before.refreshRequests).toBe(4);
		expect(box.stats.tokenRequests - before.tokenRequests).toBe(5);
	});

	it('rejects a wrong code_verifier and an authorization request without PKCE', async () => {
		const box = sandbox();
		const as = await discover(box);
		const listener = await startCallbackListener();
		listeners.push(listener);
		const state = oauth.generateRandomState();
		const noPkce = new URL(as.authorization_endpoint!);
		noPkce.search = new URLSearchParams({client_id: SANDBOX_OPENAI_CLIENT_ID, response_type: 'code', redirect_uri: listener.redirectUri(), scope: 'openid', state}).toString();
		const refused = await fetch(noPkce, {redirect: 'manual'});
		const location = new URL(refused.headers.get('location')!);
		expect(location.origin).toBe(`http://127.0.0.1:${listener.port}`);
		expect(location.searchParams.get('error')).toBe('invalid_request');

		const {params, redirectUri} = await signInParamsOnly(box, as);
		const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, oauth.generateRandomCodeVerifier(), insecure);
		await expect(oauth.processAuthorizationCodeResponse(as, client, response)).rejects.toMatchObject({error: 'invalid_grant'});
	});

	it('answers a refresh, then drops the connection when the fault is on; the rotated token is spent', async () => {
		const box = sandbox();
		const {tokens} = await signIn(box, 'drop@example.test');
		box.faults.dropConnectionAfterRefresh = true;
		try {
			await expect(refreshWithJson(box, tokens.refresh_token!)).rejects.toThrow();
		} finally {
			box.faults.dropConnectionAfterRefresh = false;
		}
		const retry = await refreshWithJson(box, tokens.refresh_token!);
		expect(retry.status).toBe(400);
	});

	it('counts revocations and revokes the refresh token', async () => {
		const box = sandbox();
		const before = box.stats.revocations;
		const {as, tokens} = await signIn(box, 'revoke@example.test');
		await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, oauth.None(), tokens.refresh_token!, insecure));
		expect(box.stats.revocations - before).toBe(1);
		expect((await refreshWithJson(box, tokens.refresh_token!)).status).toBe(400);
	});

	it('issues a refresh token without prompt=consent and redirects to any loopback port of localhost too', async () => {
		const box = sandbox();
		const as = await discover(box);
		const listener = await startCallbackListener();
		listeners.push(listener);
		const verifier = oauth.generateRandomCodeVerifier();
		const state = oauth.generateRandomState();
		const redirectUri = `http://localhost:${listener.port}/auth/callback`;
		const url = new URL(as.authorization_endpoint!);
		url.search = new URLSearchParams({
			client_id: SANDBOX_OPENAI_CLIENT_ID,
			response_type: 'code',
			redirect_uri: redirectUri,
			scope: 'openid profile email offline_access',
			code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
			code_challenge_method: 'S256',
			state,
		}).toString();
		const login = await completeSandboxLoginWithoutBrowser(url.href, {land: false});
		const callback = new URL(login.finalUrl);
		expect(callback.host).toBe(`localhost:${listener.port}`);
		const params = oauth.validateAuthResponse(as, client, callback, state);
		const tokens = await oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, insecure));
		expect(tokens.refresh_token).toBeTruthy();
	});
});

async function signInParamsOnly(box: Sandbox, as: oauth.AuthorizationServer) {
	const listener = await startCallbackListener();
	listeners.push(listener);
	const redirectUri = listener.redirectUri();
	const verifier = oauth.generateRandomCodeVerifier();
	const state = oauth.generateRandomState();
	const url = new URL(as.authorization_endpoint!);
	url.search = new URLSearchParams({
		client_id: SANDBOX_OPENAI_CLIENT_ID,
		response_type: 'code',
		redirect_uri: redirectUri,
		scope: 'openid email',
		code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256',
		state,
	}).toString();
	await completeSandboxLoginWithoutBrowser(url.href);
	return {params: oauth.validateAuthResponse(as, client, await listener.received, state), redirectUri};
}
