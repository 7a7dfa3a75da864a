// The sandbox's sign-in pages in real headless Chromium, with oauth4webapi as the client.
import * as oauth from 'oauth4webapi';
import type {Browser, BrowserContext, Page} from 'playwright-core';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {OPENAI_AUTH_CLAIM, SANDBOX_CLAUDE_CLIENT_ID, SANDBOX_OPENAI_CLIENT_ID} from '../../source/sandbox/constants.js';
import {completeSandboxLogin, launchBrowser} from '../helpers/browser.js';
import {useSandbox} from '../helpers/sandbox.js';
import {startCallbackListener, type CallbackListener} from '../sandbox/callback-listener.js';

const sandbox = useSandbox();
const client: oauth.Client = {client_id: SANDBOX_OPENAI_CLIENT_ID, token_endpoint_auth_method: 'none'};
const insecure = {[oauth.allowInsecureRequests]: true};

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
	it('OpenAI-shaped: login page says sandbox; code reaches the loopback listener; tokens carry the claims', async () => {
		const box = sandbox();
		const issuer = new URL(box.issuer);
		const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
		const verifier = oauth.generateRandomCodeVerifier();
		const state = oauth.generateRandomState();
		const redirectUri = listener.redirectUri();
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

		// The login page, as the user sees it, says it is the sandbox.
		await page.goto(url.href);
		await expect.poll(() => page.locator('body').innerText()).toContain('tui-auth sandbox');
		expect(await page.title()).toContain('tui-auth sandbox');

		const landed = await completeSandboxLogin(page, url.href, {email: 'chromium@example.test'});
		expect(landed.startsWith(`${redirectUri}?`)).toBe(true);
		expect(await page.locator('body').innerText()).toContain('Signed in');
		const callback = await listener.received;
		const params = oauth.validateAuthResponse(as, client, callback, state);
		const tokens = await oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, insecure));
		const claims = oauth.getValidatedIdTokenClaims(tokens)!;
		expect(claims.email).toBe('chromium@example.test');
		expect(claims[OPENAI_AUTH_CLAIM]).toMatchObject({chatgpt_plan_type: 'plus', chatgpt_account_id: expect.stringMatching(/^acct_sandbox_/)});
		expect(tokens.refresh_token).toBeTruthy();
		expect([...hosts].filter((host) => host !== '127.0.0.1')).toEqual([]);
	});

	it('RFC 8628 device flow: the user confirms the code, signs in and consents in the browser', async () => {
		const box = sandbox();
		const issuer = new URL(box.issuer);
		const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
		const device = await oauth.processDeviceAuthorizationResponse(as, client, await oauth.deviceAuthorizationRequest(as, client, oauth.None(), {scope: 'openid email offline_access'}, insecure));
		const ended = await completeSandboxLogin(page, device.verification_uri, {userCode: device.user_code, email: 'tv@example.test'});
		expect(new URL(ended).origin).toBe(box.url);
		expect(await page.locator('body').innerText()).toContain('The device is signed in');
		const tokens = await oauth.processDeviceCodeResponse(as, client, await oauth.deviceCodeGrantRequest(as, client, oauth.None(), device.device_code, insecure));
		expect(oauth.getValidatedIdTokenClaims(tokens)!.email).toBe('tv@example.test');
	});

	it("Codex's device flow: the user enters the code at /codex/device and signs in", async () => {
		const box = sandbox();
		const start = await fetch(`${box.issuer}/api/accounts/deviceauth/usercode`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({client_id: SANDBOX_OPENAI_CLIENT_ID})});
		const device = (await start.json()) as {device_auth_id: string; user_code: string};
		await completeSandboxLogin(page, `${box.issuer}/codex/device`, {userCode: device.user_code, email: 'codex-device@example.test'});
		expect(await page.locator('body').innerText()).toContain('The device is signed in');
		const poll = await fetch(`${box.issuer}/api/accounts/deviceauth/token`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(device)});
		expect(poll.status).toBe(200);
		expect(await poll.json()).toMatchObject({authorization_code: expect.any(String), code_verifier: expect.any(String)});
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
			body: JSON.stringify({grant_type: 'authorization_code', code, state, client_id: SANDBOX_CLAUDE_CLIENT_ID, redirect_uri: redirectUri, code_verifier: verifier}),
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({account: {email_address: 'paste@example.test'}});
	});
});
