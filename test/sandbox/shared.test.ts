// The sandbox remembers: state in a folder outlives the process, and every `tui --sandbox --home DIR` process
// on one home shares one background sandbox that stops by itself.
import {readFile, readdir, rm, stat} from 'node:fs/promises';
import {join} from 'node:path';
import * as oauth from 'oauth4webapi';
import {afterEach, describe, expect, it} from 'vitest';
import {tempDir as makeTempDir} from '../helpers/temp-home.js';
import {SANDBOX_CLAUDE_CLIENT_ID} from '../../source/sandbox/constants.js';
import {startSandbox, type Sandbox} from '../../source/sandbox/server.js';
import {runCli} from '../helpers/run-cli.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';

const dirs: string[] = [];
const tempDir = async () => {
	const dir = await makeTempDir('tui-shared-sandbox-');
	dirs.push(dir);
	return dir;
};
afterEach(async () => {
	// `tui reset --confirm` stops a home's sandbox; then the folder goes.
	for (const dir of dirs.splice(0)) {
		await runCli(['--home', join(dir, 'home'), 'reset', '--confirm']).catch(() => undefined);
		await rm(dir, {recursive: true, force: true});
	}
});

const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

/** Pids of the background sandboxes serving this state folder, from /proc. */
async function serversOf(stateDir: string): Promise<number[]> {
	const pids: number[] = [];
	for (const name of await readdir('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
		const args = cmdline.split('\0');
		if (args.includes('__serve-sandbox') && args.includes(stateDir)) pids.push(Number(name));
	}
	return pids;
}

const serverInfo = async (home: string) =>
	JSON.parse(await readFile(join(home, 'sandbox', 'server.json'), 'utf8')) as {pid: number; url: string; port: number};

async function claudeTokens(box: Sandbox) {
	const verifier = oauth.generateRandomCodeVerifier();
	const state = oauth.generateRandomState();
	const redirectUri = box.env.TUI_CLAUDE_OAUTH_PASTE_REDIRECT_URI!;
	const url = new URL(box.env.TUI_CLAUDE_OAUTH_AUTHORIZE_URL!);
	url.search = new URLSearchParams({
		client_id: SANDBOX_CLAUDE_CLIENT_ID,
		response_type: 'code',
		redirect_uri: redirectUri,
		scope: 'user:profile user:inference',
		code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256',
		state,
	}).toString();
	const code = /<pre id="code">([^#<]+)#/.exec((await completeSandboxLoginWithoutBrowser(url.href)).body!)![1]!;
	const response = await postToken(box, {
		grant_type: 'authorization_code',
		code,
		state,
		client_id: SANDBOX_CLAUDE_CLIENT_ID,
		redirect_uri: redirectUri,
		code_verifier: verifier,
	});
	return (await response.json()) as {access_token: string; refresh_token: string};
}

const postToken = (box: Sandbox, body: Record<string, string>) =>
	fetch(box.env.TUI_CLAUDE_OAUTH_TOKEN_URL!, {
		method: 'POST',
		headers: {'content-type': 'application/json'},
		body: JSON.stringify(body),
	});
const claudeUsage = (box: Sandbox, token: string) =>
	fetch(box.env.TUI_CLAUDE_USAGE_URL!, {
		headers: {authorization: `Bearer ${token}`, 'anthropic-beta': 'oauth-2025-04-20'},
	});

describe('sandbox state in a folder', () => {
	it('Claude tokens and the usage windows of one sandbox process stay valid in the next', async () => {
		const stateDir = await tempDir();
		const first = await startSandbox({stateDir});
		let tokens: {access_token: string; refresh_token: string};
		let resetsAt: string;
		try {
			tokens = await claudeTokens(first);
			const usage = await claudeUsage(first, tokens.access_token);
			expect(usage.status).toBe(200);
			resetsAt = ((await usage.json()) as {five_hour: {resets_at: string}}).five_hour.resets_at;
		} finally {
			await first.close();
		}
		expect((await stat(join(stateDir, 'claude.json'))).mode & 0o777).toBe(0o600);

		const second = await startSandbox({stateDir});
		try {
			const usage = await claudeUsage(second, tokens.access_token);
			expect(usage.status).toBe(200);
			// The window counts down from the same anchor instead of starting again.
			expect(((await usage.json()) as {five_hour: {resets_at: string}}).five_hour.resets_at).toBe(resetsAt);
			const refreshed = await postToken(second, {
				grant_type: 'refresh_token',
				refresh_token: tokens.refresh_token,
				client_id: SANDBOX_CLAUDE_CLIENT_ID,
			});
			expect(refreshed.status).toBe(200);
		} finally {
			await second.close();
		}

		// The rotation was kept too: the old refresh token is spent in a third process.
		const third = await startSandbox({stateDir});
		try {
			const reuse = await postToken(third, {
				grant_type: 'refresh_token',
				refresh_token: tokens.refresh_token,
				client_id: SANDBOX_CLAUDE_CLIENT_ID,
			});
			expect(await reuse.json()).toMatchObject({
				error: 'invalid_grant',
				error_description: 'refresh token already used',
			});
		} finally {
			await third.close();
		}
	});

	it('without a folder nothing is kept', async () => {
		const first = await startSandbox({});
		const tokens = await claudeTokens(first).finally(() => first.close());
		const second = await startSandbox({});
		try {
			expect((await claudeUsage(second, tokens.access_token)).status).toBe(401);
		} finally {
			await second.close();
		}
	});
});

describe('one background sandbox per --sandbox home', () => {
	it('two processes at once start one sandbox; a later process reuses it; reset stops it', async () => {
		const dir = await tempDir();
		const home = join(dir, 'home');
		const [a, b] = await Promise.all([
			runCli(['--sandbox', '--home', home, 'auth', 'storage']),
			runCli(['--sandbox', '--home', home, 'auth', 'storage']),
		]);
		expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
		const info = await serverInfo(home);
		expect(alive(info.pid)).toBe(true);
		expect(await serversOf(join(home, 'sandbox'))).toEqual([info.pid]);
		// It answers as the sandbox, on the address it wrote beside its state.
		expect(await (await fetch(`${info.url}/__tui/sandbox`)).json()).toEqual({pid: info.pid});

		const c = await runCli(['--sandbox', '--home', home, 'auth', 'storage']);
		expect(c.code).toBe(0);
		expect((await serverInfo(home)).pid).toBe(info.pid);

		const reset = await runCli(['--home', home, 'reset', '--confirm']);
		expect(reset.code).toBe(0);
		expect(reset.stdout).toContain('sandbox/');
		expect(alive(info.pid)).toBe(false);
		await expect(stat(join(home, 'sandbox'))).rejects.toMatchObject({code: 'ENOENT'});
	});

	it('stops by itself when idle, and the next process starts it again on the same port', async () => {
		const dir = await tempDir();
		const home = join(dir, 'home');
		const env = {TUI_SANDBOX_IDLE_SECONDS: '1'};
		expect((await runCli(['--sandbox', '--home', home, 'auth', 'storage'], {env})).code).toBe(0);
		const first = await serverInfo(home);
		await expect.poll(() => alive(first.pid), {timeout: 15_000, interval: 100}).toBe(false);

		expect((await runCli(['--sandbox', '--home', home, 'auth', 'storage'], {env})).code).toBe(0);
		const second = await serverInfo(home);
		expect(second.pid).not.toBe(first.pid);
		expect(second.port).toBe(first.port);
	});

	it('--fresh starts the home over; without a home the throwaway one is removed on exit', async () => {
		const dir = await tempDir();
		const home = join(dir, 'home');
		const key = 'sk-sandbox-fresh-test-0001';
		const login = await runCli(
			['--sandbox', '--home', home, 'auth', 'login', '--provider', 'claude', '--method', 'api-key', '--with-api-key'],
			{input: `${key}\n`},
		);
		expect(login.code).toBe(0);
		const fresh = await runCli(['--sandbox', '--home', home, '--fresh', 'auth', 'status', '--json']);
		expect(fresh.stderr).toBe('');
		expect(JSON.parse(fresh.stdout).providers.claude.accounts).toEqual([]);

		const tmp = await tempDir();
		const throwaway = await runCli(['--sandbox', 'auth', 'storage'], {env: {TMPDIR: tmp}});
		expect(throwaway.code).toBe(0);
		expect(await readdir(tmp)).toEqual([]);
		expect((await runCli(['--fresh', 'auth', 'storage'])).code).toBe(2);
	});
});
