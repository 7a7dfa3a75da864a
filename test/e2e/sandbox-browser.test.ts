// The sandbox's sign-in pages in real headless Chromium, spoken to on the wire without tui's client code.
import * as oauth from 'oauth4webapi';
import type {Browser, BrowserContext, Page} from 'playwright-core';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {createHash, randomBytes} from 'node:crypto';
import {SANDBOX_CLAUDE_CLIENT_ID} from '../../source/sandbox/constants.js';
import {completeSandboxLogin, launchBrowser} from '../helpers/browser.js';
import {useSandbox} from '../helpers/sandbox.js';
import {startCallbackListener, type CallbackListener} from '../sandbox/callback-listener.js';

const sandbox = useSandbox();

let browser: Browser;
let context: BrowserContext;
let page: Page;
let listener: CallbackListener;
/** Every host the browser tried to reach: the sandbox must keep it on 127.0.0.1. */
const hosts = new Set<string>();

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});
beforeEach(async () => {
	context = await browser.newContext();
	page = await context.newPage();
	page.on('request', (request) => hosts.add(new URL(request.url()).hostname));
	listener = await startCallbackListener();
});
afterEach(async () => {
	await context?.close();
	await listener?.close();
});

describe('sandbox sign-in in Chromium', () => {
	it('ChatGPT sign-in: the page says sandbox, registration lands on the 127.0.0.1 listener with the issued client, the code exchanges', async () => {
		const box = sandbox();
		const verifier = randomBytes(32).toString('base64url');
		const state = randomBytes(16).toString('base64url');
		const redirectUri = listener.redirectUri();
		const url = new URL(`${box.issuer}/api/accounts/authorize`);
		url.search = new URLSearchParams({
			response_type: 'code',
			client_id: 'dynamic_agent_client',
			redirect_uri: redirectUri,
			scope: 'openid profile email offline_access resource.invoke chatgpt.tokens.use.direct',
			resource: 'https://api.openai.com/v1',
			code_challenge: createHash('sha256').update(verifier).digest('base64url'),
			code_challenge_method: 'S256',
			state,
			nonce: randomBytes(16).toString('base64url'),
			ext_agent_host_id: 'urn:uuid:6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b',
			agent_name_hint: 'tui',
		}).toString();

		// The login page, as the user sees it, says it is the sandbox.
		await page.goto(url.href);
		await expect.poll(() => page.locator('body').innerText()).toContain('tui-auth sandbox');
		expect(await page.title()).toContain('tui-auth sandbox');

		const landed = await completeSandboxLogin(page, url.href, {email: 'chromium@example.test'});
		expect(landed.startsWith(`${redirectUri}?`)).toBe(true);
		const callback = await listener.received;
		expect(callback.searchParams.get('state')).toBe(state);
		const clientId = callback.searchParams.get('client_id')!;
		expect(clientId).toMatch(/^oaiapp_/);
		const response = await fetch(`${box.issuer}/api/accounts/oauth/token`, {
			method: 'POST',
			headers: {'content-type': 'application/x-www-form-urlencoded'},
			body: new URLSearchParams({
				grant_type: 'authorization_code',
				client_id: clientId,
				code: callback.searchParams.get('code')!,
				code_verifier: verifier,
				redirect_uri: redirectUri,
				resource: 'https://api.openai.com/v1',
			}),
		});
		const tokens = (await response.json()) as {id_token: string; refresh_token: string};
		expect(JSON.parse(Buffer.from(tokens.id_token.split('.')[1]!, 'base64url').toString())).toMatchObject({
			email: 'chromium@example.test',
			aud: clientId,
		});
		expect(tokens.refresh_token).toBeTruthy();
		expect([...hosts].filter((host) => host !== '127.0.0.1')).toEqual([]);
	});

	it('Claude-shaped: one click authorizes; the paste page shows code#state', async () => {
		const box = sandbox();
		const verifier = oauth.generateRandomCodeVerifier();
		const state = oauth.generateRandomState();
		const redirectUri = box.env.TUI_CLAUDE_OAUTH_PASTE_REDIRECT_URI!;
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
		await completeSandboxLogin(page, url.href, {email: 'paste@example.test'});
		const shown = (await page.locator('#code').innerText()).trim();
		const [code, shownState] = shown.split('#');
		expect(shownState).toBe(state);
		const response = await fetch(box.env.TUI_CLAUDE_OAUTH_TOKEN_URL!, {
			method: 'POST',
			headers: {'content-type': 'application/json'},
			body: JSON.stringify({
				grant_type: 'authorization_code',
				code,
				state,
				client_id: SANDBOX_CLAUDE_CLIENT_ID,
				redirect_uri: redirectUri,
				code_verifier: verifier,
			}),
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({account: {email_address: 'paste@example.test'}});
	});
});
