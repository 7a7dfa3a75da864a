// The sandbox's OpenAI side, on the wire: what a faithful fake of the ChatGPT sign-in for open-source apps
// must refuse and answer, spoken to with plain fetch (no client code of ours in the way).
import {createHash, randomBytes} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {startTestSandbox, useSandbox, type Sandbox} from '../helpers/sandbox.js';

const sandbox = useSandbox();
const RESOURCE = 'https://api.openai.com/v1';
const HOST_ID = 'urn:uuid:0b3c1f9e-6a5d-4f2e-9c1b-2d3e4f5a6b7c';
const REDIRECT = 'http://127.0.0.1:45678/auth/callback';

type Attempt = {url: string; verifier: string; state: string; nonce: string};

function authorizeUrl(box: Sandbox, params: Record<string, string> = {}): Attempt {
	const verifier = randomBytes(32).toString('base64url');
	const state = randomBytes(16).toString('base64url');
	const nonce = randomBytes(16).toString('base64url');
	const url = new URL('/api/accounts/authorize', box.issuer);
	url.search = new URLSearchParams({
		response_type: 'code',
		client_id: 'dynamic_agent_client',
		redirect_uri: REDIRECT,
		scope: 'openid profile email offline_access resource.invoke chatgpt.tokens.use.direct',
		resource: RESOURCE,
		code_challenge: createHash('sha256').update(verifier).digest('base64url'),
		code_challenge_method: 'S256',
		state,
		nonce,
		ext_agent_host_id: HOST_ID,
		agent_name_hint: 'tui',
		...params,
	}).toString();
	return {url: url.href, verifier, state, nonce};
}

const form = (box: Sandbox, path: string, body: Record<string, string>) =>
	fetch(new URL(path, box.issuer), {
		method: 'POST',
		headers: {'content-type': 'application/x-www-form-urlencoded'},
		body: new URLSearchParams(body),
	});

const claims = (jwt: string) =>
	JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

/** Registration through the sandbox's page, then the code exchange: the tokens and the issued client. */
async function register(box: Sandbox, email = 'wire@sandbox.test') {
	const attempt = authorizeUrl(box);
	const landed = new URL((await completeSandboxLoginWithoutBrowser(attempt.url, {land: false, email})).finalUrl);
	const clientId = landed.searchParams.get('client_id')!;
	const response = await form(box, '/api/accounts/oauth/token', {
		grant_type: 'authorization_code',
		client_id: clientId,
		code: landed.searchParams.get('code')!,
		code_verifier: attempt.verifier,
		redirect_uri: REDIRECT,
		resource: RESOURCE,
	});
	expect(response.status).toBe(200);
	const tokens = (await response.json()) as {
		access_token: string;
		refresh_token: string;
		id_token: string;
		scope: string;
		expires_in: number;
		token_type: string;
		earliest_refresh_at: number;
	};
	return {clientId, tokens, attempt, landed};
}

