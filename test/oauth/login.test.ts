import {readFile, stat} from 'node:fs/promises';
import {request} from 'node:http';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {failure} from './fixtures/failure.js';
import {TuiError} from '../../source/core/errors.js';
import {authFileSchema} from '../../source/core/schemas.js';
import {parseShape} from '../../source/core/shape.js';
import {startLogin, type LoginEvent} from '../../source/oauth/login.js';
import {updateAuthFile} from '../../source/store/auth-file.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {useSandbox} from '../helpers/sandbox.js';

const sandbox = useSandbox();

async function storedFile(home: string, provider: 'openai' | 'claude') {
	const path = join(home, 'auth', `${provider}.json`);
	const mode = (await stat(path)).mode & 0o777;
	return {mode, file: parseShape(authFileSchema, JSON.parse(await readFile(path, 'utf8')))};
}

function rawGet(url: string): Promise<{status: number; body: string}> {
	return new Promise((resolve, reject) => {
		const req = request(url, {agent: false}, (res) => {
			let body = '';
			res.on('data', (c: Buffer) => (body += c.toString()));
			res.on('end', () => resolve({status: res.statusCode ?? 0, body}));
		});
		req.on('error', reject);
		req.end();
	});
}

describe('browser login against the sandbox (cookie-jar browser)', () => {
	it('opens the authorize URL after the listener is up, exchanges once and stores an oauth account 0600 with the openai claims', async () => {
		const sb = sandbox();
		const home = await tempHome();
		const events: LoginEvent[] = [];
		let landing: ReturnType<typeof completeSandboxLoginWithoutBrowser> | undefined;
		let eventsAtOpen: string[] | undefined;
		const exchangesBefore = sb.stats.codeExchanges;
		const handle = await startLogin('openai', {
			method: 'browser',
			env: sb.env,
			home,
			label: 'work',
			onEvent: (e) => events.push(e),
			openBrowser: async (url) => {
				// Recorded here and asserted below: an assertion thrown in here would be caught by the engine.
				eventsAtOpen = events.map((e) => e.type);
				// Like a real browser: the page loads on its own while the terminal waits.
				landing = completeSandboxLoginWithoutBrowser(url);
				return true;
			},
		});
		expect(eventsAtOpen).toEqual(['listening']);
		const url = new URL(handle.authUrl!);
		expect(url.searchParams.get('code_challenge_method')).toBe('S256');
		expect(url.searchParams.get('client_id')).toBe('dynamic_agent_client');
		expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/callback$/);
		expect(url.searchParams.get('scope')).toBe(
			'openid profile email offline_access resource.invoke chatgpt.tokens.use.direct',
		);
		expect(url.searchParams.get('state')!.length).toBeGreaterThanOrEqual(43);
		const account = await handle.done;
		const page = await landing!;
		expect(page.status).toBe(200);
		expect(page.body).toContain('You can close this tab and return to the terminal');
		expect(sb.stats.codeExchanges - exchangesBefore).toBe(1);
		expect(account.kind).toBe('oauth');
		expect(account.label).toBe('work');
		expect(account.planEnabled).toBe(true);
		expect(account.email).toBe('user@sandbox.test');
		expect(account.clientId).toMatch(/^oaiapp_/);
		const {mode, file} = await storedFile(home, 'openai');
		expect(mode).toBe(0o600);
		const stored = file.accounts[0]!;
		expect(stored.kind === 'oauth' && stored.tokens.access).toBe(account.tokens.access);
		expect(stored.kind === 'oauth' && stored.tokens.refresh).toBeTruthy();
		expect(stored.kind === 'oauth' && stored.tokens.expiresAt).toBeGreaterThan(Date.now());
		expect(events.map((e) => e.type)).toEqual([
			'listening',
			'browser-opened',
			'waiting',
			'callback',
			'exchanging',
			'stored',
		]);
		const storedEvent = events.find((e) => e.type === 'stored');
		expect(JSON.stringify(storedEvent)).not.toContain(account.tokens.access);
		// The verifier never travels in the URL: PKCE binds it through the S256 challenge only.
		expect(handle.authUrl).not.toMatch(/code_verifier/);
		// The listener is gone.
		await expect(rawGet(`http://127.0.0.1:${(events[0] as {port: number}).port}/auth/callback`)).rejects.toThrow();
	});

	it('refuses a callback naming another issuer (iss) and shows the provider error text escaped', async () => {
		const sb = sandbox();
		const home = await tempHome();
		let port = 0;
		const handle = await startLogin('openai', {
			method: 'browser',
			env: sb.env,
			home,
			openBrowser: async () => false,
			onEvent: (e) => e.type === 'listening' && (port = e.port),
		});
		const state = new URL(handle.authUrl!).searchParams.get('state')!;
		const evil = await rawGet(
			`http://127.0.0.1:${port}/auth/callback?code=abc&state=${state}&iss=${encodeURIComponent('https://evil.example')}`,
		);
		expect(evil.status).toBe(400);
		await expect(handle.done).rejects.toThrow('the callback names another issuer; sign-in refused');

		const second = await startLogin('openai', {
			method: 'browser',
			env: sb.env,
			home,
			openBrowser: async () => false,
			onEvent: (e) => e.type === 'listening' && (port = e.port),
		});
		const state2 = new URL(second.authUrl!).searchParams.get('state')!;
		const desc = encodeURIComponent('no\u001b[31m <img src=x onerror=alert(1)>');
		const denied = await rawGet(
			`http://127.0.0.1:${port}/auth/callback?error=access_denied&error_description=${desc}&state=${state2}&iss=${encodeURIComponent(sb.issuer)}`,
		);
		expect(denied.status).toBe(400);
		expect(denied.body).toContain('declined in the browser');
		expect(denied.body).not.toContain('<img');
		const error = await failure(second.done);
		expect(error).toBeInstanceOf(TuiError);
		expect((error as Error).message).toBe(
			'ChatGPT sign-in was declined in the browser (access_denied); nothing was saved',
		);
	});

	it('Claude: JSON token exchange against the Claude-shaped endpoint', async () => {
		const sb = sandbox();
		const home = await tempHome();
		let landing: Promise<unknown> | undefined;
		const before = sb.stats.claudeCodeExchanges;
		const handle = await startLogin('claude', {
			method: 'browser',
			env: sb.env,
			home,
			openBrowser: async (url) => ((landing = completeSandboxLoginWithoutBrowser(url)), true),
		});
		expect(new URL(handle.authUrl!).searchParams.get('code')).toBe('true');
		const account = await handle.done;
		await landing;
		expect(sb.stats.claudeCodeExchanges - before).toBe(1);
		expect(account.tokens.refresh).toBeTruthy();
		expect((await storedFile(home, 'claude')).file.accounts).toHaveLength(1);
	});

	it('Claude without a configured client says to use Claude Code, in one line', async () => {
		const error = await failure(startLogin('claude', {method: 'browser', env: {}, home: await tempHome()}));
		expect(error).toBeInstanceOf(TuiError);
		expect(error.message).toContain('--method claude-code');
		expect(error.message).not.toContain('\n');
	});
});

