// The Claude-shaped authorize page, JSON token endpoint and paste display.
import * as oauth from 'oauth4webapi';
import {afterEach, describe, expect, it} from 'vitest';
import {SANDBOX_CLAUDE_CLIENT_ID} from '../../source/sandbox/constants.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {useSandbox, type Sandbox} from '../helpers/sandbox.js';
import {startCallbackListener, type CallbackListener} from './callback-listener.js';

const sandbox = useSandbox();
let listeners: CallbackListener[] = [];
afterEach(async () => {
	await Promise.all(listeners.map((listener) => listener.close()));
	listeners = [];
});

type ClaudeTokens = {
	access_token: string;
	refresh_token: string;
	expires_in: number;
	scope: string;
	account: {uuid: string; email_address: string};
	organization: {uuid: string; name: string};
};

async function authorizeUrl(box: Sandbox, redirectUri: string) {
	const verifier = oauth.generateRandomCodeVerifier();
	const state = oauth.generateRandomState();
	const url = new URL(box.env.TUI_CLAUDE_OAUTH_AUTHORIZE_URL!);
	url.search = new URLSearchParams({
		code: 'true',
		client_id: SANDBOX_CLAUDE_CLIENT_ID,
		response_type: 'code',
		redirect_uri: redirectUri,
		scope: 'user:profile user:inference',
		code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256',
		state,
	}).toString();
	return {url: url.href, verifier, state};
}

const postToken = (box: Sandbox, body: Record<string, string>) =>
	fetch(box.env.TUI_CLAUDE_OAUTH_TOKEN_URL!, {
		method: 'POST',
		headers: {'content-type': 'application/json'},
		body: JSON.stringify(body),
	});

