import {chmod, mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {authFileSchema} from '../../source/core/schemas.js';
import {delegateToClaudeCode, detectClaudeCode} from '../../source/oauth/claude-code.js';
import {failure} from './fixtures/failure.js';

/** A stand-in `claude` on PATH: a real executable that logs its argv and answers like Claude Code. */
async function fakeClaude(options: {version: string; statusJsonOnlyWithFlag?: boolean; loginExit?: number; loggedIn?: boolean}) {
	const dir = await mkdtemp(join(tmpdir(), 'tui-fake-claude-'));
	const log = join(dir, 'calls.log');
	const status = JSON.stringify({loggedIn: options.loggedIn ?? true, authMethod: 'claude.ai', email: 'me@example.com', subscriptionType: 'max'});
	const script = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({args, stdinIsTTY: Boolean(process.stdin.isTTY), stdio: fs.fstatSync(1).isFIFO() ? 'pipe' : 'other'}) + '\\n');
if (args[0] === '--version') { console.log(${JSON.stringify(`${options.version} (Claude Code)`)}); process.exit(0); }
if (args[0] === 'auth' && args[1] === 'login') { console.log('fake login done'); process.exit(${options.loginExit ?? 0}); }
if (args[0] === 'auth' && args[1] === 'status') {
	if (${Boolean(options.statusJsonOnlyWithFlag)} && !args.includes('--json')) { console.log('Logged in as me@example.com'); process.exit(0); }
	console.log(${JSON.stringify(status)}); process.exit(0);
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
	return {env: {PATH: `${dir}:${process.env.PATH}`}, calls};
}

const home = () => mkdtemp(join(tmpdir(), 'tui-claude-code-'));

describe('delegation to Claude Code', () => {
	it('runs claude auth login --claudeai, checks the status and records a delegated account', async () => {
		const fake = await fakeClaude({version: '2.1.50'});
		const h = await home();
		const result = await delegateToClaudeCode({env: fake.env, home: h});
		expect(await fake.calls()).toEqual(['--version', 'auth login --claudeai', 'auth status']);
		expect(result.account).toMatchObject({kind: 'delegated', tool: 'claude-code', email: 'me@example.com', plan: 'max'});
		expect(result.warnings).toEqual([]);
		const file = authFileSchema.parse(JSON.parse(await readFile(join(h, 'auth', 'claude.json'), 'utf8')));
		expect(file.accounts).toHaveLength(1);
		// Again: the same delegated account is updated, not duplicated.
		await delegateToClaudeCode({env: fake.env, home: h});
		expect(authFileSchema.parse(JSON.parse(await readFile(join(h, 'auth', 'claude.json'), 'utf8'))).accounts).toHaveLength(1);
	});

	it('falls back to `claude auth status --json` for older versions and warns about ANTHROPIC_API_KEY', async () => {
		const fake = await fakeClaude({version: '2.1.41', statusJsonOnlyWithFlag: true});
		const lines: string[] = [];
		const result = await delegateToClaudeCode({env: {...fake.env, ANTHROPIC_API_KEY: 'sk-ant-test-canary-123'}, home: await home(), onMessage: (l) => lines.push(l)});
		expect(await fake.calls()).toEqual(['--version', 'auth login --claudeai', 'auth status', 'auth status --json']);
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
		expect((await failure(delegateToClaudeCode({env: failing.env, home: await home()}))).message).toMatch(/did not complete \(exit 1\)/);
		const out = await fakeClaude({version: '2.2.0', loggedIn: false});
		expect((await failure(delegateToClaudeCode({env: out.env, home: await home()}))).message).toMatch(/reports no login/);
	});
});