describe('paste login against the sandbox', () => {
	it('refuses a paste with another state, then accepts the full callback URL', async () => {
		const sb = sandbox();
		const home = await tempHome();
		const handle = await startLogin('openai', {method: 'paste', env: sb.env, home});
		expect(handle.submitPaste).toBeTypeOf('function');
		const result = await completeSandboxLoginWithoutBrowser(handle.authUrl!, {land: false});
		expect(result.leftSandbox).toBe(true);
		const callback = new URL(result.finalUrl);
		const forged = new URL(callback);
		forged.searchParams.set('state', 'not-the-state');
		await expect(handle.submitPaste!(forged.href)).rejects.toThrow(/state/);
		await handle.submitPaste!(callback.href);
		const account = await handle.done;
		expect(account.email).toBe('user@sandbox.test');
	});

	it('logging in again as the same account replaces its tokens and clears needsLogin (no twin)', async () => {
		const sb = sandbox();
		const home = await tempHome();
		const login = async (label?: string) => {
			const handle = await startLogin('openai', {method: 'paste', env: sb.env, home, label});
			await handle.submitPaste!((await completeSandboxLoginWithoutBrowser(handle.authUrl!, {land: false})).finalUrl);
			return handle.done;
		};
		const first = await login();
		expect(first.label).toBe('user@sandbox.test');
		await updateAuthFile(home, 'openai', (file) => ({
			file: {...file, accounts: file.accounts.map((a) => ({...a, needsLogin: 'log in again'}))},
			result: undefined,
		}));
		const second = await login();
		expect(second.id).toBe(first.id);
		expect(second.tokens.access).not.toBe(first.tokens.access);
		const {file} = await storedFile(home, 'openai');
		expect(file.accounts).toHaveLength(1);
		expect(file.accounts[0]!.kind === 'oauth' && file.accounts[0]!.needsLogin).toBeUndefined();
	});

	it('ChatGPT wants the whole callback URL: a bare query string is refused, the attempt goes on', async () => {
		const sb = sandbox();
		const handle = await startLogin('openai', {method: 'paste', env: sb.env, home: await tempHome()});
		const result = await completeSandboxLoginWithoutBrowser(handle.authUrl!, {land: false});
		await expect(handle.submitPaste!(new URL(result.finalUrl).search.slice(1))).rejects.toThrow(
			'paste the whole address from the browser, starting with http://127.0.0.1',
		);
		await handle.submitPaste!(result.finalUrl);
		expect((await handle.done).kind).toBe('oauth');
	});
});
