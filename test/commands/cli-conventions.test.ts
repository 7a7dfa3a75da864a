// What a newcomer tries first: help, version, a typo, options after the command, Ctrl+C, and keys with stray
// whitespace, typed or piped. The built CLI as a real process (piped, or in a real pty).
import {spawn} from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {authFilePath} from '../../source/store/auth-file.js';
import {KEYS} from '../helpers/keys.js';
import {startProviderStub, type ProviderStub} from '../helpers/provider-stub.js';
import {CLI, spawnTui} from '../helpers/pty.js';
import {waitForText} from '../helpers/wait.js';
import {runCli} from '../helpers/run-cli.js';

const KEY = 'sk-test-conventions-0042-ZZZZ';
let stub: ProviderStub;
let home: string;
beforeAll(async () => {
	stub = await startProviderStub({openai: {goodKeys: [KEY]}});
});
afterAll(async () => {
	await stub.close();
});
beforeEach(async () => {
	home = await tempHome('tui-conventions-');
});
afterEach(async () => {
	// Stops a --sandbox home's background sandbox, if a test started one.
	await runCli(['--home', home, 'reset', '--confirm']);
	await fs.rm(home, {recursive: true, force: true});
});

const version = async () => (JSON.parse(await fs.readFile('package.json', 'utf8')) as {version: string}).version;

describe('help, version and typos', () => {
	it('`tui help` and `tui help auth login` print the help; an unknown name there is a usage error', async () => {
		const top = await runCli(['help']);
		expect(top.code).toBe(0);
		expect(top.stdout).toMatch(/^Usage: tui \[options\] \[command\]/);
		expect(top.stdout).toContain('auth');
		const login = await runCli(['help', 'auth', 'login']);
		expect(login.code).toBe(0);
		expect(login.stdout).toMatch(/^Usage: tui auth login \[options\]/);
		expect(login.stdout).toContain('--with-api-key');
		const wrong = await runCli(['help', 'auth', 'logon']);
		expect(wrong.code).toBe(2);
		expect(wrong.stderr).toBe("tui: unknown command 'logon' of tui auth; did you mean 'login'? (see tui help)\n");
	});

	it('`tui help quota` explains the --line form', async () => {
		const quota = await runCli(['help', 'quota']);
		expect(quota.stdout).toContain('Reading --line, e.g. "claude 43% 5h · 71% wk │ openai 12% req"');
		expect(quota.stdout).toContain('5h = 5-hour, wk = weekly');
	});

	it('--version and -V print the package version', async () => {
		for (const flag of ['--version', '-V']) {
			const result = await runCli([flag]);
			expect(result.code).toBe(0);
			expect(result.stdout).toBe(`${await version()}\n`);
		}
	});

	it('an unknown command says so and names the nearest one', async () => {
		const typo = await runCli(['auht']);
		expect([typo.code, typo.stderr]).toEqual([2, "tui: unknown command 'auht'; did you mean 'auth'? (see tui help)\n"]);
		const nested = await runCli(['statu']);
		expect(nested.stderr).toBe("tui: unknown command 'statu'; did you mean 'auth status'? (see tui help)\n");
		const nothing = await runCli(['xyzzy']);
		expect([nothing.code, nothing.stderr]).toEqual([2, "tui: unknown command 'xyzzy' (see tui help)\n"]);
		const sub = await runCli(['auth', 'logn']);
		expect(sub.code).toBe(2);
		expect(sub.stderr).toContain("unknown command 'logn'");
		expect(sub.stderr).toContain('login');
	});

	it('--home and --sandbox work after the command too', async () => {
		const login = await runCli(['auth', 'login', '--provider', 'openai', '--with-api-key', '--home', home], {
			input: `${KEY}\n`,
			env: stub.env,
		});
		expect(login.code).toBe(0);
		const status = await runCli(['auth', 'status', '--json', '--home', home]);
		expect(JSON.parse(status.stdout).providers.openai.activeAccount).toMatchObject({kind: 'api-key', key: '…ZZZZ'});
		// Only the sandbox accepts this key, so success proves --sandbox was honoured in that place.
		const sandboxed = await runCli(
			['auth', 'login', '--provider', 'claude', '--with-api-key', '--sandbox', '--home', home],
			{input: 'sk-sandbox-after-the-command-1\n'},
		);
		expect(sandboxed.stderr).toBe('');
		expect(sandboxed.code).toBe(0);
	});
});

