// `tui auth login --provider openai` end to end: the built CLI, the sandbox as its own process (keeping its
// state in a folder, as the shared background sandbox does), the desktop opener stubbed, and headless Chromium
// as the user's browser. First a registration, then a returning sign-in that sends id_token_hint.
import {readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import type {Browser} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp-home.js';
import {authFileSchema, type OAuthAccount} from '../../source/core/schemas.js';
import {parseShape} from '../../source/core/shape.js';
import {completeSandboxLogin, launchBrowser} from '../helpers/browser.js';
import {runCli} from '../helpers/run-cli.js';
import {spawnSandboxProcess, type SandboxProcess} from '../helpers/sandbox.js';
import {makeMachine, type TestMachine} from './tui-session.js';

let browser: Browser;
let machine: TestMachine;
let box: SandboxProcess;
beforeAll(async () => {
	browser = await launchBrowser();
	machine = await makeMachine('chatgpt');
	box = await spawnSandboxProcess(['--state-dir', await tempDir('tui-e2e-sandbox-state-')]);
});
afterAll(async () => {
	await browser?.close();
	await box?.stop();
	await machine?.remove();
});

const cliEnv = () => ({
	...(Object.fromEntries(Object.entries(machine.env).filter(([, v]) => v !== undefined)) as Record<string, string>),
	...box.env,
});

async function stored(): Promise<OAuthAccount[]> {
	return parseShape(authFileSchema, JSON.parse(await readFile(join(machine.home, 'auth', 'openai.json'), 'utf8')))
		.accounts as OAuthAccount[];
}

/** Runs the login, lets Chromium finish what the app opened, and returns the opened URL and the CLI's output. */
async function loginInChromium(args: readonly string[]) {
	const run = runCli(
		['--home', machine.home, 'auth', 'login', '--provider', 'openai', '--method', 'browser', ...args],
		{env: cliEnv(), timeoutMs: 60_000},
	);
	const url = await machine.nextOpenedUrl(30_000);
	const page = await browser.newPage();
	try {
		const landed = await completeSandboxLogin(page, url);
		expect(new URL(landed).pathname).toBe('/auth/callback');
		await expect.poll(() => page.locator('h1').textContent()).toBe('Login complete');
	} finally {
		await page.close();
	}
	return {url: new URL(url), result: await run};
}

describe('tui auth login --provider openai in Chromium', () => {
	it('registers first, then signs the same account in again with its issued client and id_token_hint', async () => {
		const first = await loginInChromium([]);
		expect(first.result.code, first.result.stderr).toBe(0);
		expect(first.url.pathname).toBe('/api/accounts/authorize');
		expect(first.url.searchParams.get('client_id')).toBe('dynamic_agent_client');
		expect(first.url.searchParams.get('agent_name_hint')).toBe('tui');
		expect(first.url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/callback$/);
		expect(first.result.stdout).toContain('OpenAI: logged in as "user@sandbox.test" (user@sandbox.test)');
		const [account] = await stored();
		expect(account!.clientId).toMatch(/^oaiapp_/);
		expect(account!.planEnabled).toBe(true);
		const hostIdFile = join(machine.home, 'auth', 'host-id.json');
		expect((await stat(hostIdFile)).mode & 0o777).toBe(0o600);
		const hostId = JSON.parse(await readFile(hostIdFile, 'utf8')).hostId as string;
		expect(first.url.searchParams.get('ext_agent_host_id')).toBe(hostId);

		const again = await loginInChromium(['--label', account!.label]);
		expect(again.result.code, again.result.stderr).toBe(0);
		expect(again.url.searchParams.get('client_id')).toBe(account!.clientId);
		expect(again.url.searchParams.get('id_token_hint')).toBe(account!.tokens.idToken);
		expect(again.url.searchParams.get('login_hint')).toBe('user@sandbox.test');
		expect(again.url.searchParams.has('agent_name_hint')).toBe(false);
		expect(again.url.searchParams.get('ext_agent_host_id')).toBe(hostId);
		const after = await stored();
		expect(after).toHaveLength(1);
		expect(after[0]).toMatchObject({id: account!.id, clientId: account!.clientId, subject: account!.subject});
		expect(after[0]!.tokens.access).not.toBe(account!.tokens.access);

		// Canary: nothing secret in what either run printed, the id_token_hint included.
		const printed = first.result.stdout + first.result.stderr + again.result.stdout + again.result.stderr;
		for (const secret of [
			account!.tokens.access,
			account!.tokens.refresh!,
			account!.tokens.idToken!,
			after[0]!.tokens.access,
			after[0]!.tokens.refresh!,
		]) {
			expect(printed).not.toContain(secret.slice(0, 24));
		}
		expect(printed).not.toContain('id_token_hint');
		expect(printed).not.toContain('code_verifier');
	});
});
