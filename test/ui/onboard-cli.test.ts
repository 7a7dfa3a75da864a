// `tui onboard` without a terminal, through the built CLI (run `npm run build` first).
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {startModelsStub, tempHome, type Stub} from './helpers.js';

const CLI = path.resolve('dist/cli.cjs');
const stubs: Stub[] = [];
afterEach(async () => {
	for (const stub of stubs.splice(0)) await stub.close();
});

beforeAll(() => {
	if (!existsSync(CLI)) throw new Error('dist/cli.cjs is missing: run `npm run build` first');
});

type Result = {code: number | null; stdout: string; stderr: string};

function tui(
	home: string,
	args: string[],
	input: string | undefined,
	env: Record<string, string> = {},
): Promise<Result> {
	return new Promise((resolve, reject) => {
		// stdin is a pipe, never a TTY; a hang would trip the kill timer and fail the test.
		const child = spawn(process.execPath, [CLI, '--home', home, 'onboard', ...args], {
			env: {
				PATH: process.env.PATH ?? '',
				HOME: home,
				NO_COLOR: '1',
				XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? '',
				...env,
			},
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({code, stdout, stderr});
		});
		if (input !== undefined) child.stdin.write(input);
		child.stdin.end();
	});
}

describe('tui onboard without a terminal', () => {
	it('exits 2 naming the missing flags, and writes nothing', async () => {
		const home = await tempHome();
		const none = await tui(home, [], undefined);
		expect(none.code).toBe(2);
		expect(none.stderr).toMatch(/missing --provider, --tier, --mode/);
		expect(none.stderr.trim().split('\n')).toHaveLength(1);

		const noMode = await tui(home, ['--provider', 'claude', '--tier', 'pro'], undefined);
		expect(noMode.code).toBe(2);
		expect(noMode.stderr).toContain('missing --mode:');

		const noKey = await tui(
			home,
			['--provider', 'claude', '--tier', 'pro', '--mode', 'api'],
			'sk-ant-test-whatever-1234',
		);
		expect(noKey.code).toBe(2);
		expect(noKey.stderr).toContain('--mode api needs --with-api-key');

		const noMethod = await tui(
			home,
			['--provider', 'openai', '--tier', 'plus', '--mode', 'auto', '--with-api-key'],
			'sk-whatever-1234',
		);
		expect(noMethod.code).toBe(2);
		expect(noMethod.stderr).toContain('--method browser|paste');

		const badTier = await tui(
			home,
			['--provider', 'claude', '--tier', 'plus', '--mode', 'api', '--with-api-key'],
			'sk-ant-test-whatever-1234',
		);
		expect(badTier.code).toBe(2);
		expect(badTier.stderr).toContain(
			'valid: claude-free, claude-pro, claude-max-5x, claude-max-20x, claude-team, claude-enterprise, claude-api',
		);

		const noSubscription = await tui(
			home,
			['--provider', 'openai', '--tier', 'api', '--mode', 'subscription', '--method', 'paste'],
			undefined,
		);
		expect(noSubscription.code).toBe(2);
		expect(noSubscription.stderr).toContain('--mode subscription is unavailable for OpenAI API only');

		expect(await readdir(home)).toEqual([]);
	});

	it('validates the key from stdin: a 401 saves nothing (exit 1), a 200 saves the account and the preferences', async () => {
		const stub = await startModelsStub([401, 200]);
		stubs.push(stub);
		const home = await tempHome();
		const args = ['--provider', 'claude', '--tier', 'pro', '--mode', 'api', '--with-api-key'];
		const bad = 'sk-ant-test-bad-key-000000001';
		const rejected = await tui(home, args, `${bad}\n`, {ANTHROPIC_BASE_URL: stub.url});
		expect(rejected.code).toBe(1);
		expect(rejected.stderr).toContain('invalid key');
		expect(rejected.stderr).toContain('nothing was saved');
		expect(await readdir(home)).toEqual([]);

		const good = 'sk-ant-test-good-key-00000002';
		const accepted = await tui(home, args, `${good}\n`, {ANTHROPIC_BASE_URL: stub.url});
		expect(accepted.code).toBe(0);
		expect(accepted.stdout).toContain('Onboarded: Claude Pro, mode api, account "api-key" (api-key)');
		expect(accepted.stdout).toContain('tui auth switch');
		expect(accepted.stdout + accepted.stderr).not.toContain(good);
		expect(stub.requests).toHaveLength(2);

		const config = JSON.parse(await readFile(path.join(home, 'config.json'), 'utf8'));
		expect(config.activeProvider).toBe('claude');
		expect(config.providers.claude).toEqual({tier: 'claude-pro', mode: 'api'});
		expect(Date.parse(config.onboardingCompletedAt)).toBeGreaterThan(0);
		const auth = JSON.parse(await readFile(path.join(home, 'auth', 'claude.json'), 'utf8'));
		expect(auth.accounts).toHaveLength(1);
		expect(auth.accounts[0]).toMatchObject({kind: 'api-key', key: good});
	});

	it('a --label another account holds is refused before the key is sent, in onboard as in auth login', async () => {
		const stub = await startModelsStub([200]);
		stubs.push(stub);
		const home = await tempHome();
		const first = await tui(
			home,
			['--provider', 'claude', '--tier', 'pro', '--mode', 'api', '--with-api-key', '--label', 'work'],
			'sk-ant-test-first-key-000001\n',
			{ANTHROPIC_BASE_URL: stub.url},
		);
		expect(first.code).toBe(0);
		expect(stub.requests).toHaveLength(1);
		const before = await readFile(path.join(home, 'auth', 'claude.json'), 'utf8');

		const clash = await tui(
			home,
			['--provider', 'claude', '--tier', 'pro', '--mode', 'api', '--with-api-key', '--label', 'WORK'],
			'sk-ant-test-other-key-000002\n',
			{ANTHROPIC_BASE_URL: stub.url},
		);
		expect(clash.code).not.toBe(0);
		expect(clash.stderr).toContain('an account labelled "work" already exists; choose another --label');
		const login = await new Promise<Result>((resolve) => {
			const child = spawn(
				process.execPath,
				[CLI, '--home', home, 'auth', 'login', '--provider', 'claude', '--with-api-key', '--label', 'WORK'],
				{
					env: {PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', ANTHROPIC_BASE_URL: stub.url},
					stdio: ['pipe', 'pipe', 'pipe'],
				},
			);
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk) => (stdout += chunk));
			child.stderr.on('data', (chunk) => (stderr += chunk));
			child.stdin.end('sk-ant-test-other-key-000002\n');
			child.on('close', (code) => resolve({code, stdout, stderr}));
		});
		expect(login.code).toBe(2);
		expect(login.stderr).toContain('an account labelled "work" already exists; choose another --label');
		// Neither sent the second key anywhere, and the file is as it was.
		expect(stub.requests).toHaveLength(1);
		expect(await readFile(path.join(home, 'auth', 'claude.json'), 'utf8')).toBe(before);
	});
});
