// `tui auth env` as built, parsed back by a real shell; and spawnWithAgentEnvironment with a real child.
import {execFile, spawnSync} from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {beforeEach, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {addAccount} from '../../source/core/accounts.js';
import {updateAuthFile} from '../../source/store/auth-file.js';
import {agentEnvironment, spawnWithAgentEnvironment} from '../../source/app/agent-env.js';
import {updatePreferences} from '../../source/store/preferences.js';
import {beginSession} from '../../source/store/sessions.js';
import {runCli} from '../helpers/run-cli.js';
import {clockEnv} from '../helpers/clock-env.js';

const CLI = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));
// Printable ASCII that shells care about: quotes, $, backquote, backslash, semicolon.
const NASTY_KEY = `sk-it's-$HOME-\`id\`-"q"-\\n;x`;
const CLAUDE_KEY = 'sk-ant-test-env-canary-0002-ENV2';
const ACCESS = 'at-env-canary-0003';

let home: string;
beforeEach(async () => {
	home = await tempHome('tui-env-');
});

let seq = 0;
async function seed(provider: 'openai' | 'claude', account: Parameters<typeof addAccount>[1]): Promise<string> {
	return updateAuthFile(home, provider, (file) => {
		const added = addAccount(file, account, {now: Date.now(), newId: () => `acc_env_${++seq}`});
		return {file: added.file, result: added.account.id};
	});
}

