// `tui statusline claude` as Claude Code runs it: a fake `claude` on PATH (a real executable) reads the
// statusLine command from its settings.json, pipes a status-line document into it through `sh -c`, and
// reports what came back. Run `npm run build` first.
import {spawn} from 'node:child_process';
import {chmod, mkdir, readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp-home.js';
import {authFilePath} from '../../source/store/auth-file.js';
import {statusLinePath} from '../../source/store/claude-status-line.js';
import {withFileLock} from '../../source/store/lock.js';
import {spawnTui} from '../helpers/pty.js';
import {waitForText} from '../helpers/wait.js';
import {runCli} from '../helpers/run-cli.js';

const FAKE_CLAUDE = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const {spawnSync} = require('node:child_process');
const dir = process.env.CLAUDE_CONFIG_DIR;
const args = process.argv.slice(2);
fs.appendFileSync(path.join(__dirname, 'calls.log'), args.join(' ') + '\\n');
if (args[0] === '--version') { console.log('2.1.90 (Claude Code)'); process.exit(0); }
if (args[0] === 'auth' && args[1] === 'login') { console.log('fake login done'); process.exit(0); }
if (args[0] === 'auth' && args[1] === 'status') {
	const email = fs.readFileSync(path.join(__dirname, 'email.txt'), 'utf8').trim();
	console.log(JSON.stringify({loggedIn: email !== '', authMethod: 'claude.ai', ...(email ? {email} : {}), subscriptionType: 'max'}));
	process.exit(0);
}
if (args[0] === 'login-as') {
	// What a real login does to the files: the credentials file is rewritten.
	fs.writeFileSync(path.join(__dirname, 'email.txt'), args[1] ?? '');
	fs.writeFileSync(path.join(dir, '.credentials.json'), JSON.stringify({who: args[1], at: Date.now()}));
	process.exit(0);
}
if (args[0] === 'feed') {
	// Claude Code's side of the status line: settings.json's command, through a shell, the document on stdin.
	const settings = JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'));
	const run = spawnSync('/bin/sh', ['-c', settings.statusLine.command], {input: fs.readFileSync(args[1]), env: process.env, encoding: 'utf8'});
	console.log(JSON.stringify({code: run.status, stdout: run.stdout, stderr: run.stderr}));
	process.exit(0);
}
process.exit(3);
`;

const created = '2026-01-01T00:00:00.000Z';

type Feed = {code: number; stdout: string; stderr: string};

async function setup(options: {settings?: string} = {}) {
	const root = await tempDir('tui-statusline-');
	const home = path.join(root, 'home');
	const config = path.join(root, 'claude-config');
	const bin = path.join(root, 'bin');
	await mkdir(path.join(home, 'auth'), {recursive: true, mode: 0o700});
	await mkdir(config, {recursive: true});
	await mkdir(bin);
	await writeFile(path.join(bin, 'claude'), FAKE_CLAUDE);
	await chmod(path.join(bin, 'claude'), 0o755);
	await writeFile(path.join(bin, 'email.txt'), 'max@example.com');
	await writeFile(
		authFilePath(home, 'claude'),
		JSON.stringify({
			version: 1,
			active: 'cc1',
			accounts: [
				{
					id: 'cc1',
					label: 'max',
					kind: 'delegated',
					tool: 'claude-code',
					plan: 'max',
					email: 'max@example.com',
					createdAt: created,
				},
				{
					id: 'cc2',
					label: 'pro',
					kind: 'delegated',
					tool: 'claude-code',
					plan: 'pro',
					email: 'pro@example.com',
					createdAt: created,
				},
			],
		}),
		{mode: 0o600},
	);
	if (options.settings !== undefined) await writeFile(path.join(config, 'settings.json'), options.settings);
	const env = {PATH: `${bin}:${process.env.PATH}`, CLAUDE_CONFIG_DIR: config, HOME: root};
	let n = 0;
	const feed = async (document: string): Promise<Feed> => {
		const file = path.join(root, `doc-${n++}.json`);
		await writeFile(file, document);
		const result = await runProcess(path.join(bin, 'claude'), ['feed', file], env);
		expect(result.code).toBe(0);
		return JSON.parse(result.stdout) as Feed;
	};
	const claude = (...args: string[]) => runProcess(path.join(bin, 'claude'), args, env);
	const statusCalls = async () =>
		(await readFile(path.join(bin, 'calls.log'), 'utf8').catch(() => ''))
			.split('\n')
			.filter((l) => l.startsWith('auth status')).length;
	const records = async () =>
		JSON.parse(await readFile(statusLinePath(home), 'utf8')).accounts as Record<
			string,
			{email: string; windows: Array<{name: string; usedPercent: number; resetsAt?: number; source: string}>}
		>;
	return {
		root,
		home,
		config,
		env,
		feed,
		claude,
		statusCalls,
		records,
		settingsFile: path.join(config, 'settings.json'),
	};
}

function runProcess(
	command: string,
	args: string[],
	env: Record<string, string>,
): Promise<{code: number | null; stdout: string; stderr: string}> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {env: {...env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
		child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
		child.on('error', reject);
		child.on('close', (code) => resolve({code, stdout, stderr}));
	});
}

/** A real-shaped Claude Code status-line document. */
function document(
	options: {limits?: {five: number; seven: number}; displayName?: string; version?: string} = {},
): string {
	const nowS = Math.floor(Date.now() / 1000);
	return JSON.stringify({
		hook_event_name: 'Status',
		session_id: 'abc123',
		transcript_path: '/tmp/transcript.jsonl',
		cwd: '/work/project',
		model: {id: 'claude-opus-4-1', display_name: options.displayName ?? 'Opus'},
		workspace: {current_dir: '/work/project', project_dir: '/work/project'},
		version: options.version ?? '2.1.90',
		output_style: {name: 'default'},
		cost: {
			total_cost_usd: 0.01234,
			total_duration_ms: 45000,
			total_api_duration_ms: 2300,
			total_lines_added: 156,
			total_lines_removed: 23,
		},
		...(options.limits
			? {
					rate_limits: {
						five_hour: {used_percentage: options.limits.five, resets_at: nowS + 2 * 3600},
						seven_day: {used_percentage: options.limits.seven, resets_at: nowS + 3 * 86_400},
					},
				}
			: {}),
	});
}

const ESC = '\u001B';

// Many real processes per test (the CLI, the fake claude, sh); a loaded machine needs the room.
describe('tui statusline claude, fed by Claude Code', {timeout: 180_000}, () => {
	it('installs with consent flags, records the windows of the signed-in account, prints the line, chains the old command, and uninstalls byte for byte', async () => {
		const original =
			'{\n  "model": "opus",\n  "statusLine": {"type": "command", "command": "printf \'old bar\'", "padding": 1},\n  "permissions": {"allow": ["Bash(ls:*)"]}\n}\n';
		const s = await setup({settings: original});

		const install = await runCli(['--home', s.home, 'statusline', 'claude', '--install', '--yes'], {env: s.env});
		expect(install.code).toBe(0);
		expect(install.stdout).toContain('"statusLine" was:');
		expect(install.stdout).toContain('"padding": 1');
		expect(install.stdout).toContain('Your status line command still runs');
		const installed = await readFile(s.settingsFile, 'utf8');
		expect(installed.startsWith('{\n  "model": "opus",\n  "statusLine": {')).toBe(true);
		expect(installed.endsWith('},\n  "permissions": {"allow": ["Bash(ls:*)"]}\n}\n')).toBe(true);
		expect(JSON.parse(installed).statusLine).toMatchObject({
			type: 'command',
			padding: 1,
			command: expect.stringContaining('statusline claude'),
		});

		// With rate_limits: recorded for the account `claude auth status` names, printed as the quota line.
		const withLimits = await s.feed(document({limits: {five: 23.5, seven: 41.2}}));
		expect(withLimits.code).toBe(0);
		expect(withLimits.stdout).toBe('Opus │ claude 24% 5h · 41% wk\nold bar\n');
		expect(withLimits.stderr).toBe('');
		const recorded = await s.records();
		expect(Object.keys(recorded)).toEqual(['claude/cc1']);
		expect(recorded['claude/cc1']!.email).toBe('max@example.com');
		expect(recorded['claude/cc1']!.windows.map((w) => [w.name, w.usedPercent, w.source])).toEqual([
			['5h', 23.5, 'status-line'],
			['weekly', 41.2, 'status-line'],
		]);
		expect(recorded['claude/cc1']!.windows[0]!.resetsAt! % 1000).toBe(0);

		// The lookup is cached: a second refresh does not spawn `claude auth status` again.
		const callsBefore = await s.statusCalls();
		expect((await s.feed(document({limits: {five: 30, seven: 42}}))).stdout).toBe(
			'Opus │ claude 30% 5h · 42% wk\nold bar\n',
		);
		expect(await s.statusCalls()).toBe(callsBefore);

		// The quota report shows them, with their source and age.
		const quota = JSON.parse((await runCli(['--home', s.home, 'quota', '--json'], {env: s.env})).stdout);
		const max = quota.providers
			.find((p: {provider: string}) => p.provider === 'claude')
			.accounts.find((a: {id: string}) => a.id === 'cc1');
		expect(max).toMatchObject({kind: 'delegated', status: 'fresh', plan: 'max'});
		expect(max.windows).toEqual([
			expect.objectContaining({
				name: '5h',
				usedPercent: 30,
				source: 'status-line',
				stale: false,
				windowSeconds: 18_000,
			}),
			expect.objectContaining({name: 'weekly', usedPercent: 42, source: 'status-line', stale: false}),
		]);
		expect((await runCli(['--home', s.home, 'quota', '--line'], {env: s.env})).stdout).toBe('claude 30% 5h · 42% wk\n');
		const plain = await runCli(['--home', s.home, 'quota'], {env: s.env});
		expect(plain.stdout).toMatch(/from Claude Code status line/);

		// Uninstall: the old statusLine is back and the file is what it was, byte for byte.
		const uninstall = await runCli(['--home', s.home, 'statusline', 'claude', '--uninstall'], {env: s.env});
		expect(uninstall.code).toBe(0);
		expect(await readFile(s.settingsFile, 'utf8')).toBe(original);
	});

	it('without rate_limits, with garbage, with an escape payload, a locked store: a line and exit 0 every time', async () => {
		const s = await setup();
		expect((await runCli(['--home', s.home, 'statusline', 'claude', '--install', '--yes'], {env: s.env})).code).toBe(0);
		await s.feed(document({limits: {five: 50, seven: 60}}));

		const without = await s.feed(document());
		expect(without).toMatchObject({code: 0, stderr: ''});
		// The recorded figures still show; nothing was overwritten.
		expect(without.stdout).toBe('Opus │ claude 50% 5h · 60% wk\n');

		const garbage = await s.feed('{"rate_limits": {"five_hour": ');
		expect(garbage).toMatchObject({code: 0, stderr: ''});
		expect(garbage.stdout).toBe('claude 50% 5h · 60% wk\n');

		const hostile = await s.feed(
			document({
				limits: {five: 51, seven: 61},
				displayName: `${ESC}]0;pwned${ESC}\\${ESC}[2J\u0007Opus${ESC}[31m\u009B1m`,
			}),
		);
		expect(hostile.code).toBe(0);
		expect(hostile.stdout).not.toContain(ESC);
		expect(hostile.stdout).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
		expect(hostile.stdout).toBe('Opus │ claude 51% 5h · 61% wk\n');

		const oddVersion = await s.feed(document({limits: {five: 52, seven: 62}, version: 'banana'}));
		expect(oddVersion).toMatchObject({code: 0, stdout: 'Opus │ claude 52% 5h · 62% wk\n'});

		// Reasons only with --debug.
		const debug = await runCli(['--home', s.home, 'statusline', 'claude', '--debug'], {env: s.env, input: 'not json'});
		expect(debug.code).toBe(0);
		expect(debug.stdout).toBe('claude 52% 5h · 62% wk\n');
		expect(debug.stderr).toContain('stdin is not JSON');

		// A locked store: the line still shows what Claude Code sent, and --debug says why nothing was recorded.
		const locked = await withFileLock(statusLinePath(s.home), () =>
			runCli(['--home', s.home, 'statusline', 'claude', '--debug'], {
				env: s.env,
				input: document({limits: {five: 90, seven: 63}}),
			}),
		);
		expect(locked.code).toBe(0);
		expect(locked.stdout).toBe('Opus │ claude 90%! 5h · 63% wk\n');
		expect(locked.stderr).toMatch(/windows not recorded: .*locked/);
		expect((await s.records())['claude/cc1']!.windows[0]!.usedPercent).toBe(52);
	});

	it('windows go to the account Claude Code is signed in to, and never move to another', async () => {
		const s = await setup({settings: '{}'});
		expect((await runCli(['--home', s.home, 'statusline', 'claude', '--install', '--yes'], {env: s.env})).code).toBe(0);
		await s.feed(document({limits: {five: 70, seven: 80}}));
		const calls = await s.statusCalls();

		await s.claude('login-as', 'pro@example.com');
		const pro = await s.feed(document({limits: {five: 5, seven: 9}}));
		expect(pro.stdout).toBe('Opus │ claude 5% 5h · 9% wk\n');
		// The login changed Claude Code's files, so the cache was not trusted.
		expect(await s.statusCalls()).toBe(calls + 1);
		const records = await s.records();
		expect(records['claude/cc1']).toMatchObject({
			email: 'max@example.com',
			windows: [expect.objectContaining({usedPercent: 70}), expect.objectContaining({usedPercent: 80})],
		});
		expect(records['claude/cc2']).toMatchObject({
			email: 'pro@example.com',
			windows: [expect.objectContaining({usedPercent: 5}), expect.objectContaining({usedPercent: 9})],
		});

		// A login tui does not know: shown in the bar, recorded nowhere.
		await s.claude('login-as', 'stranger@example.com');
		const stranger = await runCli(['--home', s.home, 'statusline', 'claude', '--debug'], {
			env: s.env,
			input: document({limits: {five: 99, seven: 99}}),
		});
		expect(stranger).toMatchObject({code: 0, stdout: 'Opus │ claude 99%! 5h · 99%! wk\n'});
		expect(stranger.stderr).toContain('no tui account matches the Claude Code login');
		expect(await s.records()).toEqual(records);
	});

	it('--install without a terminal needs --yes; --help names the flags', async () => {
		const s = await setup();
		const refused = await runCli(['--home', s.home, 'statusline', 'claude', '--install'], {env: s.env});
		expect(refused.code).toBe(2);
		expect(refused.stderr).toContain('--install --yes');
		await expect(stat(s.settingsFile)).rejects.toThrow();
		const help = await runCli(['statusline', '--help']);
		expect(help.code).toBe(0);
		for (const flag of ['--debug', '--install', '--yes', '--uninstall']) expect(help.stdout).toContain(flag);
	});

	// The fake claude is already signed in: recording that existing login takes --yes (or a y at a terminal).
	it('tui auth login --method claude-code offers it: asks at a terminal, installs on y; the flag form installs; without either, a hint only', async () => {
		const original = '{\n  "theme": "dark"\n}\n';
		const s = await setup({settings: original});
		const hinted = await runCli(
			['--home', s.home, 'auth', 'login', '--provider', 'claude', '--method', 'claude-code', '--yes'],
			{env: s.env},
		);
		expect(hinted.code).toBe(0);
		expect(hinted.stderr).toContain('tui statusline claude --install');
		expect(await readFile(s.settingsFile, 'utf8')).toBe(original);

		const session = spawnTui(
			['--home', s.home, 'auth', 'login', '--provider', 'claude', '--method', 'claude-code', '--yes'],
			{env: {...s.env, NO_COLOR: '1'}},
		);
		try {
			await waitForText(session, 'Add it? [y/N]');
			expect(session.screen()).toContain('adds "statusLine":');
			expect(session.screen()).toContain(`This changes ${s.settingsFile}`);
			session.write('y\r');
			expect((await session.exited).exitCode).toBe(0);
		} finally {
			session.kill();
		}
		const installed = await readFile(s.settingsFile, 'utf8');
		expect(JSON.parse(installed)).toEqual({
			theme: 'dark',
			statusLine: {type: 'command', command: expect.stringContaining('statusline claude')},
		});
		expect(installed.startsWith('{\n  "theme": "dark",\n  "statusLine": {')).toBe(true);
		expect((await s.feed(document({limits: {five: 12, seven: 34}}))).stdout).toBe('Opus │ claude 12% 5h · 34% wk\n');

		// Again: already there, nothing asked, nothing changed.
		const again = await runCli(
			['--home', s.home, 'auth', 'login', '--provider', 'claude', '--method', 'claude-code', '--yes', '--status-line'],
			{env: s.env},
		);
		expect(again.code).toBe(0);
		expect(again.stderr).toContain('already in');
		expect(await readFile(s.settingsFile, 'utf8')).toBe(installed);
		expect((await runCli(['--home', s.home, 'statusline', 'claude', '--uninstall'], {env: s.env})).code).toBe(0);
		expect(await readFile(s.settingsFile, 'utf8')).toBe(original);

		// The flag form, into a settings.json that does not exist yet.
		const fresh = await setup();
		const flagged = await runCli(
			[
				'--home',
				fresh.home,
				'auth',
				'login',
				'--provider',
				'claude',
				'--method',
				'claude-code',
				'--yes',
				'--status-line',
			],
			{env: fresh.env},
		);
		expect(flagged.code).toBe(0);
		expect(flagged.stderr).toContain(`Installed in ${fresh.settingsFile}`);
		expect(JSON.parse(await readFile(fresh.settingsFile, 'utf8')).statusLine.type).toBe('command');
	});
});
