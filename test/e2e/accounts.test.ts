// The account manager end to end: `tui auth login` and `tui auth switch` at a real pseudo-terminal, accounts
// added by signing in as two different users in headless Chromium against the sandbox, then switched with the
// picker while `tui auth status --json` (a separate process reading the same home) follows every switch.
import {readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import type {Browser} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {completeSandboxLogin, launchBrowser} from '../helpers/browser.js';
import {KEYS} from '../helpers/keys.js';
import {spawnTui, type PtySession} from '../helpers/pty.js';
import {authStatus, makeMachine, type TestMachine} from './tui-session.js';
import {exitWithin, press, waitForFrame} from '../helpers/wait.js';

const FIRST = 'first@example.com';
const SECOND = 'second@example.com';

let browser: Browser;
let machine: TestMachine;
beforeAll(async () => {
	browser = await launchBrowser();
	machine = await makeMachine('accounts');
});
afterAll(async () => {
	await browser?.close();
	await machine?.remove();
});

/** From "Which provider?" of the add-account flow to a stored account: OpenAI, ChatGPT sign-in, browser, Chromium as `email`. */
async function addOpenAIAccount(tui: PtySession, email: string): Promise<void> {
	await waitForFrame(tui, 'Which provider?');
	await press(tui, '1', 'Which kind?');
	await press(tui, '1', 'How do you want to sign in?');
	await press(tui, '1', /Open(?:ing|ed) your browser/);
	const url = await machine.nextOpenedUrl();
	await waitForFrame(tui, 'Opened your browser: finish signing in there.');
	const context = await browser.newContext();
	try {
		const landed = await completeSandboxLogin(await context.newPage(), url, {email});
		expect(new URL(landed).pathname).toBe('/auth/callback');
	} finally {
		await context.close();
	}
}

/** The list row of an account: "›" marks the highlighted one. */
const rowOf = (screen: string, label: string) =>
	screen.split('\n').find((line) => line.includes(label) && !line.includes('Added')) ?? '';

/** Moves the picker's cursor onto `label`'s row with ↑/↓ (one key, then wait for the redraw), then Enter. */
async function pick(tui: PtySession, label: string): Promise<void> {
	for (let moves = 0; !rowOf(tui.screen(), label).includes('›'); moves++) {
		if (moves > 6) throw new Error(`could not move onto ${label}; screen:\n${tui.screen()}`);
		const before = tui.screen();
		await press(tui, KEYS.down, (screen) => screen !== before);
	}
	// Enter switches, closes the screen and prints the new active account.
	await press(tui, KEYS.enter, `Active: OpenAI / ${label}`, {lastFrame: true});
}

describe('accounts in a pseudo-terminal', () => {
	it('adds two OpenAI accounts through Chromium, switches between them with the picker, and auth status follows', async () => {
		// 1. `tui auth login` at a terminal opens the add-account flow.
		const login = spawnTui(['--sandbox', '--home', machine.home, 'auth', 'login'], {
			env: machine.env,
			cols: 100,
			rows: 30,
		});
		try {
			await addOpenAIAccount(login, FIRST);
			expect(await exitWithin(login)).toBe(0);
			expect(login.output()).toContain(`Added openai/${FIRST} (oauth)`);
		} finally {
			login.kill();
		}
		let status = await authStatus(machine);
		expect(status.providers.openai.accounts.map((a) => a.email)).toEqual([FIRST]);
		expect(status.providers.openai.activeAccount).toMatchObject({email: FIRST, kind: 'oauth'});

		// 2. The picker: "a" adds a second account as another user; the list comes back holding both.
		const picker = spawnTui(['--sandbox', '--home', machine.home, 'auth', 'switch'], {
			env: machine.env,
			cols: 100,
			rows: 30,
		});
		try {
			await waitForFrame(picker, FIRST);
			// The file's active account; no provider was chosen yet (no onboarding), so it is the OpenAI default.
			expect(rowOf(picker.screen(), FIRST)).toMatch(/\[(?:active|OpenAI default)\]/);
			await press(picker, 'a', 'Which provider?');
			await addOpenAIAccount(picker, SECOND);
			await waitForFrame(picker, `Added OpenAI / ${SECOND}.`);
			await waitForFrame(picker, /oauth · token expires in/);
			expect(rowOf(picker.screen(), SECOND)).toContain(SECOND);

			// A new login becomes the provider's active account, as the first one did.
			status = await authStatus(machine);
			expect(status.providers.openai.accounts.map((a) => a.email).sort()).toEqual([FIRST, SECOND]);
			expect(status.providers.openai.activeAccount?.email).toBe(SECOND);

			// 3. Switch back to the first account.
			await pick(picker, FIRST);
			expect(await exitWithin(picker)).toBe(0);
			expect(picker.output()).toContain(`Active: OpenAI / ${FIRST} (oauth)`);
		} finally {
			picker.kill();
		}
		status = await authStatus(machine);
		expect(status.activeProvider).toBe('openai');
		expect(status.providers.openai.activeAccount).toMatchObject({email: FIRST, kind: 'oauth', active: true});
		expect(status.providers.openai.accounts.find((a) => a.email === SECOND)?.active).toBe(false);

		// 4. And to the second again, in a new picker that opens on the active (first) account.
		const again = spawnTui(['--sandbox', '--home', machine.home, 'auth', 'switch'], {
			env: machine.env,
			cols: 100,
			rows: 30,
		});
		try {
			await waitForFrame(again, (screen) => rowOf(screen, FIRST).includes('›'));
			expect(rowOf(again.screen(), FIRST)).toContain('[active]');
			expect(rowOf(again.screen(), SECOND)).not.toMatch(/\[(?:active|OpenAI default)\]/);
			await pick(again, SECOND);
			expect(await exitWithin(again)).toBe(0);
			expect(again.output()).toContain(`Active: OpenAI / ${SECOND} (oauth)`);
		} finally {
			again.kill();
		}
		status = await authStatus(machine);
		expect(status.providers.openai.activeAccount).toMatchObject({email: SECOND, active: true});
		expect(status.providers.openai.accounts.find((a) => a.email === FIRST)?.active).toBe(false);

		// Both logins hold their own tokens in one 0600 file.
		const file = join(machine.home, 'auth', 'openai.json');
		expect((await stat(file)).mode & 0o777).toBe(0o600);
		const stored = JSON.parse(await readFile(file, 'utf8')) as {
			active: string;
			accounts: Array<{id: string; email: string; tokens: {refresh: string}}>;
		};
		expect(stored.accounts).toHaveLength(2);
		expect(stored.accounts[0]!.tokens.refresh).not.toBe(stored.accounts[1]!.tokens.refresh);
		expect(stored.active).toBe(stored.accounts.find((a) => a.email === SECOND)!.id);
	});
});