const BASE_ENV = {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent-home', ...clockEnv()};

/** Runs `sh -c 'eval "$(node dist/cli.cjs …)"; printf …'` and returns what the shell printed. */
function shellEval(
	shell: 'sh' | 'fish',
	args: string,
	print: string,
	env: Record<string, string> = {},
): Promise<{code: number; stdout: string; stderr: string}> {
	const cli = `'${process.execPath}' '${CLI}' --home '${home}' auth env ${args}`;
	const script =
		shell === 'sh' ? `eval "$(${cli})" || exit 9; ${print}` : `eval (${cli} | string collect); or exit 9; ${print}`;
	return new Promise((resolve) => {
		execFile(shell, ['-c', script], {env: {...BASE_ENV, ...env}}, (error, stdout, stderr) =>
			resolve({code: error ? Number((error as {code?: number}).code ?? 1) : 0, stdout, stderr}),
		);
	});
}

const hasFish = spawnSync('fish', ['--version']).status === 0;

describe('tui auth env', () => {
	it('sh: an API key with quotes, $, backquotes and backslashes evaluates back exactly', async () => {
		await seed('openai', {kind: 'api-key', label: 'work', key: NASTY_KEY});
		const result = await shellEval(
			'sh',
			'',
			'printf %s "$OPENAI_API_KEY|$TUI_PROVIDER|$TUI_ACCOUNT|$TUI_AUTH_KIND|${TUI_ACCESS_TOKEN-unset}"',
		);
		expect(result).toMatchObject({code: 0, stderr: ''});
		expect(result.stdout).toBe(`${NASTY_KEY}|openai|work|api-key|unset`);
	});

	it.skipIf(!hasFish)('fish: evaluates back exactly', async () => {
		await seed('openai', {kind: 'api-key', label: 'work', key: NASTY_KEY});
		const result = await shellEval('fish', '--shell fish', 'printf %s "$OPENAI_API_KEY|$TUI_PROVIDER"');
		expect(result.stdout).toBe(`${NASTY_KEY}|openai`);
	});

	it('json: parses back to the environment', async () => {
		await seed('claude', {kind: 'api-key', label: 'ck', key: CLAUDE_KEY});
		const result = await runCli(['--home', home, 'auth', 'env', '--shell', 'json']);
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toEqual({
			ANTHROPIC_API_KEY: CLAUDE_KEY,
			TUI_ACCOUNT: 'ck',
			TUI_AUTH_KIND: 'api-key',
			TUI_PROVIDER: 'claude',
		});
	});

	it('a ChatGPT sign-in gives TUI_CHATGPT_ACCESS_TOKEN and TUI_CHATGPT_BASE_URL, never OPENAI_API_KEY', async () => {
		await seed('openai', {
			kind: 'oauth',
			label: 'chatgpt',
			tokens: {access: ACCESS, refresh: 'rt-x', expiresAt: Date.now() + 3_600_000},
			plan: 'plus',
			email: 'me@example.com',
			clientId: 'oaiapp_test1',
			planEnabled: true,
		});
		const env = JSON.parse(
			(await runCli(['--home', home, 'auth', 'env', '--shell', 'json', '--provider', 'openai'])).stdout,
		) as Record<string, string>;
		expect(env).toEqual({
			TUI_CHATGPT_ACCESS_TOKEN: ACCESS,
			TUI_CHATGPT_BASE_URL: 'https://api.openai.com/v1',
			TUI_AUTH_KIND: 'chatgpt-plan',
			TUI_PROVIDER: 'openai',
			TUI_ACCOUNT: 'chatgpt',
			TUI_ACCESS_TOKEN_EXPIRES_AT: expect.stringMatching(/^\d{4}-/),
		});
		expect(Date.parse(env.TUI_ACCESS_TOKEN_EXPIRES_AT!)).toBeGreaterThan(Date.now());
	});

	it('a login from the retired Codex-client flow gives nothing: exit 1, "needs a new sign-in (Continue with ChatGPT)"', async () => {
		await seed('openai', {
			kind: 'oauth',
			label: 'old',
			tokens: {access: ACCESS, refresh: 'rt-x', expiresAt: Date.now() + 3_600_000},
			accountId: 'org-123',
			plan: 'plus',
		});
		const result = await runCli(['--home', home, 'auth', 'env', '--provider', 'openai']);
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain('needs a new sign-in (Continue with ChatGPT)');
		expect(result.stderr).not.toContain(ACCESS);
	});

	it('a Claude Code delegation carries no secret', async () => {
		await seed('claude', {kind: 'delegated', label: 'sub', tool: 'claude-code'});
		const env = JSON.parse(
			(await runCli(['--home', home, 'auth', 'env', '--shell', 'json', '--provider', 'claude'])).stdout,
		) as Record<string, string>;
		expect(env).toEqual({
			TUI_PROVIDER: 'claude',
			TUI_ACCOUNT: 'sub',
			TUI_AUTH_KIND: 'delegated',
			TUI_DELEGATED_TOOL: 'claude-code',
		});
	});

	it('follows resolution: an environment key wins over the stored account', async () => {
		await seed('openai', {kind: 'api-key', label: 'work', key: NASTY_KEY});
		const result = await shellEval('sh', '--provider openai', 'printf %s "$OPENAI_API_KEY|$TUI_ACCOUNT"', {
			OPENAI_API_KEY: 'sk-from-the-env-0004',
		});
		expect(result.stdout).toBe('sk-from-the-env-0004|env:OPENAI_API_KEY');
	});

	it('follows selection: a full seat on the preferred provider falls back to the next one', async () => {
		await seed('openai', {kind: 'api-key', label: 'work', key: NASTY_KEY});
		const claudeId = await seed('claude', {kind: 'api-key', label: 'ck', key: CLAUDE_KEY});
		await updatePreferences(home, (p) => ({
			...p,
			activeProvider: 'claude',
			fallback: {...p.fallback, enabled: true, order: ['claude', 'openai'], triggers: ['rate-limit']},
			budgets: {[`claude/${claudeId}`]: {alertPercents: [80, 95], maxConcurrentSessions: 1}},
		}));
		const json = async () =>
			JSON.parse((await runCli(['--home', home, 'auth', 'env', '--shell', 'json'])).stdout) as Record<string, string>;
		expect((await json()).TUI_PROVIDER).toBe('claude');
		await beginSession(home, 'claude', claudeId); // this test process: alive
		expect(await json()).toMatchObject({TUI_PROVIDER: 'openai', OPENAI_API_KEY: NASTY_KEY});
	});

	it('no usable account: exit 1 with one line; a bad --shell: exit 2', async () => {
		const none = await runCli(['--home', home, 'auth', 'env']);
		expect(none.code).toBe(1);
		expect(none.stdout).toBe('');
		expect(none.stderr).toMatch(/^tui: no valid auth: .*\n$/);
		const bad = await runCli(['--home', home, 'auth', 'env', '--shell', 'powershell']);
		expect(bad.code).toBe(2);
	});
});

describe('spawnWithAgentEnvironment', () => {
	it('hands the key to the child through its environment only, never argv, and drops other provider keys', async () => {
		await seed('claude', {kind: 'api-key', label: 'ck', key: CLAUDE_KEY});
		const script =
			'process.stdout.write(JSON.stringify({argv: process.argv.slice(1), key: process.env.ANTHROPIC_API_KEY, alias: process.env.CLAUDE_API_KEY ?? null, other: process.env.OPENAI_API_KEY ?? null, provider: process.env.TUI_PROVIDER, keep: process.env.KEEP_ME}))';
		const child = await spawnWithAgentEnvironment(process.execPath, ['-e', script, 'arg1'], {
			home,
			env: {...BASE_ENV, KEEP_ME: 'yes', OPENAI_API_KEY: 'sk-test-other-provider-0009'},
			provider: 'claude',
			spawnOptions: {stdio: ['ignore', 'pipe', 'inherit']},
		});
		let out = '';
		child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
		await new Promise((resolve) => child.on('close', resolve));
		expect(child.spawnargs.join(' ')).not.toContain(CLAUDE_KEY);
		const seen = JSON.parse(out) as Record<string, unknown>;
		expect(seen).toMatchObject({
			key: CLAUDE_KEY,
			alias: null,
			other: null,
			provider: 'claude',
			keep: 'yes',
			argv: ['arg1'],
		});
	});

	it('agentEnvironment with --provider and nothing stored names that provider', async () => {
		await expect(agentEnvironment({home, env: {}, provider: 'openai'})).rejects.toThrow(
			/^OpenAI: no OpenAI credential/,
		);
	});
});
