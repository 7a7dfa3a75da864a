// Every screen at 60×20 in a real pty: the title row and the selected item are on the terminal's rows (not
// scrolled away), the sign-in URL copied off the screen (rows joined) is the whole URL, and one screen replaces
// the other. The sandbox is the issuer; the sign-in is completed with the URL read from the screen.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {KEYS} from '../helpers/keys.js';
import {spawnTui, type PtySession} from '../helpers/pty.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {makeMachine, type TestMachine} from './tui-session.js';
import {exitWithin, press, waitForFrame} from '../helpers/wait.js';

const COLS = 60;
const ROWS = 20;

let machine: TestMachine;
beforeAll(async () => {
	machine = await makeMachine('fit');
});
afterAll(async () => {
	await machine?.remove();
});

/** The title row and the highlighted row are both among the rows the terminal shows now. */
function expectOnScreenAt(tui: PtySession, title: string | RegExp, selected: string | RegExp, height = ROWS): void {
	const rows = tui.visible().split('\n');
	expect(rows.length).toBe(height);
	const has = (want: string | RegExp) =>
		rows.some((row) => (typeof want === 'string' ? row.includes(want) : want.test(row)));
	if (!has(title) || !has(selected))
		throw new Error(`expected ${String(title)} and ${String(selected)} on the terminal's rows:\n${tui.visible()}`);
}

const expectOnScreen = (tui: PtySession, title: string | RegExp, selected: string | RegExp) =>
	expectOnScreenAt(tui, title, selected);

/** The URL as a mouse would copy it: the rows it spans, joined with nothing between them. */
function copyUrl(tui: PtySession): string {
	const rows = tui.visible().split('\n');
	const first = rows.findIndex((row) => row.startsWith('http'));
	expect(first).toBeGreaterThanOrEqual(0);
	let url = '';
	for (let i = first; i < rows.length; i++) {
		url += rows[i]!;
		if (rows[i]!.length < COLS) break;
	}
	return url;
}

/** Waits for a complete frame whose visible rows match. */
const shows = (want: string | RegExp) => (screen: string) =>
	typeof want === 'string' ? screen.includes(want) : want.test(screen);

