// The providers' token-body quirks, checked on the wire with a real recording server on 127.0.0.1.
import {createHash} from 'node:crypto';
import {createServer, type Server} from 'node:http';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {addAccount} from '../../source/core/accounts.js';
import {startLogin} from '../../source/oauth/login.js';
import {refreshIfNeeded} from '../../source/oauth/refresh.js';
import {updateAuthFile} from '../../source/store/auth-file.js';

type Seen = {path: string; contentType: string; body: string};
const seen: Seen[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
	server = createServer((req, res) => {
		let body = '';
		req.on('data', (c: Buffer) => (body += c.toString()));
		req.on('end', () => {
			seen.push({path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body});
			if (req.method === 'GET' && req.url === '/.well-known/openid-configuration') {
				res.writeHead(200, {'content-type': 'application/json'});
				res.end(
					JSON.stringify({
						issuer: base,
						authorization_endpoint: `${base}/api/accounts/authorize`,
						token_endpoint: `${base}/api/accounts/oauth/token`,
						jwks_uri: `${base}/jwks`,
					}),
				);
				return;
			}
			if (req.method !== 'POST') {
				res.writeHead(404).end();
				return;
			}
			res.writeHead(200, {'content-type': 'application/json'});
			res.end(
				JSON.stringify({
					access_token: `at-${seen.length}`,
					token_type: 'Bearer',
					expires_in: 3600,
					refresh_token: `rt-${seen.length}`,
					account: {uuid: 'u1', email_address: 'c@example.com'},
					organization: {uuid: 'org-1', name: 'Org'},
				}),
			);
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as {port: number}).port}`;
});
afterAll(async () => {
	server.closeAllConnections();
	await new Promise((r) => server.close(r));
});

async function homeWithExpiredAccount(provider: 'openai' | 'claude'): Promise<{home: string; id: string}> {
	const home = await tempHome('tui-bodies-');
	const issued = provider === 'openai' ? {clientId: 'oaiapp_x', issuer: base} : {};
	const id = await updateAuthFile(home, provider, (file) => {
		const {file: next, account} = addAccount(
			file,
			{
				kind: 'oauth',
				label: 'x',
				...issued,
				tokens: {access: 'old-access', refresh: 'old-refresh', expiresAt: Date.now() - 1},
			},
			{now: Date.now(), newId: () => 'acc-1'},
		);
		return {file: next, result: account.id};
	});
	return {home, id};
}

describe('token request bodies', () => {
	it('OpenAI refresh: a form {grant_type, issued client_id, refresh_token, resource}, no scope', async () => {
		const {home, id} = await homeWithExpiredAccount('openai');
		seen.length = 0;
		const account = await refreshIfNeeded('openai', id, {home, env: {TUI_OPENAI_ISSUER: base}});
		const refresh = seen.find((s) => s.path === '/api/accounts/oauth/token')!;
		expect(refresh.contentType).toBe('application/x-www-form-urlencoded');
		expect(Object.fromEntries(new URLSearchParams(refresh.body))).toEqual({
			grant_type: 'refresh_token',
			client_id: 'oaiapp_x',
			refresh_token: 'old-refresh',
			resource: 'https://api.openai.com/v1',
		});
		expect(account.tokens.refresh).toMatch(/^rt-/);
	});

	it('Claude: JSON for the code exchange (with state) and for the refresh', async () => {
		const env = {
			TUI_CLAUDE_OAUTH_CLIENT_ID: 'claude-client',
			TUI_CLAUDE_OAUTH_AUTHORIZE_URL: `${base}/oauth/authorize`,
			TUI_CLAUDE_OAUTH_TOKEN_URL: `${base}/v1/oauth/token`,
		};
		const home = await tempHome('tui-bodies-');
		const handle = await startLogin('claude', {method: 'paste', env, home});
		const authUrl = new URL(handle.authUrl!);
		const state = authUrl.searchParams.get('state')!;
		seen.length = 0;
		await handle.submitPaste!(`the-code#${state}`);
		const account = await handle.done;
		const exchange = seen.find((s) => s.path === '/v1/oauth/token')!;
		expect(exchange.contentType).toBe('application/json');
		const body = JSON.parse(exchange.body) as Record<string, string>;
		expect(body).toMatchObject({
			grant_type: 'authorization_code',
			code: 'the-code',
			state,
			client_id: 'claude-client',
			redirect_uri: handle.redirectUri,
		});
		expect(body.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
		// The verifier never travels in the authorize URL, and the state is not the verifier.
		expect(handle.authUrl).not.toContain(body.code_verifier);
		expect(state).not.toBe(body.code_verifier);
		expect(authUrl.searchParams.get('code_challenge')).toBe(
			createHash('sha256').update(body.code_verifier!).digest('base64url'),
		);
		expect(account).toMatchObject({email: 'c@example.com', accountId: 'org-1'});

		seen.length = 0;
		await updateAuthFile(home, 'claude', (file) => ({
			file: {
				...file,
				accounts: file.accounts.map((a) => (a.kind === 'oauth' ? {...a, tokens: {...a.tokens, expiresAt: 0}} : a)),
			},
			result: undefined,
		}));
		await refreshIfNeeded('claude', account.id, {home, env});
		const refresh = seen.find((s) => s.path === '/v1/oauth/token')!;
		expect(refresh.contentType).toBe('application/json');
		expect(JSON.parse(refresh.body)).toEqual({
			grant_type: 'refresh_token',
			refresh_token: account.tokens.refresh,
			client_id: 'claude-client',
		});
	});
});
