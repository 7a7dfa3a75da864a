// The account commands as built (`node dist/cli.cjs`), against the local provider stub, in temp homes.
import fs from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {addAccount} from '../../source/core/accounts.js';
import type {AuthFile} from '../../source/core/schemas.js';
import {authFilePath, updateAuthFile} from '../../source/store/auth-file.js';
import {updatePreferences} from '../../source/store/preferences.js';
import {closedPortUrl, startProviderStub, type ProviderStub} from '../helpers/provider-stub.js';
import {runCli} from '../helpers/run-cli.js';

const OPENAI_KEY = 'sk-test-openai-good-key-0001-AAAA';
const OPENAI_KEY_2 = 'sk-test-openai-good-key-0002-BBBB';
const CLAUDE_KEY = 'sk-ant-test-claude-good-key-0001-CCCC';

let stub: ProviderStub;
let home: string;

beforeAll(async () => {
	stub = await startProviderStub();
});
afterAll(async () => {
	await stub.close();
});
beforeEach(async () => {
	home = await tempHome('tui-cmd-');
	stub.set('openai', {goodKeys: [OPENAI_KEY, OPENAI_KEY_2]});
	stub.set('claude', {goodKeys: [CLAUDE_KEY]});
});

function tui(args: string[], options: {input?: string; env?: Record<string, string>} = {}) {
	return runCli(['--home', home, ...args], {input: options.input, env: {...stub.env, ...options.env}});
}