describe('Claude-shaped OAuth', () => {
	it('authorize → loopback code → JSON token exchange → refresh rotates → reuse revokes the family', async () => {
		const box = sandbox();
		const listener = await startCallbackListener();
		listeners.push(listener);
		const redirectUri = listener.redirectUri('/callback');
		const {url, verifier, state} = await authorizeUrl(box, redirectUri);
		await completeSandboxLoginWithoutBrowser(url, {email: 'claude@example.test'});
		const callback = await listener.received;
		expect(callback.searchParams.get('state')).toBe(state);
		const code = callback.searchParams.get('code')!;

		const exchange = {
			grant_type: 'authorization_code',
			code,
			state,
			client_id: SANDBOX_CLAUDE_CLIENT_ID,
			redirect_uri: redirectUri,
			code_verifier: verifier,
		};
		// A wrong verifier is refused and does not spend the code.
		const wrong = await postToken(box, {...exchange, code_verifier: oauth.generateRandomCodeVerifier()});
		expect(wrong.status).toBe(400);
		expect(await wrong.json()).toMatchObject({error: 'invalid_grant'});
		const wrongState = await postToken(box, {...exchange, state: 'other'});
		expect(wrongState.status).toBe(400);

		const response = await postToken(box, exchange);
		expect(response.status).toBe(200);
		const tokens = (await response.json()) as ClaudeTokens;
		expect(tokens).toMatchObject({
			expires_in: 3600,
			scope: 'user:profile user:inference',
			account: {email_address: 'claude@example.test', uuid: expect.stringMatching(/^[0-9a-f-]{36}$/)},
			organization: {uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), name: expect.any(String)},
		});
		expect(tokens.access_token).not.toBe(tokens.refresh_token);

		const refresh = (token: string) =>
			postToken(box, {grant_type: 'refresh_token', refresh_token: token, client_id: SANDBOX_CLAUDE_CLIENT_ID});
		const rotated = (await (await refresh(tokens.refresh_token)).json()) as ClaudeTokens;
		expect(rotated.refresh_token).toBeTruthy();
		expect(rotated.refresh_token).not.toBe(tokens.refresh_token);

		const usage = (token: string) =>
			fetch(box.env.TUI_CLAUDE_USAGE_URL!, {
				headers: {authorization: `Bearer ${token}`, 'anthropic-beta': 'oauth-2025-04-20'},
			});
		expect((await usage(rotated.access_token)).status).toBe(200);

		const reuse = await refresh(tokens.refresh_token);
		expect(reuse.status).toBe(400);
		expect(await reuse.json()).toMatchObject({error: 'invalid_grant'});
		expect(box.stats.claudeRefreshReuse).toBe(1);
		expect((await refresh(rotated.refresh_token)).status).toBe(400);
		expect((await usage(rotated.access_token)).status).toBe(401);
	});

	it('rotates the refresh token, then drops the connection when the fault is on', async () => {
		const box = sandbox();
		const redirectUri = box.env.TUI_CLAUDE_OAUTH_PASTE_REDIRECT_URI!;
		const {url, verifier, state} = await authorizeUrl(box, redirectUri);
		const code = /<pre id="code">([^#<]+)#/.exec((await completeSandboxLoginWithoutBrowser(url)).body!)![1]!;
		const tokens = (await (
			await postToken(box, {
				grant_type: 'authorization_code',
				code,
				state,
				client_id: SANDBOX_CLAUDE_CLIENT_ID,
				redirect_uri: redirectUri,
				code_verifier: verifier,
			})
		).json()) as ClaudeTokens;
		const refresh = () =>
			postToken(box, {
				grant_type: 'refresh_token',
				refresh_token: tokens.refresh_token,
				client_id: SANDBOX_CLAUDE_CLIENT_ID,
			});
		box.faults.dropConnectionAfterRefresh = true;
		try {
			await expect(refresh()).rejects.toThrow();
		} finally {
			box.faults.dropConnectionAfterRefresh = false;
		}
		expect((await refresh()).status).toBe(400);
	});

	it('shows code#state on its own callback page for the paste flow', async () => {
		const box = sandbox();
		const redirectUri = box.env.TUI_CLAUDE_OAUTH_PASTE_REDIRECT_URI!;
		const {url, verifier, state} = await authorizeUrl(box, redirectUri);
		const result = await completeSandboxLoginWithoutBrowser(url);
		expect(result.leftSandbox).toBe(false);
		expect(result.body).toContain('tui-auth sandbox');
		const pasted = /<pre id="code">([^<]+)<\/pre>/.exec(result.body!)![1]!;
		const [code, pastedState] = pasted.split('#');
		expect(pastedState).toBe(state);
		const exchange = {
			grant_type: 'authorization_code',
			code: code!,
			state,
			client_id: SANDBOX_CLAUDE_CLIENT_ID,
			redirect_uri: redirectUri,
			code_verifier: verifier,
		};
		const response = await postToken(box, exchange);
		expect(response.status).toBe(200);
		const {access_token: access} = (await response.json()) as ClaudeTokens;
		const usage = () =>
			fetch(box.env.TUI_CLAUDE_USAGE_URL!, {
				headers: {authorization: `Bearer ${access}`, 'anthropic-beta': 'oauth-2025-04-20'},
			});
		expect((await usage()).status).toBe(200);
		// A code is good once; presenting it again revokes what it produced.
		expect((await postToken(box, exchange)).status).toBe(400);
		expect((await usage()).status).toBe(401);
	});

	it('refuses unknown clients, non-loopback redirects, plain PKCE and form bodies', async () => {
		const box = sandbox();
		const {url} = await authorizeUrl(box, 'https://evil.example/callback');
		expect((await fetch(url)).status).toBe(400);
		const plain = new URL(url);
		plain.searchParams.set('redirect_uri', 'http://127.0.0.1:9/callback');
		plain.searchParams.set('code_challenge_method', 'plain');
		expect((await fetch(plain)).status).toBe(400);
		const unknown = new URL(url);
		unknown.searchParams.set('redirect_uri', 'http://127.0.0.1:9/callback');
		unknown.searchParams.set('client_id', 'someone-else');
		expect((await fetch(unknown)).status).toBe(400);

		const form = await fetch(box.env.TUI_CLAUDE_OAUTH_TOKEN_URL!, {
			method: 'POST',
			headers: {'content-type': 'application/x-www-form-urlencoded'},
			body: new URLSearchParams({grant_type: 'refresh_token', refresh_token: 'x', client_id: SANDBOX_CLAUDE_CLIENT_ID}),
		});
		expect(form.status).toBe(400);
		expect((await postToken(box, {grant_type: 'refresh_token', refresh_token: 'x', client_id: 'other'})).status).toBe(
			401,
		);
	});

	it('redirects a denial with error=access_denied and the state', async () => {
		const box = sandbox();
		const listener = await startCallbackListener();
		listeners.push(listener);
		const {url, state} = await authorizeUrl(box, listener.redirectUri('/callback'));
		await completeSandboxLoginWithoutBrowser(url, {deny: true});
		const callback = await listener.received;
		expect(callback.searchParams.get('error')).toBe('access_denied');
		expect(callback.searchParams.get('state')).toBe(state);
		expect(callback.searchParams.has('code')).toBe(false);
	});
});
