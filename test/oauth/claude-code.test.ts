import {chmod, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {tempDir, tempHome} from '../helpers/temp-home.js';
import {authFileSchema} from '../../source/core/schemas.js';
import {parseShape} from '../../source/core/shape.js';
import {
	claudeCodeStatus,
	delegateToClaudeCode,
	detectClaudeCode,
	parseClaudeAuthStatus,
} from '../../source/oauth/claude-code.js';
import {failure} from './fixtures/failure.js';

/** A stand-in `claude` on PATH: a real executable that logs its argv and answers like Claude Code. */
type FakeOptions = {
	version: string;
	statusJsonOnlyWithFlag?: boolean;
	loginExit?: number;
	loggedIn?: boolean;
	/** `claude auth login --help` lists --claudeai (default true). */
	claudeaiFlag?: boolean;
	/** A warning line printed before the status JSON. */
	statusPrefix?: string;
	plan?: string;
};

export async function fakeClaude(options: FakeOptions) {
	const dir = await tempDir('tui-fake-claude-');
	const log = join(dir, 'calls.log');
	const envLog = join(dir, 'env.log');
	const status = JSON.stringify({
		loggedIn: options.loggedIn ?? true,
		authMethod: 'claude.ai',
		email: 'me@example.com',
		subscriptionType: options.plan ?? 'max',
	});
	const help = `Usage: claude auth login [options]\n\nOptions:\n${options.claudeaiFlag === false ? '' : '  --claudeai  Sign in with a Claude subscription\n'}  --console  Sign in with an Anthropic Console account\n  -h, --help  display help`;
	const script = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({args, stdinIsTTY: Boolean(process.stdin.isTTY), stdio: fs.fstatSync(1).isFIFO() ? 'pipe' : 'other'}) + '\\n');
fs.appendFileSync(${JSON.stringify(envLog)}, JSON.stringify(Object.keys(process.env)) + '\\n');
if (args[0] === '--version') { console.log(${JSON.stringify(`${options.version} (Claude Code)`)}); process.exit(0); }
if (args[0] === 'auth' && args[1] === 'login' && args.includes('--help')) { console.log(${JSON.stringify(help)}); process.exit(0); }
if (args[0] === 'auth' && args[1] === 'login') { console.log('fake login done'); process.exit(${options.loginExit ?? 0}); }
if (args[0] === 'auth' && args[1] === 'status') {
	if (${Boolean(options.statusJsonOnlyWithFlag)} && !args.includes('--json')) { console.log('Logged in as me@example.com'); process.exit(0); }
	${options.statusPrefix === undefined ? '' : `console.log(${JSON.stringify(options.statusPrefix)});`}
	console.log(${JSON.stringify(status)}); process.exit(${options.loggedIn === false ? 1 : 0});
}
process.exit(3);
`;
	const bin = join(dir, 'claude');
	await writeFile(bin, script);
	await chmod(bin, 0o755);
	const calls = async () =>
		(await readFile(log, 'utf8').catch(() => ''))
			.trim()
			.split('\n')
			.filter(Boolean)
			.map((l) => (JSON.parse(l) as {args: string[]}).args.join(' '));
	const envNames = async () =>
		(await readFile(envLog, 'utf8').catch(() => ''))
			.trim()
			.split('\n')
			.filter(Boolean)
			.flatMap((l) => JSON.parse(l) as string[]);
	return {env: {PATH: `${dir}:${process.env.PATH}`}, calls, envNames, bin: join(dir, 'claude')};
}

const home = () => tempHome('tui-claude-code-');

describe('delegation to Claude Code', () => {
	it('runs claude auth login --claudeai, checks the status and records a delegated account', async () => {
		const fake = await fakeClaude({version: '2.1.50'});
		const h = await home();
		const result = await delegateToClaudeCode({env: fake.env, home: h});
		expect(await fake.calls()).toEqual(['--version', 'auth login --help', 'auth login --claudeai', 'auth status']);
		expect(result.account).toMatchObject({
			kind: 'delegated',
			tool: 'claude-code',
			email: 'me@example.com',
			plan: 'max',
		});
		expect(result.warnings).toEqual([]);
		const file = parseShape(authFileSchema, JSON.parse(await readFile(join(h, 'auth', 'claude.json'), 'utf8')));
		expect(file.accounts).toHaveLength(1);
		// Again: the same delegated account is updated, not duplicated.
		await delegateToClaudeCode({env: fake.env, home: h});
		expect(
			parseShape(authFileSchema, JSON.parse(await readFile(join(h, 'auth', 'claude.json'), 'utf8'))).accounts,
		).toHaveLength(1);
	});

	it('falls back to `claude auth status --json` for older versions and warns about ANTHROPIC_API_KEY', async () => {
		const fake = await fakeClaude({version: '2.1.41', statusJsonOnlyWithFlag: true});
		const lines: string[] = [];
		const result = await delegateToClaudeCode({
			env: {...fake.env, ANTHROPIC_API_KEY: 'sk-ant-test-canary-123'},
			home: await home(),
			onMessage: (l) => lines.push(l),
		});
		expect(await fake.calls()).toEqual([
			'--version',
			'auth login --help',
			'auth login --claudeai',
			'auth status',
			'auth status --json',
		]);
		expect(result.warnings[0]).toMatch(/ANTHROPIC_API_KEY is set: it takes precedence over Claude Code's own login/);
		expect(lines.join('\n')).not.toContain('sk-ant-test-canary-123');
	});

	it('asks to update Claude Code before 2.1.41, without running the login', async () => {
		const fake = await fakeClaude({version: '2.1.40'});
		const error = await failure(delegateToClaudeCode({env: fake.env, home: await home()}));
		expect(error.message).toMatch(/update Claude Code/);
		expect(await fake.calls()).toEqual(['--version']);
	});

	it('reports a missing claude, a failed login, and a status that is not logged in', async () => {
		const missing = await failure(delegateToClaudeCode({env: {PATH: await home()}, home: await home()}));
		expect(missing.message).toMatch(/was not found/);
		expect(await detectClaudeCode({env: {PATH: await home()}})).toEqual({installed: false});
		const failing = await fakeClaude({version: '2.2.0', loginExit: 1});
		expect((await failure(delegateToClaudeCode({env: failing.env, home: await home()}))).message).toMatch(
			/did not complete \(exit 1\)/,
		);
		const out = await fakeClaude({version: '2.2.0', loggedIn: false});
		expect((await failure(delegateToClaudeCode({env: out.env, home: await home()}))).message).toMatch(
			/reports no login/,
		);
	});
});

describe('the Claude CLI as it really is', () => {
	it('runs `claude auth login` without --claudeai where its --help does not list it', async () => {
		const fake = await fakeClaude({version: '2.1.50', claudeaiFlag: false});
		await delegateToClaudeCode({env: fake.env, home: await home()});
		expect(await fake.calls()).toEqual(['--version', 'auth login --help', 'auth login', 'auth status']);
	});

	it('reads `claude auth status` from the first "{": a warning line first, plain JSON, --json, exit 1 with loggedIn false', async () => {
		expect(
			parseClaudeAuthStatus(
				'Warning: a newer version is available\n{"loggedIn":true,"email":"me@example.com","subscriptionType":"pro"}\n',
			),
		).toEqual({loggedIn: true, email: 'me@example.com', plan: 'pro'});
		expect(parseClaudeAuthStatus('{"loggedIn":false}')).toEqual({loggedIn: false});
		expect(parseClaudeAuthStatus('Logged in as me@example.com')).toBeUndefined();
		const prefixed = await fakeClaude({version: '2.1.90', statusPrefix: 'Warning: config has an unknown key'});
		expect(await claudeCodeStatus({env: prefixed.env})).toEqual({loggedIn: true, email: 'me@example.com', plan: 'max'});
		expect(await prefixed.calls()).toEqual(['auth status']);
		const older = await fakeClaude({version: '2.1.41', statusJsonOnlyWithFlag: true});
		expect(await claudeCodeStatus({env: older.env})).toMatchObject({loggedIn: true});
		expect(await older.calls()).toEqual(['auth status', 'auth status --json']);
		const out = await fakeClaude({version: '2.1.90', loggedIn: false});
		expect(await claudeCodeStatus({env: out.env})).toEqual({loggedIn: false, email: 'me@example.com', plan: 'max'});
		const ancient = await fakeClaude({version: '2.0.99'});
		expect(await detectClaudeCode({env: ancient.env})).toEqual({
			installed: true,
			version: '2.0.99',
			supportsAuth: false,
		});
	});

	it('already signed in: records the existing login when the user agrees, with no new sign-in; signs in anew when not', async () => {
		const fake = await fakeClaude({version: '2.1.90'});
		const asked: string[] = [];
		const h = await home();
		const result = await delegateToClaudeCode({
			env: fake.env,
			home: h,
			useExistingLogin: async (d) => (asked.push(d), true),
		});
		expect(asked).toEqual(['Claude Code is already signed in (me@example.com, max)']);
		expect(await fake.calls()).toEqual(['--version', 'auth status']);
		expect(result.account).toMatchObject({kind: 'delegated', email: 'me@example.com', plan: 'max'});
		const again = await fakeClaude({version: '2.1.90'});
		await delegateToClaudeCode({env: again.env, home: h, useExistingLogin: async () => false});
		expect(await again.calls()).toEqual([
			'--version',
			'auth status',
			'auth login --help',
			'auth login --claudeai',
			'auth status',
		]);
	});

	it('claude gets only what Claude Code needs: no API key, token or TUI_* variable', async () => {
		const fake = await fakeClaude({version: '2.1.90'});
		const env = {
			...fake.env,
			HOME: '/tmp',
			LANG: 'C.UTF-8',
			OPENAI_API_KEY: 'sk-test-x',
			ANTHROPIC_API_KEY: 'sk-ant-test-x',
			CLAUDE_API_KEY: 'sk-ant-test-y',
			TUI_HOME: '/x',
			TUI_PASSPHRASE: 'p',
			GITHUB_TOKEN: 'g',
			AWS_SECRET_ACCESS_KEY: 'a',
			RANDOM_TOOL_SETTING: '1',
		};
		await delegateToClaudeCode({env, home: await home()});
		const names = new Set(await fake.envNames());
		for (const name of [
			'OPENAI_API_KEY',
			'ANTHROPIC_API_KEY',
			'CLAUDE_API_KEY',
			'TUI_HOME',
			'TUI_PASSPHRASE',
			'GITHUB_TOKEN',
			'AWS_SECRET_ACCESS_KEY',
			'RANDOM_TOOL_SETTING',
		])
			expect(names.has(name), name).toBe(false);
		for (const name of ['PATH', 'HOME', 'LANG']) expect(names.has(name), name).toBe(true);
	});

	it('a plan carrying terminal escapes is stored clean', async () => {
		const fake = await fakeClaude({version: '2.1.90', plan: 'max\u001B]0;pwned\u0007\u001B[2J\u202E'});
		const h = await home();
		const result = await delegateToClaudeCode({env: fake.env, home: h});
		expect(result.account.plan).toBe('max');
		expect(await readFile(join(h, 'auth', 'claude.json'), 'utf8')).not.toMatch(/\\u001b|\\u0007|\u202E/i);
	});
});

describe('tui auth login --method claude-code (built CLI, no terminal)', () => {
	it('already signed in: without --yes exits 2 naming it and starts no sign-in; with --yes records the login', async () => {
		const {runCli} = await import('../helpers/run-cli.js');
		const fake = await fakeClaude({version: '2.1.90'});
		const h = await home();
		const asked = await runCli(['--home', h, 'auth', 'login', '--provider', 'claude', '--method', 'claude-code'], {
			env: fake.env,
		});
		expect(asked.code).toBe(2);
		expect(asked.stderr).toMatch(
			/Claude Code is already signed in \(me@example.com, max\): pass --yes to record that login/,
		);
		expect(await fake.calls()).not.toContain('auth login --claudeai');
		const yes = await runCli(
			['--home', h, 'auth', 'login', '--provider', 'claude', '--method', 'claude-code', '--yes'],
			{env: fake.env},
		);
		expect(yes.code).toBe(0);
		expect(yes.stdout).toMatch(/logged in through Claude Code/);
		expect((await fake.calls()).filter((c) => c.startsWith('auth login'))).toEqual([]);
		expect(JSON.parse(await readFile(join(h, 'auth', 'claude.json'), 'utf8')).accounts[0]).toMatchObject({
			kind: 'delegated',
			email: 'me@example.com',
		});
	});
});