/** The CLI without a terminal until its stderr shows `until`; then SIGINT, as Ctrl+C sends it. */
async function interruptAfter(
	args: readonly string[],
	until: RegExp,
): Promise<{code: number | null; stdout: string; stderr: string}> {
	const child = spawn(process.execPath, [CLI, ...args], {
		env: {PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1'},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	child.stdin.end();
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	const seen = new Promise<void>((resolve) =>
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
			if (until.test(stderr)) resolve();
		}),
	);
	const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
	await Promise.race([seen, closed]);
	child.kill('SIGINT');
	return {code: await closed, stdout, stderr};
}

describe('time shown as set', () => {
	it('`--timeout 3` says 3 s, not "1 min"', async () => {
		const browser = await runCli([
			'--sandbox',
			'--home',
			home,
			'auth',
			'login',
			'--provider',
			'claude',
			'--method',
			'browser',
			'--no-browser',
			'--timeout',
			'3',
		]);
		expect(browser.code).toBe(1);
		expect(browser.stderr).toContain('waiting up to 3 s (Ctrl+C cancels)');
		expect(browser.stderr).not.toContain('min');
		expect(browser.stderr).toContain('timed out');
	});

	it('the paste window is said as it is in the flag form too (the screen counts down from the same expiry)', async () => {
		// A pasted ChatGPT callback is accepted for at most 10 minutes, whatever --timeout asks.
		// stdin is empty, so the login ends by itself: no interrupt (one sent as it exits would race its exit code).
		const paste = await runCli(
			['--sandbox', '--home', home, 'auth', 'login', '--provider', 'openai', '--method', 'paste', '--timeout', '900'],
			{env: {HOME: home}},
		);
		expect(paste.stderr).toMatch(/paste it here \(within 10 min\)/);
		// stdin is empty here: the login ends at once, saying so, with nothing written.
		expect(paste.stderr).toContain('no input on stdin; the login was not completed');
		expect(paste.code).toBe(1);
	});

	it('the flag form of onboard gives its progress as auth login does: the URL alone on stdout, never "the URL above"', async () => {
		const onboard = await interruptAfter(
			[
				'--sandbox',
				'--home',
				home,
				'onboard',
				'--provider',
				'openai',
				'--tier',
				'plus',
				'--mode',
				'subscription',
				'--method',
				'browser',
				'--no-browser',
			],
			/waiting up to/,
		);
		const login = await interruptAfter(
			['--sandbox', '--home', home, 'auth', 'login', '--provider', 'openai', '--method', 'browser', '--no-browser'],
			/waiting up to/,
		);
		for (const result of [onboard, login]) {
			expect(result.stderr).not.toContain('above');
			expect(result.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/accounts\/authorize\?\S+\n$/);
			expect(result.stderr).toContain('open this URL in a browser to sign in:');
			// What is left of the 5 minutes when the URL is printed.
			expect(result.stderr).toMatch(/waiting up to (5 min|4 min \d\d? s) \(Ctrl\+C cancels\)/);
			expect(result.code).toBe(130);
		}
		// The same lines, apart from the URL's port and state.
		const shape = (text: string) => text.replace(/\d{4,5}/g, 'PORT').replace(/\d+ s\b/g, 'N s');
		expect(shape(onboard.stderr)).toBe(shape(login.stderr));
	});
});

describe('Ctrl+C exits 130', () => {
	it('in a screen (the wizard)', async () => {
		const tui = spawnTui(['--home', home, 'onboard'], {
			env: {
				...stub.env,
				NO_COLOR: '1',
				OPENAI_API_KEY: undefined,
				ANTHROPIC_API_KEY: undefined,
				CLAUDE_API_KEY: undefined,
			},
		});
		try {
			await waitForText(tui, 'Welcome to tui');
			tui.write(KEYS.ctrlC);
			expect((await tui.exited).exitCode).toBe(130);
		} finally {
			tui.kill();
		}
	});

	it('in a screen that quits by itself on Ctrl+C (quota)', async () => {
		const tui = spawnTui(['--home', home, 'quota'], {env: {NO_COLOR: '1'}});
		try {
			await waitForText(tui, 'Quota');
			tui.write(KEYS.ctrlC);
			expect((await tui.exited).exitCode).toBe(130);
		} finally {
			tui.kill();
		}
	});
});

describe('keys: typed and piped alike', () => {
	it('piped: surrounding spaces, tabs, CR and LF are trimmed; inner whitespace is refused', async () => {
		const padded = await runCli(['--home', home, 'auth', 'login', '--provider', 'openai', '--with-api-key'], {
			input: ` \t${KEY} \r\n\n`,
			env: stub.env,
		});
		expect(padded.stderr).toBe('');
		expect(padded.code).toBe(0);
		expect(JSON.parse(await fs.readFile(authFilePath(home, 'openai'), 'utf8')).accounts[0].key).toBe(KEY);
		const inner = await runCli(
			['--home', home, 'auth', 'login', '--provider', 'openai', '--with-api-key', '--label', 'other'],
			{input: `${KEY.slice(0, 10)} ${KEY.slice(10)}\n`, env: stub.env},
		);
		expect(inner.code).toBe(2);
		expect(inner.stderr).toBe('tui: the API key contains whitespace; give the key alone, on one line\n');
	});

	it('typed at the prompt: the same trimming and the same refusal', async () => {
		const env = {...stub.env, NO_COLOR: '1', OPENAI_API_KEY: undefined};
		const inner = spawnTui(['--home', home, 'auth', 'login', '--provider', 'openai', '--with-api-key'], {env});
		try {
			await waitForText(inner, '(input hidden):');
			inner.write(`${KEY.slice(0, 10)} ${KEY.slice(10)}\r`);
			expect((await inner.exited).exitCode).toBe(2);
			expect(inner.screen()).toContain('tui: the API key contains whitespace; give the key alone, on one line');
		} finally {
			inner.kill();
		}
		const padded = spawnTui(['--home', home, 'auth', 'login', '--provider', 'openai', '--with-api-key'], {env});
		try {
			await waitForText(padded, '(input hidden):');
			padded.write(`  ${KEY}\t \r`);
			expect((await padded.exited).exitCode).toBe(0);
		} finally {
			padded.kill();
		}
		expect(JSON.parse(await fs.readFile(authFilePath(home, 'openai'), 'utf8')).accounts[0].key).toBe(KEY);
	});
});

describe('tui onboard on a home that has accounts', () => {
	it('lists them instead of "No existing keys or logins found", and k keeps them: the next `tui` opens the home screen', async () => {
		const env = {
			...stub.env,
			NO_COLOR: '1',
			OPENAI_API_KEY: undefined,
			ANTHROPIC_API_KEY: undefined,
			CLAUDE_API_KEY: undefined,
		};
		const login = await runCli(
			['--home', home, 'auth', 'login', '--provider', 'openai', '--with-api-key', '--label', 'work'],
			{input: `${KEY}\n`, env: stub.env},
		);
		expect(login.code).toBe(0);

		const onboard = spawnTui(['--home', home, 'onboard'], {env});
		try {
			await waitForText(onboard, 'k keeps them');
			expect(onboard.screen()).toContain('Already in this home (1):');
			expect(onboard.screen()).toContain('OpenAI / work (api-key)');
			expect(onboard.screen()).not.toContain('No existing keys or logins found.');
			onboard.write('k');
			expect((await onboard.exited).exitCode).toBe(0);
			expect(onboard.screen()).toContain('Kept your 1 account(s) as they are; onboarding is complete.');
		} finally {
			onboard.kill();
		}
		const config = JSON.parse(await fs.readFile(path.join(home, 'config.json'), 'utf8'));
		expect(Date.parse(config.onboardingCompletedAt)).toBeGreaterThan(Date.now() - 120_000);
		expect(config.activeProvider).toBe('openai');

		const tui = spawnTui(['--home', home], {env});
		try {
			await waitForText(tui, /Active: OpenAI \/ work \(api-key/);
			tui.write('q');
			expect((await tui.exited).exitCode).toBe(0);
		} finally {
			tui.kill();
		}
	});
});
