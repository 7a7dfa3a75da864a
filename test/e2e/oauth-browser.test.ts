// The browser login the real way: headless Chromium is the user's browser, the sandbox's ChatGPT sign-in the issuer.
import {readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import type {Browser, Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {authFileSchema, type OAuthAccount} from '../../source/core/schemas.js';
import {parseShape} from '../../source/core/shape.js';
import {startLogin, type LoginEvent} from '../../source/oauth/login.js';
import {completeSandboxLogin, launchBrowser} from '../helpers/browser.js';
import {useSandbox} from '../helpers/sandbox.js';

const sandbox = useSandbox();
let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

describe('OAuth login in headless Chromium', () => {
	it('signs in through the sandbox issuer, shows the success page and stores the account 0600 with its issued client', async () => {
		const sb = sandbox();
		const home = await tempHome('tui-e2e-oauth-');
		const page: Page = await browser.newPage();
		const events: LoginEvent['type'][] = [];
		let journey: Promise<string> | undefined;
		let eventsAtOpen: LoginEvent['type'][] | undefined;
		const handle = await startLogin('openai', {
			method: 'browser',
			env: sb.env,
			home,
			onEvent: (e) => events.push(e.type),
			// The test's "browser opener" drives Chromium; the listener is already up at this point.
			openBrowser: async (url) => {
				// Recorded here and asserted below: an assertion thrown in here would be caught by the engine.
				eventsAtOpen = [...events];
				journey = completeSandboxLogin(page, url);
				return true;
			},
		});
		const account: OAuthAccount = await handle.done;
		const landedOn = await journey!;
		expect(eventsAtOpen).toEqual(['listening']);
		expect(new URL(landedOn).pathname).toBe('/auth/callback');
		await expect.poll(() => page.locator('h1').textContent()).toBe('Login complete');
		expect(await page.locator('body').innerText()).toContain('You can close this tab and return to the terminal');
		const path = join(home, 'auth', 'openai.json');
		expect((await stat(path)).mode & 0o777).toBe(0o600);
		const file = parseShape(authFileSchema, JSON.parse(await readFile(path, 'utf8')));
		expect(file.accounts).toHaveLength(1);
		expect(file.accounts[0]).toMatchObject({
			kind: 'oauth',
			id: account.id,
			planEnabled: true,
			email: 'user@sandbox.test',
		});
		expect(account.clientId).toMatch(/^oaiapp_/);
		expect(events).toEqual(['listening', 'browser-opened', 'waiting', 'callback', 'exchanging', 'stored']);
		await page.close();
	});

	it('shows an XSS payload in error_description as text', async () => {
		const sb = sandbox();
		let port = 0;
		const handle = await startLogin('openai', {
			method: 'browser',
			env: sb.env,
			home: await tempHome('tui-e2e-oauth-'),
			openBrowser: async () => false,
			onEvent: (e) => e.type === 'listening' && (port = e.port),
		});
		const state = new URL(handle.authUrl!).searchParams.get('state')!;
		const payload = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>';
		const page = await browser.newPage();
		let dialogs = 0;
		page.on('dialog', (d) => {
			dialogs++;
			void d.dismiss();
		});
		const callback = `http://127.0.0.1:${port}/auth/callback?${new URLSearchParams({error: 'server_error', error_description: payload, state, iss: sb.issuer})}`;
		const response = await page.goto(callback);
		expect(response?.status()).toBe(400);
		expect(response?.headers()['content-security-policy']).toBe("default-src 'none'");
		const text = await page.locator('#message').innerText();
		expect(text).toContain(payload);
		expect(await page.locator('#message img, #message script').count()).toBe(0);
		expect(await page.title()).not.toBe('pwned');
		expect(dialogs).toBe(0);
		await expect(handle.done).rejects.toThrow(/^ChatGPT refused the sign-in \(server_error: /);
		await page.close();
	});
});
