import {spawn} from 'node:child_process';
import {createServer} from 'node:net';
import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {until} from '../helpers/wait.js';
import {failure} from './fixtures/failure.js';
import {TuiError} from '../../source/core/errors.js';
import {authFileSchema, type OAuthAccount} from '../../source/core/schemas.js';
import {parseShape} from '../../source/core/shape.js';
import {startLogin} from '../../source/oauth/login.js';
import {refreshIfNeeded, refreshOAuthAccount} from '../../source/oauth/refresh.js';
import {revokeOAuthAccount} from '../../source/oauth/revoke.js';
import {refreshHookImpl, revokeHookImpl} from '../../source/oauth/hooks.js';
import {updateAuthFile} from '../../source/store/auth-file.js';
import {resolveCredential as resolveFromLibrary} from '../../source/library.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {useSandbox} from '../helpers/sandbox.js';

const sandbox = useSandbox();
const WORKER = fileURLToPath(new URL('./fixtures/refresh-worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function loggedIn(env: Record<string, string>): Promise<{home: string; account: OAuthAccount}> {
	const home = await tempHome('tui-oauth-refresh-');
	const handle = await startLogin('openai', {method: 'paste', env, home});
	const result = await completeSandboxLoginWithoutBrowser(handle.authUrl!, {land: false});
	await handle.submitPaste!(result.finalUrl);
	return {home, account: await handle.done};
}

async function expire(home: string, id: string, tokens?: Partial<OAuthAccount['tokens']>): Promise<void> {
	await updateAuthFile(home, 'openai', (file) => ({
		file: {
			...file,
			accounts: file.accounts.map((a) =>
				a.id === id && a.kind === 'oauth' ? {...a, tokens: {...a.tokens, ...tokens, expiresAt: Date.now() - 1000}} : a,
			),
		},
		result: undefined,
	}));
}

async function readStored(home: string): Promise<OAuthAccount> {
	const file = parseShape(authFileSchema, JSON.parse(await readFile(join(home, 'auth', 'openai.json'), 'utf8')));
	return file.accounts[0] as OAuthAccount;
}

describe('token refresh', () => {
	it("the library's resolveCredential refreshes an expired token by itself (its own hooks, no wiring by the host)", async () => {
		const sb = sandbox();
		const {home, account} = await loggedIn(sb.env);
		await expire(home, account.id);
		const before = sb.stats.refreshRequests;
		const resolved = await resolveFromLibrary('openai', {home, env: sb.env});
		expect(resolved.usable).toBe(true);
		expect(resolved.kind).toBe('chatgpt-plan');
		expect(sb.stats.refreshRequests).toBe(before + 1);
		const stored = await readStored(home);
		expect(stored.tokens.expiresAt).toBeGreaterThan(Date.now());
		expect(resolved.secret).toBe(stored.tokens.access);
		expect(resolved.secret).not.toBe(account.tokens.access);
	});

	// The same through the built library in a fresh process: its core requires the OAuth client (an ES module)
	// from CommonJS, which the sources never do.
	it('dist/credentials.js refreshes an expired token in a host process', async () => {
		const sb = sandbox();
		const {home, account} = await loggedIn(sb.env);
		await expire(home, account.id);
		const before = sb.stats.refreshRequests;
		const library = pathToFileURL(join(ROOT, 'dist', 'credentials.js')).href;
		const script = `const {resolveCredential} = await import(${JSON.stringify(library)});
const resolved = await resolveCredential('openai', {home: process.argv[1]});
process.stdout.write(JSON.stringify({usable: resolved.usable, secret: resolved.secret, reason: resolved.reason}));`;
		const host = spawn(process.execPath, ['--input-type=module', '-e', script, home], {
			env: {...process.env, ...sb.env},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		host.stdout.on('data', (c: Buffer) => (out += c.toString()));
		host.stderr.on('data', (c: Buffer) => (err += c.toString()));
		const code = await new Promise((resolve) => host.once('exit', resolve));
		expect({code, err}).toEqual({code: 0, err: ''});
		const resolved = JSON.parse(out) as {usable: boolean; secret: string};
		expect(resolved.usable).toBe(true);
		expect(sb.stats.refreshRequests).toBe(before + 1);
		const stored = await readStored(home);
		expect(resolved.secret).toBe(stored.tokens.access);
		expect(resolved.secret).not.toBe(account.tokens.access);
	});

	it('does nothing while the token is fresh', async () => {
		const sb = sandbox();
		const {home, account} = await loggedIn(sb.env);
		const before = sb.stats.refreshRequests;
		const again = await refreshIfNeeded('openai', account.id, {home, env: sb.env});
		expect(again.tokens.access).toBe(account.tokens.access);
		expect(sb.stats.refreshRequests).toBe(before);
	});

	it('20 processes resolving one expired token send exactly one refresh and all get the same new token', async () => {
		const sb = sandbox();
		const {home, account} = await loggedIn(sb.env);
		await expire(home, account.id);
		const before = sb.stats.refreshRequests;
		const goFile = join(home, 'go');
		let ready = 0;
		const children = Array.from({length: 20}, () => {
			const child = spawn(process.execPath, ['--import', 'tsx', WORKER, home, account.id, goFile], {
				cwd: ROOT,
				env: {...process.env, ...sb.env},
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let out = '';
			let err = '';
			child.stdout.on('data', (c: Buffer) => {
				if (!out.includes('ready\n') && (out + c.toString()).includes('ready\n')) ready++;
				out += c.toString();
			});
			child.stderr.on('data', (c: Buffer) => (err += c.toString()));
			return new Promise<{code: number | null; out: string; err: string}>((resolve) =>
				child.once('exit', (code) => resolve({code, out: out.replace('ready\n', ''), err})),
			);
		});
		// All of them start together, once every process has loaded and is polling for the file.
		await until(() => ready === 20, 'all 20 processes to be ready', 60_000);
		const go = Date.now();
		await writeFile(goFile, '');
		const results = await Promise.all(children);
		console.info(`20 refreshers finished ${Date.now() - go} ms after the start signal`);
		for (const r of results) expect(r.code, r.err || r.out).toBe(0);
		const tokens = results.map((r) => (JSON.parse(r.out.trim()) as {access: string}).access);
		expect(new Set(tokens).size).toBe(1);
		expect(tokens[0]).not.toBe(account.tokens.access);
		expect(sb.stats.refreshRequests - before).toBe(1);
		expect(sb.stats.refreshReuse).toBe(0);
		const stored = await readStored(home);
		expect(stored.tokens.access).toBe(tokens[0]);
		expect(stored.tokens.refresh).not.toBe(account.tokens.refresh);
		expect(stored.tokens.expiresAt).toBeGreaterThan(Date.now());
		expect(stored.needsLogin).toBeUndefined();
	}, 120_000);

	it('invalid_grant (a reused refresh token) marks the account needsLogin with one message, and never resends', async () => {
		const sb = sandbox();
		const {home, account} = await loggedIn(sb.env);
		await expire(home, account.id);
		const rotated = await refreshIfNeeded('openai', account.id, {home, env: sb.env});
		expect(rotated.tokens.refresh).not.toBe(account.tokens.refresh);
		// Put the spent refresh token back, as a stale copy of the file would.
		await expire(home, account.id, {refresh: account.tokens.refresh});
		const before = sb.stats.refreshRequests;
		const error = await failure(refreshIfNeeded('openai', account.id, {home, env: sb.env}));
		expect(error).toBeInstanceOf(TuiError);
		expect(error.message).toMatch(/sign in again: tui auth login --provider openai$/);
		expect(error.message).toContain('refresh_token_reused');
		expect(error.message).not.toContain(account.tokens.refresh!);
		expect(error.message).not.toContain('\n');
		expect(sb.stats.refreshRequests - before).toBe(1);
		const stored = await readStored(home);
		expect(stored.needsLogin).toBe(error.message);
		// The next caller gets the same message without another request.
		const again = await failure(refreshOAuthAccount(stored, {home, env: sb.env}));
		expect(again.message).toBe(error.message);
		expect(sb.stats.refreshRequests - before).toBe(1);
	});

	it('a connection dropped after sending is transient: the tokens stay, and the retry learns from the server whether it was spent', async () => {
		const sb = sandbox();
		const {home, account} = await loggedIn(sb.env);
		await expire(home, account.id);
		const before = sb.stats.refreshRequests;
		sb.faults.dropConnectionAfterRefresh = true;
		try {
			const error = await failure(refreshIfNeeded('openai', account.id, {home, env: sb.env}));
			expect(error.message).toBe('OpenAI sign-in service unavailable, will retry (no answer)');
		} finally {
			sb.faults.dropConnectionAfterRefresh = false;
		}
		expect((await readStored(home)).needsLogin).toBeUndefined();
		expect((await readStored(home)).tokens.refresh).toBe(account.tokens.refresh);
		// The sandbox had rotated it: the retry is refused as reuse, which ends the login with one message.
		await expect(refreshIfNeeded('openai', account.id, {home, env: sb.env, force: true})).rejects.toThrow(
			/refresh_token_reused\); sign in again/,
		);
		expect(sb.stats.refreshRequests - before).toBe(2);
		expect((await readStored(home)).needsLogin).toBeTruthy();
	});

	it('an unreachable issuer leaves the account as it was (nothing was sent)', async () => {
		const sb = sandbox();
		const {home, account} = await loggedIn(sb.env);
		await expire(home, account.id);
		const closed = createServer();
		await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
		const port = (closed.address() as {port: number}).port;
		await new Promise((r) => closed.close(r));
		const env = {...sb.env, TUI_OPENAI_ISSUER: `http://127.0.0.1:${port}`};
		await expect(refreshIfNeeded('openai', account.id, {home, env})).rejects.toThrow(/offline\?/);
		expect((await readStored(home)).needsLogin).toBeUndefined();
	});

	it('the hooks for resolveCredential and logout: refresh through refreshHookImpl, revoke only oauth accounts', async () => {
		const sb = sandbox();
		const {home, account} = await loggedIn(sb.env);
		await expire(home, account.id);
		const fresh = await refreshHookImpl(
			{...account, tokens: {...account.tokens, expiresAt: 0}},
			{provider: 'openai', home, env: sb.env},
		);
		expect(fresh.tokens.access).not.toBe(account.tokens.access);
		const before = sb.stats.revocations;
		await revokeHookImpl(
			{kind: 'api-key', id: 'k', label: 'k', key: 'sk-x', createdAt: new Date().toISOString()},
			{provider: 'openai', home, env: sb.env, signal: new AbortController().signal},
		);
		expect(sb.stats.revocations).toBe(before);
		await revokeHookImpl(fresh, {provider: 'openai', home, env: sb.env, signal: new AbortController().signal});
		expect(sb.stats.revocations - before).toBe(1);
	});

	it('revokes at the issuer on logout (best effort): the refresh token stops working', async () => {
		const sb = sandbox();
		const {home, account} = await loggedIn(sb.env);
		const before = sb.stats.revocations;
		const result = await revokeOAuthAccount('openai', account, {env: sb.env});
		expect(result.revoked).toBe(true);
		expect(sb.stats.revocations - before).toBe(1);
		await expire(home, account.id);
		const error = await failure(refreshIfNeeded('openai', account.id, {home, env: sb.env}));
		expect(error.message).toMatch(/refresh_token_invalidated.*sign in again/);
	});
});