async function authFile(provider: 'openai' | 'claude'): Promise<AuthFile | undefined> {
	try {
		return JSON.parse(await fs.readFile(authFilePath(home, provider), 'utf8')) as AuthFile;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
}

/** Stores an api-key account in-process, as a login would (the login command itself is tested above). */
let seeded = 0;
async function seed(provider: 'openai' | 'claude', label: string, key: string): Promise<void> {
	await updateAuthFile(home, provider, (file) => {
		const added = addAccount(
			file,
			{kind: 'api-key', label, key},
			{now: Date.now(), newId: () => `acc_seed_${++seeded}`},
		);
		return {file: added.file, result: undefined};
	});
}

const login = (provider: string, key: string, extra: string[] = [], env?: Record<string, string>) =>
	tui(['auth', 'login', '--provider', provider, '--with-api-key', ...extra], {input: `${key}\n`, env});

describe('tui auth login --with-api-key', () => {
	it('validates, stores an api-key account and says so with …last4', async () => {
		const before = stub.requests.length;
		const result = await login('claude', CLAUDE_KEY, ['--label', 'work']);
		expect(result).toMatchObject({code: 0, stdout: 'Logged in to Claude as "work" (key …CCCC)\n', stderr: ''});
		expect(stub.requests.slice(before)).toMatchObject([{provider: 'claude', path: '/v1/models', key: CLAUDE_KEY}]);
		const file = await authFile('claude');
		expect(file?.accounts).toMatchObject([{label: 'work', kind: 'api-key', key: CLAUDE_KEY}]);
		expect(file?.active).toBe(file?.accounts[0]?.id);
		expect((await fs.stat(authFilePath(home, 'claude'))).mode & 0o777).toBe(0o600);
		expect(await authFile('openai')).toBeUndefined();
	});

	it('labels keys "api-key", then "api-key-2", and the newest becomes active', async () => {
		expect((await login('openai', OPENAI_KEY)).stdout).toBe('Logged in to OpenAI as "api-key" (key …AAAA)\n');
		expect((await login('openai', OPENAI_KEY_2, [])).stdout).toBe('Logged in to OpenAI as "api-key-2" (key …BBBB)\n');
		const file = await authFile('openai');
		expect(file?.accounts.map((a) => a.label)).toEqual(['api-key', 'api-key-2']);
		expect(file?.active).toBe(file?.accounts[1]?.id);
	});

	it('--method api-key is the same as --with-api-key; a repeated key is not stored twice', async () => {
		const first = await tui(['auth', 'login', '--provider', 'openai', '--method', 'api-key'], {input: OPENAI_KEY});
		expect(first.code).toBe(0);
		const again = await login('openai', OPENAI_KEY);
		expect(again.code).toBe(0);
		expect(again.stdout).toMatch(/Already logged in to OpenAI as "api-key"/);
		expect((await authFile('openai'))?.accounts).toHaveLength(1);
	});

	it('warns when an environment key will shadow the new login', async () => {
		const result = await login('openai', OPENAI_KEY, [], {OPENAI_API_KEY: OPENAI_KEY_2});
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('note: OPENAI_API_KEY is set in the environment and takes precedence over this login\n');
	});

	it.each([
		['invalid key (401)', {goodKeys: []}, /invalid key/],
		['rate limit (429)', {goodKeys: [OPENAI_KEY], forceStatus: 429}, /rate limited.*try later/],
		['provider error (500)', {goodKeys: [OPENAI_KEY], forceStatus: 500}, /OpenAI is having issues, try later/],
	])('%s: exit 1 with one line, nothing written', async (_name, behaviour, message) => {
		stub.set('openai', behaviour);
		const result = await login('openai', OPENAI_KEY);
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(message);
		expect(result.stderr).toMatch(/nothing was saved\n$/);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(await authFile('openai')).toBeUndefined();
	});

	it('offline: exit 1 naming the host, nothing written', async () => {
		const base = await closedPortUrl();
		const result = await login('claude', CLAUDE_KEY, [], {ANTHROPIC_BASE_URL: base});
		expect(result.code).toBe(1);
		expect(result.stderr).toBe(`tui: Claude: offline? could not reach ${new URL(base).host}; nothing was saved\n`);
		expect(await authFile('claude')).toBeUndefined();
	});

	it.each([
		['no --provider', ['auth', 'login', '--with-api-key'], OPENAI_KEY, /--provider/],
		['no method, stdin not a TTY', ['auth', 'login', '--provider', 'openai'], '', /--with-api-key/],
		['no flags at all, stdin not a TTY', ['auth', 'login'], '', /--provider.*--with-api-key/],
		['empty stdin', ['auth', 'login', '--provider', 'openai', '--with-api-key'], '', /no API key on stdin/],
		[
			'a key with a space',
			['auth', 'login', '--provider', 'openai', '--with-api-key'],
			`${OPENAI_KEY} x\n`,
			/whitespace/,
		],
		[
			'two lines',
			['auth', 'login', '--provider', 'openai', '--with-api-key'],
			`${OPENAI_KEY}\n${OPENAI_KEY_2}\n`,
			/whitespace/,
		],
		[
			'an absurd length',
			['auth', 'login', '--provider', 'openai', '--with-api-key'],
			`${'k'.repeat(3000)}\n`,
			/more than any real key/,
		],
		[
			'a bad label',
			['auth', 'login', '--provider', 'openai', '--with-api-key', '--label', '../x'],
			OPENAI_KEY,
			/invalid --label/,
		],
		['an unknown method', ['auth', 'login', '--provider', 'openai', '--method', 'pigeon'], '', /--method/],
	])('%s: exit 2 before any request, never hangs', async (_name, args, input, message) => {
		const before = stub.requests.length;
		const result = await tui(args, {input});
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(message);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(stub.requests.length).toBe(before);
		expect(await authFile('openai')).toBeUndefined();
	});

	it('a label already taken is refused before any request', async () => {
		await login('openai', OPENAI_KEY, ['--label', 'work']);
		const before = stub.requests.length;
		const result = await login('openai', OPENAI_KEY_2, ['--label', 'WORK']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/"work" already exists/);
		expect(stub.requests.length).toBe(before);
		expect((await authFile('openai'))?.accounts).toHaveLength(1);
	});
});

describe('tui auth status', () => {
	it('with nothing anywhere: both unusable, exit 1', async () => {
		const result = await tui(['auth', 'status', '--json']);
		expect(result.code).toBe(1);
		const report = JSON.parse(result.stdout);
		expect(report.activeProvider).toBeNull();
		expect(report.providers.openai).toMatchObject({usable: false, source: 'none', accounts: [], shadowed: []});
		expect(report.providers.claude.reason).toMatch(/ANTHROPIC_API_KEY.*tui auth login --provider claude/);
	});

	it('JSON: source, active account, all accounts without secrets, shadowing', async () => {
		await seed('openai', 'work', OPENAI_KEY);
		await seed('openai', 'home', OPENAI_KEY_2);
		await seed('claude', 'api-key', CLAUDE_KEY);
		const result = await tui(['auth', 'status', '--json'], {env: {CLAUDE_API_KEY: 'sk-ant-test-from-env-9876'}});
		expect(result.code).toBe(0);
		expect(result.stdout).not.toMatch(/openai-good-key|claude-good-key|from-env/);
		const report = JSON.parse(result.stdout);
		expect(Object.keys(report.providers)).toEqual(['openai', 'claude']);
		expect(report.activeProvider).toBe('openai');
		expect(report.providers.openai).toMatchObject({
			usable: true,
			source: 'file',
			kind: 'api-key',
			activeAccount: {label: 'home', kind: 'api-key', key: '…BBBB', active: true},
			accounts: [
				{label: 'work', key: '…AAAA', active: false},
				{label: 'home', key: '…BBBB', active: true},
			],
			shadowed: [],
		});
		expect(report.providers.claude).toMatchObject({
			usable: true,
			source: 'env',
			envVar: 'CLAUDE_API_KEY',
			key: '…9876',
			activeAccount: {label: 'api-key', key: '…CCCC'},
			shadowed: [
				{source: 'file', detail: expect.stringContaining('CLAUDE_API_KEY shadows the stored login "api-key"')},
			],
		});
	});

	it('text: aligned fields, the active provider marked, no colour when not a TTY', async () => {
		await seed('openai', 'work', OPENAI_KEY);
		const result = await tui(['auth', 'status'], {env: {OPENAI_API_KEY: 'sk-env-key-5555'}});
		expect(result.code).toBe(0);
		expect(result.stdout).not.toContain('\u001B[');
		const lines = result.stdout.split('\n');
		expect(lines).toContain('OpenAI  (active provider)');
		expect(lines).toContain('  usable    yes');
		expect(lines).toContain('  source    environment: OPENAI_API_KEY (key …5555)');
		expect(lines.find((l) => l.startsWith('  shadowed  '))).toMatch(
			/OPENAI_API_KEY shadows the stored login "work" \(api-key …AAAA\)/,
		);
		expect(lines.find((l) => l.startsWith('  accounts  * work  api-key, key …AAAA'))).toBeDefined();
		expect(lines).toContain('Claude');
		expect(lines.find((l) => l.startsWith('  usable    no: no Claude credential'))).toBeDefined();
	});

	it('exit 1 when the preferred provider is unusable, even if the other one is', async () => {
		await seed('openai', 'api-key', OPENAI_KEY);
		await updatePreferences(home, (p) => ({...p, activeProvider: 'claude'}));
		const result = await tui(['auth', 'status', '--json']);
		expect(result.code).toBe(1);
		const report = JSON.parse(result.stdout);
		expect(report.activeProvider).toBe('claude');
		expect(report.providers.openai.usable).toBe(true);
	});

	it('a corrupt auth file: that provider unusable with one line, the other unaffected', async () => {
		await seed('claude', 'api-key', CLAUDE_KEY);
		await fs.writeFile(authFilePath(home, 'openai'), '{"version":1,"accounts":[{"key":"sk-leaky', {mode: 0o600});
		const result = await tui(['auth', 'status', '--json']);
		expect(result.stdout).not.toContain('sk-leaky');
		const report = JSON.parse(result.stdout);
		expect(report.providers.openai).toMatchObject({
			usable: false,
			source: 'file',
			fileError: expect.stringMatching(/corrupt/),
		});
		expect(report.providers.claude).toMatchObject({usable: true, source: 'file'});
		expect(result.code).toBe(0);
	});
});

describe('tui auth token', () => {
	it('prints the resolved secret and a newline on stdout only', async () => {
		await seed('claude', 'api-key', CLAUDE_KEY);
		const result = await tui(['auth', 'token', 'claude']);
		expect(result).toEqual({code: 0, stdout: `${CLAUDE_KEY}\n`, stderr: ''});
	});

	it('follows the cascade: the environment wins over the file', async () => {
		await seed('openai', 'api-key', OPENAI_KEY);
		const result = await tui(['auth', 'token', 'openai'], {env: {OPENAI_API_KEY: 'sk-env-key-7777'}});
		expect(result.stdout).toBe('sk-env-key-7777\n');
	});

	it('without a provider, uses the first usable one', async () => {
		await seed('claude', 'api-key', CLAUDE_KEY);
		expect((await tui(['auth', 'token'])).stdout).toBe(`${CLAUDE_KEY}\n`);
	});

	it('none: exit 1, one line on stderr, nothing on stdout', async () => {
		const result = await tui(['auth', 'token', 'openai']);
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/^tui: OpenAI: no OpenAI credential.*\n$/);
		const any = await tui(['auth', 'token']);
		expect(any.code).toBe(1);
		expect(any.stderr).toMatch(/^tui: no usable credential: .*\n$/);
	});

	it('an unknown provider is a usage error listing the valid ones', async () => {
		const result = await tui(['auth', 'token', 'gemini']);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('tui: unknown provider "gemini"; valid: openai, claude\n');
	});
});

