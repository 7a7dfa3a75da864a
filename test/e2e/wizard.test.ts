// The onboarding wizard end to end: the built CLI in a real pseudo-terminal, the sandbox's ChatGPT sign-in as the
// issuer, and headless Chromium as the user's browser (opened through the real `open` → `xdg-open` path).
import {readdir, readFile, stat} from 'node:fs/promises';
import {connect} from 'node:net';
import {join} from 'node:path';
import type {Browser} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {completeSandboxLogin, launchBrowser} from '../helpers/browser.js';
import {KEYS} from '../helpers/keys.js';
import {spawnTui, type PtySession} from '../helpers/pty.js';
import {authStatus, makeMachine, type TestMachine} from './tui-session.js';
import {exitWithin, press, waitForFrame} from '../helpers/wait.js';

let browser: Browser;
let machine: TestMachine;
beforeAll(async () => {
	browser = await launchBrowser();
	machine = await makeMachine('wizard');
});
afterAll(async () => {
	await browser?.close();
	await machine?.remove();
});

/** The screen with each line's one-column frame indent removed and the lines joined: a wrapped URL reads whole. */
const unwrapped = (session: PtySession) =>
	session
		.screen()
		.split('\n')
		.map((line) => line.replace(/^ /, ''))
		.join('');

describe('tui onboard in a pseudo-terminal', () => {
	it('OpenAI Plus by subscription: browser sign-in in Chromium, skip fallback, done; the account is on disk 0600', async () => {
		const tui = spawnTui(['--sandbox', '--home', machine.home, 'onboard'], {env: machine.env, cols: 100, rows: 30});
		try {
			await waitForFrame(tui, 'Welcome to tui');
			await waitForFrame(tui, 'No existing keys or logins found.');
			await press(tui, KEYS.enter, 'Which provider first?');
			await waitForFrame(tui, '› 1. OpenAI');
			await press(tui, KEYS.enter, 'Your OpenAI plan');
			await press(tui, KEYS.down, '› 2. Go');
			await press(tui, KEYS.down, '› 3. Plus');
			await press(tui, KEYS.enter, 'How to use OpenAI Plus');
			await press(tui, '1', 'How do you want to sign in?');
			await waitForFrame(tui, '› 1. Continue with ChatGPT');
			await press(tui, KEYS.enter, /Open(?:ing|ed) your browser/);

			// The app handed the authorize URL to the desktop's opener; the same URL is on screen for copying.
			const url = await machine.nextOpenedUrl();
			expect(new URL(url).pathname).toBe('/api/accounts/authorize');
			expect(new URL(url).searchParams.get('client_id')).toBe('dynamic_agent_client');
			expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
			await waitForFrame(tui, 'Opened your browser: finish signing in there.');
			await waitForFrame(tui, /times out in [45]:\d\d/);
			expect(unwrapped(tui)).toContain(url);

			const page = await browser.newPage();
			const landed = await completeSandboxLogin(page, url);
			expect(new URL(landed).pathname).toBe('/auth/callback');
			await expect.poll(() => page.locator('h1').textContent()).toBe('Login complete');
			await page.close();

			await waitForFrame(tui, 'A fallback provider?');
			await press(tui, KEYS.down, '› 2. Skip: use OpenAI only');
			await press(tui, KEYS.enter, 'You are set up');
			expect(tui.screen()).toMatch(
				/Active: OpenAI Plus, mode subscription, account "[^"]+" \(oauth, user@sandbox\.test\)/,
			);
			expect(tui.screen()).toContain(join(machine.home, 'auth', 'openai.json'));
			await press(tui, KEYS.enter, '✓ Saved. Welcome aboard.', {lastFrame: true});
			expect(await exitWithin(tui)).toBe(0);
		} finally {
			tui.kill();
		}

		const file = join(machine.home, 'auth', 'openai.json');
		expect((await stat(file)).mode & 0o777).toBe(0o600);
		expect((await stat(join(machine.home, 'auth'))).mode & 0o777).toBe(0o700);
		const config = JSON.parse(await readFile(join(machine.home, 'config.json'), 'utf8'));
		expect(Date.parse(config.onboardingCompletedAt)).toBeGreaterThan(Date.now() - 120_000);
		expect(config).toMatchObject({
			activeProvider: 'openai',
			providers: {openai: {tier: 'chatgpt-plus', mode: 'subscription'}},
			fallback: {enabled: false},
		});

		const status = await authStatus(machine);
		expect(status.activeProvider).toBe('openai');
		expect(status.providers.openai).toMatchObject({usable: true, source: 'file', kind: 'chatgpt-plan'});
		expect(status.providers.openai.accounts).toHaveLength(1);
		expect(status.providers.openai.activeAccount).toMatchObject({
			kind: 'oauth',
			email: 'user@sandbox.test',
			active: true,
		});
	});

	it('Claude API only: a bad key shows "invalid key" and saves nothing; a good key is saved and resolves', async () => {
		const badKey = 'sk-ant-test-not-a-sandbox-key-0000';
		const goodKey = `sk-sandbox-e2e-wizard-${Date.now()}-good`;
		const claudeFile = join(machine.home, 'auth', 'claude.json');
		const tui = spawnTui(['--sandbox', '--home', machine.home, 'onboard'], {env: machine.env, cols: 100, rows: 30});
		try {
			// The first run's account is listed, and stays; enter sets up more.
			await waitForFrame(tui, 'Already in this home (1):');
			expect(tui.screen()).toMatch(/OpenAI \/ \S+ \(oauth, user@sandbox\.test\)/);
			await press(tui, KEYS.enter, 'Which provider first?');
			await press(tui, KEYS.down, '› 2. Claude');
			await press(tui, KEYS.enter, 'Your Claude plan');
			await press(tui, '7', 'How to use Claude API only');
			// Move off the recommended column first, so that picking it redraws at once (see press()).
			await press(tui, KEYS.left, '› 1. Subscription');
			await press(tui, '2', 'Add your Claude API key');
			await waitForFrame(tui, 'Key: paste it here');
			await press(tui, badKey, `(${badKey.length} characters)`);
			await press(tui, KEYS.enter, '✗ invalid key');
			await expect(stat(claudeFile)).rejects.toMatchObject({code: 'ENOENT'});

			await waitForFrame(tui, '› 1. Try again');
			await press(tui, KEYS.enter, 'Key: paste it here');
			await press(tui, goodKey, `(${goodKey.length} characters)`);
			await press(tui, KEYS.enter, 'A fallback provider?');
			await press(tui, KEYS.down, '› 2. Skip: use Claude only');
			await press(tui, KEYS.enter, 'You are set up');
			expect(tui.screen()).toMatch(/Active: Claude API only, mode api, account "[^"]+" \(api-key\)/);
			await press(tui, KEYS.enter, '✓ Saved. Welcome aboard.', {lastFrame: true});
			expect(await exitWithin(tui)).toBe(0);
			// Neither key was ever echoed to the terminal.
			expect(tui.output()).not.toContain(badKey);
			expect(tui.output()).not.toContain(goodKey);
		} finally {
			tui.kill();
		}

		expect((await stat(claudeFile)).mode & 0o777).toBe(0o600);
		const stored = JSON.parse(await readFile(claudeFile, 'utf8'));
		expect(stored.accounts).toHaveLength(1);
		expect(stored.accounts[0]).toMatchObject({kind: 'api-key', key: goodKey});

		const status = await authStatus(machine);
		expect(status.activeProvider).toBe('claude');
		expect(status.providers.claude).toMatchObject({usable: true, source: 'file', kind: 'api-key'});
		expect(status.providers.claude.activeAccount).toMatchObject({kind: 'api-key', key: `…${goodKey.slice(-4)}`});
		// The first run's OpenAI login is still there.
		expect(status.providers.openai.activeAccount).toMatchObject({kind: 'oauth', email: 'user@sandbox.test'});
		const config = JSON.parse(await readFile(join(machine.home, 'config.json'), 'utf8'));
		expect(config.providers.claude).toMatchObject({tier: 'claude-api', mode: 'api'});
	});
});

