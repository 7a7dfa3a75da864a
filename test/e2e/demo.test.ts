// `npm run demo` twice in a row (`tui --sandbox --home .demo-home` in a checkout): the first run onboards,
// the second opens the home screen with the first run's account, served by the same background sandbox.
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {KEYS} from '../helpers/keys.js';
import {spawnTui} from '../helpers/pty.js';
import {runCli} from '../helpers/run-cli.js';
import {makeMachine, type TestMachine} from './tui-session.js';
import {exitWithin, press, waitForFrame} from '../helpers/wait.js';

let machine: TestMachine;
beforeAll(async () => {
	machine = await makeMachine('demo');
});
afterAll(async () => {
	// Stops the demo's background sandbox, then the folder goes.
	await runCli(['--home', join(machine.dir, '.demo-home'), 'reset', '--confirm']);
	await machine?.remove();
});

const DEMO = ['--sandbox', '--home', '.demo-home'];
const serverPid = async () =>
	(JSON.parse(await readFile(join(machine.dir, '.demo-home', 'sandbox', 'server.json'), 'utf8')) as {pid: number}).pid;

it('the second `npm run demo` opens the home screen with the account of the first', async () => {
	const key = `sk-sandbox-demo-${Date.now()}`;
	const first = spawnTui(DEMO, {env: machine.env, cwd: machine.dir, cols: 100, rows: 30});
	try {
		await waitForFrame(first, 'Welcome to tui');
		// Where you are, and what works there.
		expect(first.screen()).toContain('Sandbox: no real account is used · home .demo-home');
		expect(first.screen()).toContain('API keys that start with sk-sandbox-');
		expect(first.screen().replace(/\s+/g, ' ')).toContain('any email and password');
		await waitForFrame(first, 'No existing keys or logins found.');
		await press(first, KEYS.enter, 'Which provider first?');
		await press(first, KEYS.down, '› 2. Claude');
		await press(first, KEYS.enter, 'Your Claude plan');
		await press(first, '7', 'How to use Claude API only');
		await press(first, KEYS.left, '› 1. Subscription');
		await press(first, '2', 'Add your Claude API key');
		await press(first, key, `(${key.length} characters)`);
		await press(first, KEYS.enter, 'A fallback provider?');
		expect(first.screen()).toContain('home .demo-home');
		await press(first, KEYS.down, '› 2. Skip: use Claude only');
		await press(first, KEYS.enter, 'You are set up');
		await press(first, KEYS.enter, '✓ Saved. Welcome aboard.', {lastFrame: true});
		expect(await exitWithin(first)).toBe(0);
	} finally {
		first.kill();
	}
	const pid = await serverPid();

	const second = spawnTui(DEMO, {env: machine.env, cwd: machine.dir, cols: 100, rows: 30});
	try {
		await waitForFrame(second, /Active: Claude \/ \S+ \(api-key/);
		expect(second.screen()).toContain('Sandbox: no real account is used · home .demo-home');
		expect(second.screen()).not.toContain('Welcome to tui');
		second.write('q');
		expect(await exitWithin(second)).toBe(0);
	} finally {
		second.kill();
	}
	// One sandbox served both runs.
	expect(await serverPid()).toBe(pid);
});
