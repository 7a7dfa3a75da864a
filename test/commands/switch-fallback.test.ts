// `tui auth switch`, `tui auth fallback` and `tui` (home) as built commands (node dist/cli.cjs; run
// `npm run build` first) in temp homes seeded through the store. stdin is a pipe, never a TTY.
import fs from 'node:fs/promises';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {waitForText} from '../helpers/wait.js';
import {readAuthFile} from '../../source/store/auth-file.js';
import {readPreferences} from '../../source/store/preferences.js';
import {runCli, type CliResult} from '../helpers/run-cli.js';
import {seedAccounts} from '../ui/account-seed.js';

let home: string;
beforeEach(async () => {
	home = await tempHome('tui-switch-');
	await seedAccounts(home);
});

async function tui(...args: string[]): Promise<CliResult> {
	const result = await runCli(['--home', home, ...args]);
	// No secret ever reaches either stream.
	expect(result.stdout + result.stderr).not.toContain('canary');
	return result;
}

async function activeIn(provider: 'openai' | 'claude'): Promise<string | undefined> {
	const file = await readAuthFile(home, provider);
	return file.accounts.find((a) => a.id === file.active)?.label;
}

const snapshot = async () => ({
	config: await fs.readFile(path.join(home, 'config.json'), 'utf8'),
	claude: await fs.readFile(path.join(home, 'auth', 'claude.json'), 'utf8'),
	openai: await fs.readFile(path.join(home, 'auth', 'openai.json'), 'utf8'),
});

describe('tui auth switch PROVIDER[/LABEL]', () => {
	it('switches provider and account at once and prints one line', async () => {
		const result = await tui('auth', 'switch', 'claude/spare');
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toBe('Active: Claude / spare (api-key …9999)\n');
		expect((await readPreferences(home)).activeProvider).toBe('claude');
		expect(await activeIn('claude')).toBe('spare');
		expect(await activeIn('openai')).toBe('personal');
	});

	it('a provider alone keeps its active account; labels match case-insensitively', async () => {
		expect((await tui('auth', 'switch', 'Claude')).stdout).toBe('Active: Claude / work (api-key …1234)\n');
		expect((await readPreferences(home)).activeProvider).toBe('claude');
		expect((await tui('auth', 'switch', 'openai/PERSONAL')).stdout).toBe('Active: OpenAI / personal (oauth plus)\n');
		expect((await readPreferences(home)).activeProvider).toBe('openai');
	});

	it('switching to an account that needs a login says so on stderr', async () => {
		const result = await tui('auth', 'switch', 'openai/old');
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('Active: OpenAI / old (oauth)\n');
		expect(result.stderr).toBe(
			'warning: OpenAI / old: needs login (refresh token expired); run tui auth login --provider openai\n',
		);
	});

	it('an unknown provider or label exits 2 listing the valid ones, and writes nothing', async () => {
		const before = await snapshot();
		const provider = await tui('auth', 'switch', 'gemini/work');
		expect(provider).toMatchObject({
			code: 2,
			stdout: '',
			stderr: 'tui: unknown provider "gemini"; valid: openai, claude\n',
		});
		const label = await tui('auth', 'switch', 'claude/nope');
		expect(label).toMatchObject({
			code: 2,
			stdout: '',
			stderr: 'tui: no Claude account "nope"; valid: claude/work, claude/spare\n',
		});
		expect(await snapshot()).toEqual(before);
	});

	it('no argument and no terminal: exit 2 naming the argument form, without waiting', async () => {
		const result = await tui('auth', 'switch');
		expect(result.code).toBe(2);
		expect(result.stderr).toBe(
			'tui: stdin is not a terminal, so the picker cannot run; pass PROVIDER or PROVIDER/LABEL, e.g. tui auth switch claude/work\n',
		);
	});
});