describe('tui auth logout', () => {
	beforeEach(async () => {
		await seed('openai', 'work', OPENAI_KEY);
		await seed('openai', 'home', OPENAI_KEY_2);
		await seed('claude', 'main', CLAUDE_KEY);
	});

	it('PROVIDER removes the active account and the next becomes active', async () => {
		const result = await tui(['auth', 'logout', 'openai']);
		expect(result).toMatchObject({
			code: 0,
			stdout: 'Logged out of OpenAI "home"; "work" is now the active OpenAI account\n',
		});
		const file = await authFile('openai');
		expect(file?.accounts.map((a) => a.label)).toEqual(['work']);
		expect(file?.active).toBe(file?.accounts[0]?.id);
		expect((await tui(['auth', 'token', 'openai'])).stdout).toBe(`${OPENAI_KEY}\n`);
	});

	it('PROVIDER/LABEL removes that one; the last one leaves none', async () => {
		expect((await tui(['auth', 'logout', 'claude/MAIN'])).stdout).toBe(
			'Logged out of Claude "main"; no Claude account left\n',
		);
		expect((await authFile('claude'))?.accounts).toEqual([]);
		expect((await authFile('openai'))?.accounts).toHaveLength(2);
		const again = await tui(['auth', 'logout', 'claude']);
		expect(again.code).toBe(1);
		expect(again.stderr).toMatch(/not logged in to Claude/);
	});

	it('--all removes every account of every provider', async () => {
		const result = await tui(['auth', 'logout', '--all']);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('Logged out of OpenAI "work", "home"; Claude "main"\n');
		expect((await authFile('openai'))?.accounts).toEqual([]);
		expect((await authFile('claude'))?.accounts).toEqual([]);
		expect((await tui(['auth', 'status', '--json'])).code).toBe(1);
	});

	it('says so when an environment key still gives the provider a credential', async () => {
		const result = await tui(['auth', 'logout', 'claude'], {env: {ANTHROPIC_API_KEY: 'sk-ant-test-env-1234'}});
		expect(result.code).toBe(0);
		expect(result.stderr).toMatch(/ANTHROPIC_API_KEY is still set/);
	});

	it.each([
		['no argument', [], /PROVIDER\[\/LABEL\] or --all/],
		['unknown provider', ['gemini'], /unknown provider "gemini"; valid: openai, claude/],
		['unknown label', ['openai/nope'], /no OpenAI account "nope"; valid: "work", "home"/],
		['both a target and --all', ['openai', '--all'], /not both/],
	])('%s: exit 2, nothing removed', async (_name, args, message) => {
		const result = await tui(['auth', 'logout', ...args]);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(message);
		expect((await authFile('openai'))?.accounts).toHaveLength(2);
		expect((await authFile('claude'))?.accounts).toHaveLength(1);
	});
});