describe('screens at 60×20', () => {
	it('the wizard: every step keeps its title and selection on screen; the URL copies whole; success is said; the last frame offers no keys', async () => {
		const tui = spawnTui(['--sandbox', '--home', machine.home, 'onboard'], {env: machine.env, cols: COLS, rows: ROWS});
		try {
			await waitForFrame(tui, 'No existing keys or logins found.');
			expectOnScreenAt(tui, 'Welcome to tui', 'enter continue');

			await press(tui, KEYS.enter, '› 1. OpenAI');
			expectOnScreen(tui, 'Which provider first?', '› 1. OpenAI');

			await press(tui, KEYS.enter, 'Your OpenAI plan');
			await press(tui, KEYS.down, '› 2.');
			await press(tui, KEYS.down, '› 3. Plus');
			expectOnScreen(tui, 'Your OpenAI plan', '› 3. Plus');

			await press(tui, KEYS.enter, 'How to use OpenAI Plus');
			await waitForFrame(tui, /Mode \d of 3/);
			expectOnScreen(tui, 'How to use OpenAI Plus', /› \d\. /);
			// One mode at a time: ←/→ shows the others.
			const before = tui.visible().match(/› (\d)\. /)![1]!;
			const next = (Number(before) % 3) + 1;
			await press(tui, KEYS.right, `› ${next}. `);
			expectOnScreen(tui, 'How to use OpenAI Plus', `› ${next}. `);
			expect(tui.visible()).not.toContain(`› ${before}. `);

			await press(tui, '1', 'How do you want to sign in?');
			await waitForFrame(tui, '› 1. Continue with ChatGPT');
			expectOnScreen(tui, 'Sign in to OpenAI', '› 1. Continue with ChatGPT');

			await press(tui, KEYS.enter, /times out in \d+:\d\d/);
			expectOnScreen(tui, 'Sign in to OpenAI', 'c copy URL');
			const opened = await machine.nextOpenedUrl();
			const url = copyUrl(tui);
			expect(url).toBe(opened);
			const parsed = new URL(url);
			expect(parsed.searchParams.get('state')).toMatch(/^[\w-]{16,}$/);
			// An OSC 8 link to the whole URL, and `c` puts it on the clipboard (OSC 52).
			expect(tui.output()).toContain(`\u001B]8;id=tui-url;${url}\u0007`);
			await press(tui, 'c', 'Copied the URL to the clipboard.');
			expect(tui.output()).toContain(`\u001B]52;c;${Buffer.from(url).toString('base64')}\u0007`);

			const landed = await completeSandboxLoginWithoutBrowser(url);
			expect(landed.leftSandbox).toBe(true);
			await waitForFrame(tui, 'A fallback provider?');
			await waitForFrame(tui, /✓ Signed in as user@sandbox\.test/);
			expectOnScreen(tui, 'A fallback provider?', '› 1. Add Claude');
			expect(tui.visible()).not.toContain('times out in');

			await press(tui, KEYS.down, '› 2. Skip');
			expectOnScreen(tui, 'A fallback provider?', '› 2. Skip');
			await press(tui, KEYS.enter, 'You are set up');
			expectOnScreen(tui, 'You are set up', 'enter finish');
			await press(tui, KEYS.enter, '✓ Saved. Welcome aboard.', {lastFrame: true});
			expect(await exitWithin(tui)).toBe(0);
			expect(tui.visible()).not.toContain('enter finish');
		} finally {
			tui.kill();
		}
	});

	it.each([
		[COLS, ROWS],
		[80, 24],
	])(
		'home, quota, switcher, add and fallback preferences at %i×%i: each fits, and one replaces the other',
		async (cols, height) => {
			const expectOnScreen = (tui: PtySession, title: string | RegExp, selected: string | RegExp) =>
				expectOnScreenAt(tui, title, selected, height);
			const tui = spawnTui(['--sandbox', '--home', machine.home], {env: machine.env, cols, rows: height});
			try {
				await waitForFrame(tui, /Active: OpenAI/);
				// The one-time plan notice comes first, on the first of these runs only: enter keeps the acknowledgement.
				if (tui.screen().includes("You're using your ChatGPT plan")) await press(tui, KEYS.enter, shows('› 1. Switch'));
				await waitForFrame(tui, '› 1. Switch');
				expectOnScreen(tui, /^ tui\b/, '› 1. Switch');

				await press(tui, '4', shows('r refresh'));
				await waitForFrame(tui, /as of \d\d:\d\d/);
				expectOnScreen(tui, /^ Quota\b/, 'q quit');
				// The quota screen replaced the home screen: no menu left anywhere on the terminal.
				expect(tui.screen()).not.toContain('Switch provider or account');

				await press(tui, 'q', '› 4. Quota');
				expectOnScreen(tui, /^ tui\b/, '› 4. Quota');
				expect(tui.screen()).not.toContain('r refresh');

				await press(tui, KEYS.up, '› 3. Fallback');
				await press(tui, KEYS.up, '› 2. Add account');
				await press(tui, KEYS.up, '› 1. Switch');
				await press(tui, KEYS.enter, 'enter switch');
				await waitForFrame(tui, '[active]');
				expectOnScreen(tui, /^ Accounts\b/, /› /);

				await press(tui, 'a', 'Which provider?');
				expectOnScreen(tui, 'Add an account', /› 1\. OpenAI/);
				await press(tui, KEYS.escape, 'enter switch');
				await press(tui, KEYS.escape, '› 1. Switch');

				await press(tui, '3', 'Fallback preferences');
				await waitForFrame(tui, 'enter save');
				expectOnScreen(tui, 'Fallback preferences', /› \[.\] Fallback/);
				await press(tui, KEYS.escape, '› 3. Fallback');
				await press(tui, 'q', '› 3. Fallback', {lastFrame: true});
				expect(await exitWithin(tui)).toBe(0);
			} finally {
				tui.kill();
			}
		},
	);

	it('`tui quota` on its own fits 60×20 and re-lays out on a resize', async () => {
		const tui = spawnTui(['--sandbox', '--home', machine.home, 'quota'], {env: machine.env, cols: 100, rows: 30});
		try {
			await waitForFrame(tui, /as of \d\d:\d\d/);
			tui.resize(COLS, ROWS);
			await waitForFrame(
				tui,
				() =>
					tui
						.visible()
						.split('\n')
						.every((row) => row.length <= COLS) && /^ Quota\b/m.test(tui.visible()),
			);
			expectOnScreen(tui, /^ Quota\b/, 'q quit');
			tui.write('q');
			expect(await exitWithin(tui)).toBe(0);
		} finally {
			tui.kill();
		}
	});

	it('a resize re-lays out the screen to the new size', async () => {
		const tui = spawnTui(['--sandbox', '--home', machine.home], {env: machine.env, cols: 100, rows: 30});
		try {
			await waitForFrame(tui, '› 1. Switch');
			await press(tui, '4', 'r refresh');
			tui.resize(COLS, ROWS);
			await waitForFrame(tui, () =>
				tui
					.visible()
					.split('\n')
					.every((row) => row.length <= COLS),
			);
			await press(tui, 'q', '› 4. Quota');
			expectOnScreen(tui, /^ tui\b/, '› 4. Quota');
			for (const row of tui.visible().split('\n')) expect(row.length).toBeLessThanOrEqual(COLS);
			tui.write('q');
			expect(await exitWithin(tui)).toBe(0);
		} finally {
			tui.kill();
		}
	});
});