describe('tui auth fallback flags', () => {
	it('--order --on --threshold are saved to config.json', async () => {
		const result = await tui(
			'auth',
			'fallback',
			'--order',
			'claude,openai',
			'--on',
			'quota,rate-limit',
			'--threshold',
			'90',
		);
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toBe('Saved fallback on: order claude,openai; on quota,rate-limit; threshold 90%\n');
		expect((await readPreferences(home)).fallback).toEqual({
			enabled: true,
			order: ['claude', 'openai'],
			triggers: ['quota', 'rate-limit'],
			thresholdPercent: 90,
		});
		const raw = JSON.parse(await fs.readFile(path.join(home, 'config.json'), 'utf8'));
		expect(raw.fallback.thresholdPercent).toBe(90);
	});

	it('--off turns it off and keeps the rest; a one-provider --order is completed', async () => {
		await tui('auth', 'fallback', '--on', 'outage', '--order', 'claude');
		expect((await readPreferences(home)).fallback).toEqual({
			enabled: true,
			order: ['claude', 'openai'],
			triggers: ['outage'],
			thresholdPercent: 95,
		});
		const off = await tui('auth', 'fallback', '--off');
		expect(off.stdout).toBe('Saved fallback off: order claude,openai; on outage; threshold 95%\n');
		expect((await readPreferences(home)).fallback.enabled).toBe(false);
	});

	it.each([
		[['--order', 'claude,gemini'], 'tui: invalid --order "claude,gemini"; valid providers: openai, claude'],
		[['--order', 'claude,claude'], 'tui: --order names a provider twice; valid providers: openai, claude'],
		[['--on', 'quota,bogus'], 'tui: invalid --on "quota,bogus"; valid triggers: quota, rate-limit, auth-error, outage'],
		[['--threshold', '0'], 'tui: invalid --threshold "0"; valid: a whole percent from 1 to 100'],
		[['--threshold', '9.5'], 'tui: invalid --threshold "9.5"; valid: a whole percent from 1 to 100'],
		[
			['--order', 'openai', '--threshold', '101'],
			'tui: invalid --threshold "101"; valid: a whole percent from 1 to 100',
		],
		[['--off', '--on', 'quota'], 'tui: --off and --on contradict each other; pass one of them'],
	])('%j exits 2 naming the valid values, and writes nothing', async (args, message) => {
		const before = await snapshot();
		const result = await tui('auth', 'fallback', ...args);
		expect(result).toMatchObject({code: 2, stdout: '', stderr: `${message}\n`});
		expect(await snapshot()).toEqual(before);
	});

	it('no flags and no terminal: prints the current settings with the preview, exit 0', async () => {
		await tui('auth', 'fallback', '--on', 'quota', '--order', 'claude,openai');
		const result = await tui('auth', 'fallback');
		expect(result.code).toBe(0);
		expect(result.stdout).toBe(
			'fallback on: order claude,openai; on quota; threshold 95%\nIf Claude hits its 5-hour limit (95% used), tui switches to OpenAI / personal\n',
		);
	});
});

describe('tui (home) without a terminal', () => {
	it('prints a plain summary and exits 0 after onboarding', async () => {
		const result = await tui();
		expect(result.code).toBe(0);
		const lines = result.stdout.split('\n');
		expect(lines[0]).toMatch(/^Active: OpenAI \/ personal \(oauth · plus · token expires in 1 d 23 h · never used\)$/);
		// The active ChatGPT sign-in has its own line (who, plan, plan usage).
		expect(lines[1]).toBe('ChatGPT: me@example.com · plus plan · plan usage on');
		expect(lines[2]).toBe('Selection: using OpenAI / personal: preferred, usable');
	});

	it('before onboarding it is the wizard, whose flag form exits 2 naming the flags', async () => {
		home = await tempHome('tui-fresh-');
		const result = await tui();
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('tui onboard needs --provider, --tier and --mode');
		await expect(fs.access(path.join(home, 'config.json'))).rejects.toThrow();
	});
});

describe('the screens in a real terminal (a real pty, 60 columns)', () => {
	it('tui auth switch: the picker switches on Enter and prints the new account', async () => {
		const {spawnTui} = await import('../helpers/pty.js');
		const session = spawnTui(['--home', home, 'auth', 'switch'], {cols: 60, env: {NO_COLOR: '1'}});
		try {
			await waitForText(session, 'spare');
			for (let i = 0; i < 4; i++) session.write('\u001B[B');
			await waitForText(session, /› +spare/);
			session.write('\r');
			expect((await session.exited).exitCode).toBe(0);
			expect(session.screen()).toContain('Active: Claude / spare (api-key …9999)');
			expect(await activeIn('claude')).toBe('spare');
			expect((await readPreferences(home)).activeProvider).toBe('claude');
		} finally {
			session.kill();
		}
	});

	it('tui auth fallback: space and Enter save; tui: the home screen quits on q', async () => {
		const {spawnTui} = await import('../helpers/pty.js');
		const fallback = spawnTui(['--home', home, 'auth', 'fallback'], {cols: 60, env: {NO_COLOR: '1'}});
		try {
			await waitForText(fallback, 'Preview:');
			fallback.write(' ');
			await waitForText(fallback, 'Fallback on');
			fallback.write('\r');
			expect((await fallback.exited).exitCode).toBe(0);
			expect((await readPreferences(home)).fallback.enabled).toBe(true);
		} finally {
			fallback.kill();
		}
		const homeScreen = spawnTui(['--home', home], {cols: 60, env: {NO_COLOR: '1'}});
		try {
			await waitForText(homeScreen, 'Selection: using OpenAI / personal');
			homeScreen.write('q');
			expect((await homeScreen.exited).exitCode).toBe(0);
		} finally {
			homeScreen.kill();
		}
	});
});