/** Resolves true when something accepts a TCP connection on 127.0.0.1:port, false when it is refused. */
function accepts(port: number): Promise<boolean> {
	return new Promise((resolve, reject) => {
		const socket = connect({host: '127.0.0.1', port});
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', (error: NodeJS.ErrnoException) =>
			error.code === 'ECONNREFUSED' ? resolve(false) : reject(error),
		);
	});
}

describe('Ctrl+C in the wizard', () => {
	it('at the login step with the loopback listener up: exits promptly, writes no auth file, leaves config.json as it was, and closes the port', async () => {
		const own = await makeMachine('wizard-ctrl-c');
		const tui = spawnTui(['--sandbox', '--home', own.home, 'onboard'], {env: own.env, cols: 100, rows: 30});
		try {
			await waitForFrame(tui, 'No existing keys or logins found.');
			await press(tui, KEYS.enter, 'Which provider first?');
			await press(tui, '1', 'Your OpenAI plan');
			await press(tui, '3', 'How to use OpenAI Plus');
			await press(tui, '1', 'How do you want to sign in?');
			await press(tui, '1', /Open(?:ing|ed) your browser/);

			const url = await own.nextOpenedUrl();
			await waitForFrame(tui, 'Opened your browser: finish signing in there.');
			const redirect = new URL(new URL(url).searchParams.get('redirect_uri')!);
			const port = Number(redirect.port);
			// 127.0.0.1, never localhost: port 1455 and the name stay Codex's.
			expect(redirect.hostname).toBe('127.0.0.1');
			// The listener is up and a stray request does not end the flow.
			expect(await accepts(port)).toBe(true);
			const stray = await fetch(`http://127.0.0.1:${port}/favicon.ico`);
			expect(stray.status).toBe(404);
			await waitForFrame(tui, /times out in \d:\d\d/);

			// The comparison step already saved the plan and mode; nothing else may change from here.
			const configBefore = await readFile(join(own.home, 'config.json'), 'utf8');
			expect(JSON.parse(configBefore)).toMatchObject({
				providers: {openai: {tier: 'chatgpt-plus', mode: 'subscription'}},
			});
			expect(JSON.parse(configBefore).onboardingCompletedAt).toBeUndefined();

			const pressed = Date.now();
			tui.write(KEYS.ctrlC);
			const exitCode = await exitWithin(tui, 5_000);
			const tookMs = Date.now() - pressed;
			expect(tookMs).toBeLessThan(3_000);
			expect(exitCode).toBe(130);
			expect(tui.screen()).toContain('Onboarding cancelled');

			expect(await accepts(port)).toBe(false);
			expect(await readFile(join(own.home, 'config.json'), 'utf8')).toBe(configBefore);
			const authEntries = await readdir(join(own.home, 'auth')).catch((error: NodeJS.ErrnoException) =>
				error.code === 'ENOENT' ? [] : Promise.reject(error),
			);
			// Only this machine's host id (made before the first sign-in); no auth file.
			expect(authEntries.filter((name) => name.endsWith('.json') && name !== 'host-id.json')).toEqual([]);
			// And the store agrees: no account of either provider.
			const status = await authStatus(own);
			expect(status.providers.openai.accounts).toEqual([]);
			expect(status.providers.claude.accounts).toEqual([]);
		} finally {
			tui.kill();
			await own.remove();
		}
	});
});