describe('discovery, authorize and registration', () => {
	it('publishes the /api/accounts/* endpoints, a jwks_uri and a revocation_endpoint', async () => {
		const box = sandbox();
		const doc = (await (await fetch(`${box.issuer}/.well-known/openid-configuration`)).json()) as Record<
			string,
			unknown
		>;
		expect(doc).toMatchObject({
			issuer: box.issuer,
			authorization_endpoint: `${box.issuer}/api/accounts/authorize`,
			token_endpoint: `${box.issuer}/api/accounts/oauth/token`,
			jwks_uri: `${box.issuer}/.well-known/jwks.json`,
			code_challenge_methods_supported: ['S256'],
		});
		expect(doc.revocation_endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
		const jwks = (await (await fetch(String(doc.jwks_uri))).json()) as {keys: Array<Record<string, string>>};
		expect(jwks.keys[0]).toMatchObject({kty: 'RSA', alg: 'RS256', use: 'sig'});
		expect(jwks.keys[0]).not.toHaveProperty('d');
	});

	it('the login page runs in the browser and says it is a sandbox', async () => {
		const box = sandbox();
		const page = await fetch(authorizeUrl(box).url);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('tui-auth sandbox');
		expect(html).toContain('Continue with ChatGPT');
	});

	it.each([
		[
			'localhost instead of 127.0.0.1',
			{redirect_uri: 'http://localhost:45678/auth/callback'},
			'redirect_uri must be http://127.0.0.1:<port>/auth/callback.',
		],
		[
			'another path',
			{redirect_uri: 'http://127.0.0.1:45678/callback'},
			'redirect_uri must be http://127.0.0.1:<port>/auth/callback.',
		],
		[
			'a host id that is an email',
			{ext_agent_host_id: 'me@example.com'},
			'ext_agent_host_id is missing or not a supported host id.',
		],
		['no agent_name_hint on registration', {agent_name_hint: ''}, 'agent_name_hint is required to register an app.'],
		['another resource', {resource: 'https://example.com'}, 'resource must be https://api.openai.com/v1.'],
		['no nonce', {nonce: ''}, 'state and nonce are required.'],
		['plain PKCE', {code_challenge_method: 'plain'}, 'S256 PKCE is required.'],
	])('refuses %s', async (_name, params, message) => {
		const box = sandbox();
		const response = await fetch(authorizeUrl(box, params).url);
		expect(response.status).toBe(400);
		expect(await response.text()).toContain(message.replace('<', '&lt;').replace('>', '&gt;'));
	});

	it('mints one oaiapp_ client per user and agent, returned in the callback with the granted scope', async () => {
		const box = sandbox();
		const first = await register(box, 'same@sandbox.test');
		expect(first.clientId).toMatch(/^oaiapp_[A-Za-z0-9_-]+$/);
		expect(first.landed.searchParams.get('scope')).toContain('chatgpt.tokens.use.direct');
		const again = await register(box, 'same@sandbox.test');
		expect(again.clientId).toBe(first.clientId);
		const other = await register(box, 'other@sandbox.test');
		expect(other.clientId).not.toBe(first.clientId);
	});
});

describe('token endpoint', () => {
	it('answers the code exchange per the token reference: RS256 id_token for the issued client, access-token JWT for the API', async () => {
		const box = sandbox();
		const {clientId, tokens, attempt} = await register(box);
		expect(tokens).toMatchObject({
			token_type: 'Bearer',
			expires_in: 3600,
			scope: 'openid profile email offline_access resource.invoke chatgpt.tokens.use.direct',
		});
		expect(typeof tokens.earliest_refresh_at).toBe('number');
		const id = claims(tokens.id_token);
		expect(id).toMatchObject({iss: box.issuer, aud: clientId, email: 'wire@sandbox.test', nonce: attempt.nonce});
		expect(JSON.parse(Buffer.from(tokens.id_token.split('.')[0]!, 'base64url').toString())).toMatchObject({
			alg: 'RS256',
		});
		const access = claims(tokens.access_token);
		expect(access).toMatchObject({iss: box.issuer, aud: RESOURCE, client_id: clientId, sub: id.sub});
		expect(access['https://api.openai.com/auth']).toHaveProperty('encrypted_auth_metadata');
	});

	it('refuses dynamic_agent_client, a replayed code, a wrong verifier or redirect, a JSON body, and a missing resource', async () => {
		const box = sandbox();
		const attempt = authorizeUrl(box);
		const landed = new URL((await completeSandboxLoginWithoutBrowser(attempt.url, {land: false})).finalUrl);
		const base = {
			grant_type: 'authorization_code',
			client_id: landed.searchParams.get('client_id')!,
			code: landed.searchParams.get('code')!,
			code_verifier: attempt.verifier,
			redirect_uri: REDIRECT,
			resource: RESOURCE,
		};
		const dynamic = await form(box, '/api/accounts/oauth/token', {...base, client_id: 'dynamic_agent_client'});
		expect(dynamic.status).toBe(401);
		expect(await dynamic.json()).toMatchObject({error: 'invalid_client'});
		expect(
			await (await form(box, '/api/accounts/oauth/token', {...base, resource: 'https://example.com'})).json(),
		).toMatchObject({error: 'invalid_target'});
		const json = await fetch(`${box.issuer}/api/accounts/oauth/token`, {
			method: 'POST',
			headers: {'content-type': 'application/json'},
			body: JSON.stringify(base),
		});
		expect(await json.json()).toMatchObject({error: 'invalid_request'});
		expect(
			await (await form(box, '/api/accounts/oauth/token', {...base, code_verifier: 'x'.repeat(43)})).json(),
		).toMatchObject({error: 'invalid_grant'});
		// The code was spent by the failed attempt: single use.
		expect(await (await form(box, '/api/accounts/oauth/token', base)).json()).toMatchObject({error: 'invalid_grant'});
	});

	it('refresh rotates; reuse revokes the family (refresh_token_reused); 30 days on the fake clock expire it; revocation invalidates it', async () => {
		const box = await startTestSandbox();
		const {clientId, tokens} = await register(box);
		const refresh = (token: string) =>
			form(box, '/api/accounts/oauth/token', {
				grant_type: 'refresh_token',
				client_id: clientId,
				refresh_token: token,
				resource: RESOURCE,
			});
		const first = await refresh(tokens.refresh_token);
		expect(first.status).toBe(200);
		const rotated = (await first.json()) as {refresh_token: string; access_token: string; scope: string};
		expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
		expect(rotated.scope).toBe(tokens.scope);
		const reuse = await refresh(tokens.refresh_token);
		expect(await reuse.json()).toMatchObject({error: 'refresh_token_reused'});
		expect(box.stats.refreshReuse).toBe(1);
		// The whole family is gone: the rotated token too, and its access token.
		expect(await (await refresh(rotated.refresh_token)).json()).toMatchObject({error: 'refresh_token_invalidated'});
		expect(
			(await fetch(`${box.url}/v1/models`, {headers: {authorization: `Bearer ${rotated.access_token}`}})).status,
		).toBe(401);

		const second = await register(box, 'clock@sandbox.test');
		box.faults.openaiClockOffsetMs = 31 * 24 * 3600 * 1000;
		expect(
			await (
				await form(box, '/api/accounts/oauth/token', {
					grant_type: 'refresh_token',
					client_id: second.clientId,
					refresh_token: second.tokens.refresh_token,
					resource: RESOURCE,
				})
			).json(),
		).toMatchObject({error: 'refresh_token_expired'});
		box.faults.openaiClockOffsetMs = undefined;

		const third = await register(box, 'revoke@sandbox.test');
		const revoked = await form(box, '/api/accounts/oauth/revoke', {
			token: third.tokens.refresh_token,
			token_type_hint: 'refresh_token',
			client_id: third.clientId,
		});
		expect(revoked.status).toBe(200);
		expect(await revoked.text()).toBe('');
		expect(
			(
				await form(box, '/api/accounts/oauth/revoke', {
					token: 'unknown',
					token_type_hint: 'refresh_token',
					client_id: third.clientId,
				})
			).status,
		).toBe(200);
		expect(
			await (
				await form(box, '/api/accounts/oauth/token', {
					grant_type: 'refresh_token',
					client_id: third.clientId,
					refresh_token: third.tokens.refresh_token,
					resource: RESOURCE,
				})
			).json(),
		).toMatchObject({error: 'refresh_token_invalidated'});
	});

	it('a 503 knob answers temporarily_unavailable and rotates nothing', async () => {
		const box = await startTestSandbox();
		const {clientId, tokens} = await register(box);
		box.faults.openaiRefreshStatus = 503;
		const failed = await form(box, '/api/accounts/oauth/token', {
			grant_type: 'refresh_token',
			client_id: clientId,
			refresh_token: tokens.refresh_token,
			resource: RESOURCE,
		});
		expect(failed.status).toBe(503);
		expect(await failed.json()).toMatchObject({error: 'temporarily_unavailable'});
		box.faults.openaiRefreshStatus = undefined;
		expect(
			(
				await form(box, '/api/accounts/oauth/token', {
					grant_type: 'refresh_token',
					client_id: clientId,
					refresh_token: tokens.refresh_token,
					resource: RESOURCE,
				})
			).status,
		).toBe(200);
	});
});

describe('resource server for plan tokens', () => {
	const responses = (box: Sandbox, token: string, body: unknown) =>
		fetch(`${box.url}/v1/responses`, {
			method: 'POST',
			headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'},
			body: JSON.stringify(body),
		});
	const ok = {model: 'gpt-6.1-sol', store: false, stream: true, input: [{role: 'user', content: 'hi'}]};

	it('/v1/models answers {models:[…]} with visibility; sk-sandbox keys keep the API-key shape', async () => {
		const box = sandbox();
		const {tokens} = await register(box);
		const models = await fetch(`${box.url}/v1/models`, {headers: {authorization: `Bearer ${tokens.access_token}`}});
		expect(models.headers.get('x-request-id')).toBeTruthy();
		const body = (await models.json()) as {models: Array<{slug: string; visibility: string}>};
		expect(body.models.map((m) => m.visibility)).toContain('hide');
		expect(body.models[0]).toMatchObject({slug: 'gpt-6.1-sol', visibility: 'list'});
		const keyed = (await (
			await fetch(`${box.url}/v1/models`, {headers: {authorization: 'Bearer sk-sandbox-test'}})
		).json()) as {object: string};
		expect(keyed.object).toBe('list');
	});

	it('/v1/responses demands store:false, stream:true and an input list, and streams SSE to response.completed', async () => {
		const box = sandbox();
		const {tokens} = await register(box);
		const stream = await responses(box, tokens.access_token, ok);
		expect(stream.status).toBe(200);
		const text = await stream.text();
		expect(text).toContain('event: response.output_text.delta');
		expect(text.trim().split('\n\n').at(-1)).toContain('"type":"response.completed"');
		expect(await (await responses(box, tokens.access_token, {...ok, store: true})).json()).toMatchObject({
			error: {code: 'subscription_sharing_unsupported_capability', param: 'store'},
		});
		expect(await (await responses(box, tokens.access_token, {...ok, stream: false})).json()).toMatchObject({
			error: {code: 'subscription_sharing_unsupported_capability', param: 'stream'},
		});
		expect(await (await responses(box, tokens.access_token, {...ok, temperature: 0.2})).json()).toMatchObject({
			error: {param: 'temperature'},
		});
		expect(
			await (await responses(box, tokens.access_token, {...ok, input: [{role: 'system', content: 'x'}]})).json(),
		).toMatchObject({error: {param: 'input'}});
		const notList = await responses(box, tokens.access_token, {...ok, input: 'hi'});
		expect(notList.status).toBe(422);
		expect(await notList.json()).toMatchObject({detail: [{loc: ['body', 'input'], type: 'list_type'}]});
		const chat = await fetch(`${box.url}/v1/chat/completions`, {
			method: 'POST',
			headers: {authorization: `Bearer ${tokens.access_token}`},
			body: '{}',
		});
		expect(chat.status).toBe(403);
		expect(await chat.json()).toMatchObject({error: {code: 'subscription_sharing_route_not_supported'}});
	});

	it('knobs: usage limit before and mid-stream, ineligible plan, identity-only grant, silent disconnect', async () => {
		const box = await startTestSandbox();
		const {tokens} = await register(box);
		box.faults.openaiUsageLimit = true;
		const limited = await responses(box, tokens.access_token, ok);
		expect(limited.status).toBe(429);
		expect(await limited.json()).toMatchObject({error: {code: 'subscription_sharing_usage_limit_exceeded'}});
		box.faults.openaiUsageLimit = false;
		box.faults.openaiUsageLimitMidStream = true;
		const mid = await (await responses(box, tokens.access_token, ok)).text();
		expect(mid).toContain('event: response.output_text.delta');
		expect(mid).toContain('"type":"response.failed"');
		expect(mid).toContain('subscription_sharing_usage_limit_exceeded');
		box.faults.openaiUsageLimitMidStream = false;
		box.faults.openaiIneligible = true;
		expect(await (await responses(box, tokens.access_token, ok)).json()).toMatchObject({
			error: {code: 'subscription_sharing_user_not_eligible'},
		});
		box.faults.openaiIneligible = false;
		box.faults.openaiIdentityOnly = true;
		const identity = await register(box, 'identity@sandbox.test');
		expect(identity.tokens.scope).not.toContain('chatgpt.tokens.use.direct');
		expect((await responses(box, identity.tokens.access_token, ok)).status).toBe(403);
		box.faults.openaiIdentityOnly = false;
		box.faults.openaiDisconnected = true;
		expect((await responses(box, tokens.access_token, ok)).status).toBe(401);
	});
});
