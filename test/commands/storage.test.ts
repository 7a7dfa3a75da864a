// `tui auth storage file|keyring`, as built (`node dist/cli.cjs`), in temp homes. File side: always runs.
// Keyring side: the whole round trip against a real Secret Service (a private dbus-run-session with
// gnome-keyring, test/store/keyring-session.ts); skipped, saying why, where none can be started.
import fs from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeEach, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {addAccount} from '../../source/core/accounts.js';
import type {AuthFile, OAuthAccount, ProviderId} from '../../source/core/schemas.js';
import {startLogin} from '../../source/oauth/login.js';
import {authFilePath, updateAuthFile} from '../../source/store/auth-file.js';
import {getSecret, keyringRef} from '../../source/store/keyring.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {useSandbox} from '../helpers/sandbox.js';
import {runCli} from '../helpers/run-cli.js';
import {startKeyringSession} from '../store/keyring-session.js';
import {clockEnv} from '../helpers/clock-env.js';

const session = await startKeyringSession();
if (!session.available) console.log(`keyring round-trip test skipped: ${session.reason}`);
// This process reads keyring entries to check them: it talks to the test session's bus.
const savedBus = process.env.DBUS_SESSION_BUS_ADDRESS;
if (session.available) process.env.DBUS_SESSION_BUS_ADDRESS = session.env.DBUS_SESSION_BUS_ADDRESS;
afterAll(async () => {
	if (savedBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
	else process.env.DBUS_SESSION_BUS_ADDRESS = savedBus;
	await session.close();
});

const sandbox = useSandbox();
const NO_BUS = {DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/tui-test-bus'};
const OPENAI_KEY = 'sk-test-storage-cmd-canary-0001-KEY1';
const CLAUDE_KEY = 'sk-ant-test-storage-cmd-canary-0002-CLA';
const CLAUDE_ACCESS = 'sk-ant-test-oat-storage-cmd-access-0003';
const CLAUDE_REFRESH = 'sk-ant-test-ort-storage-cmd-refresh-0004';

let home: string;
beforeEach(async () => {
	home = await tempHome('tui-storage-');
});

const tui = (args: string[], env: Record<string, string> = {}) => runCli(['--home', home, ...args], {env});

let seq = 0;
async function seed(provider: ProviderId, account: Parameters<typeof addAccount>[1]): Promise<string> {
	return updateAuthFile(home, provider, (file) => {
		const added = addAccount(file, account, {now: Date.parse('2026-11-01T00:00:00Z'), newId: () => `acc_cmd_${++seq}`});
		return {file: added.file, result: added.account.id};
	});
}

/** Every file under the home, with its bytes. */
async function snapshot(): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	for (const entry of await fs.readdir(home, {recursive: true, withFileTypes: true})) {
		if (entry.isFile())
			out[path.relative(home, path.join(entry.parentPath, entry.name))] = await fs.readFile(
				path.join(entry.parentPath, entry.name),
				'utf8',
			);
	}
	return out;
}

const raw = (provider: ProviderId) => fs.readFile(authFilePath(home, provider), 'utf8');
const parsed = async (provider: ProviderId) => JSON.parse(await raw(provider)) as AuthFile;

function secretsOf(file: AuthFile): string[] {
	return file.accounts.flatMap((a) =>
		a.kind === 'api-key'
			? [a.key]
			: a.kind === 'oauth'
				? [a.tokens.access, a.tokens.refresh, a.tokens.idToken].filter((s): s is string => Boolean(s))
				: [],
	);
}

/** The binding is loaded through require: NODE_DEBUG=module names it on stderr when it is. */
const loadsBinding = (stderr: string) => stderr.includes('@napi-rs/keyring');

describe('tui auth storage, file side', () => {
	it('file is the default and a no-op: nothing is written, nothing loaded', async () => {
		expect(await tui(['auth', 'storage'])).toMatchObject({
			code: 0,
			stdout: `Secrets are stored in the auth files under ${home}/auth (the default)\n`,
		});
		const file = await tui(['auth', 'storage', 'file'], {NODE_DEBUG: 'module'});
		expect(file.code).toBe(0);
		expect(file.stdout).toBe('Secrets already live in the auth files (the default); nothing changed\n');
		expect(loadsBinding(file.stderr)).toBe(false);
		expect(await fs.readdir(home)).toEqual([]);
		expect(await tui(['auth', 'storage', 'cloud'])).toMatchObject({
			code: 2,
			stderr: 'tui: unknown storage "cloud"; valid: file, keyring\n',
		});
	});

	it('with accounts in file mode, `auth status --json` and `auth token` never load the keyring binding', async () => {
		await seed('openai', {kind: 'api-key', label: 'work', key: OPENAI_KEY});
		await seed('claude', {kind: 'api-key', label: 'work', key: CLAUDE_KEY});
		const status = await tui(['auth', 'status', '--json'], {NODE_DEBUG: 'module'});
		expect(status.code).toBe(0);
		expect(loadsBinding(status.stderr)).toBe(false);
		const token = await tui(['auth', 'token', 'claude'], {NODE_DEBUG: 'module'});
		expect(token.stdout).toBe(`${CLAUDE_KEY}\n`);
		expect(loadsBinding(token.stderr)).toBe(false);
		const again = await tui(['auth', 'storage', 'file'], {NODE_DEBUG: 'module'});
		expect(again.code).toBe(0);
		expect(loadsBinding(again.stderr)).toBe(false);
	});

	it('keyring with no keyring available: exit 1, one line, every file byte-identical', async () => {
		await seed('openai', {kind: 'api-key', label: 'work', key: OPENAI_KEY});
		await seed('claude', {
			kind: 'oauth',
			label: 'max',
			tokens: {access: CLAUDE_ACCESS, refresh: CLAUDE_REFRESH, expiresAt: Date.parse('2030-01-01T00:00:00Z')},
		});
		const before = await snapshot();
		// No session bus at all (a headless machine), then a bus address that leads nowhere.
		for (const env of [{}, NO_BUS]) {
			const result = await tui(['auth', 'storage', 'keyring'], env);
			expect(result.code).toBe(1);
			expect(result.stdout).toBe('');
			expect(result.stderr).toMatch(/^tui: no OS keyring available \([^\n]+\); secrets stay in the auth files\n$/);
			for (const secret of [OPENAI_KEY, CLAUDE_ACCESS, CLAUDE_REFRESH]) expect(result.stderr).not.toContain(secret);
			expect(await snapshot()).toEqual(before);
		}
		expect((await tui(['auth', 'storage'])).stdout).toContain('(the default)');
	});
});

describe.skipIf(!session.available)('tui auth storage, against a real Secret Service', () => {
	const bus = session.available ? session.env : {DBUS_SESSION_BUS_ADDRESS: ''};

	async function loginOpenAI(): Promise<OAuthAccount> {
		const handle = await startLogin('openai', {method: 'paste', env: sandbox().env, home});
		const result = await completeSandboxLoginWithoutBrowser(handle.authUrl!, {land: false});
		await handle.submitPaste!(result.finalUrl);
		return handle.done;
	}

	it('round trip: every kind of account to the keyring and back, with `auth token`, a refresh and a logout in between', async () => {
		const sb = sandbox();
		const env = {...sb.env, ...bus};
		await seed('openai', {kind: 'api-key', label: 'key', key: OPENAI_KEY});
		const chatgpt = await loginOpenAI(); // the active OpenAI account: access, refresh and id token from the sandbox
		expect(chatgpt.tokens.refresh && chatgpt.tokens.idToken).toBeTruthy();
		await seed('claude', {
			kind: 'oauth',
			label: 'max',
			tokens: {access: CLAUDE_ACCESS, refresh: CLAUDE_REFRESH, expiresAt: Date.parse('2030-01-01T00:00:00Z')},
		});
		const claudeKeyId = await seed('claude', {kind: 'api-key', label: 'work', key: CLAUDE_KEY}); // active for Claude
		const original = {openai: await raw('openai'), claude: await raw('claude')};
		const secrets = [
			...secretsOf(JSON.parse(original.openai) as AuthFile),
			...secretsOf(JSON.parse(original.claude) as AuthFile),
		];
		expect(secrets).toHaveLength(7);

		// To the keyring.
		const moved = await tui(['auth', 'storage', 'keyring'], env);
		expect(moved).toMatchObject({
			code: 0,
			stderr: '',
			stdout: 'Moved 7 secrets of 4 accounts to the OS keyring; the auth files keep everything else\n',
		});
		expect((await tui(['auth', 'storage'], env)).stdout).toBe(
			'Secrets are stored in the OS keyring; the auth files keep everything else\n',
		);
		const sealed =
			(await raw('openai')) + (await raw('claude')) + (await fs.readFile(path.join(home, 'config.json'), 'utf8'));
		for (const secret of secrets) expect(sealed.split(secret).length - 1).toBe(0);
		expect((sealed.match(/keyring:v1:/g) ?? []).length).toBe(7);

		// Readers still get the secrets, through the keyring (and only in keyring mode is the binding loaded).
		const claudeToken = await tui(['auth', 'token', 'claude'], {...env, NODE_DEBUG: 'module'});
		expect(claudeToken.stdout).toBe(`${CLAUDE_KEY}\n`);
		expect(loadsBinding(claudeToken.stderr)).toBe(true);
		expect(await tui(['auth', 'token', 'openai'], env)).toMatchObject({code: 0, stdout: `${chatgpt.tokens.access}\n`});
		const status = await tui(['auth', 'status', '--json'], env);
		expect(status.code).toBe(0);
		for (const secret of secrets) expect(status.stdout + status.stderr).not.toContain(secret);

		// A refresh under keyring mode: expire the token (expiry is not a secret: it stays in the file), ask for it.
		const openaiFile = await parsed('openai');
		const sealedTokens = (openaiFile.accounts.find((a) => a.id === chatgpt.id) as OAuthAccount).tokens;
		expect(sealedTokens.refresh).toBe(keyringRef('openai', chatgpt.id, 'refresh'));
		sealedTokens.expiresAt = Date.now() - 1000;
		await fs.writeFile(authFilePath(home, 'openai'), JSON.stringify(openaiFile, null, '\t'), {mode: 0o600});
		const refreshesBefore = sb.stats.refreshRequests;
		const fresh = await tui(['auth', 'token', 'openai'], env);
		expect(fresh.code).toBe(0);
		expect(sb.stats.refreshRequests).toBe(refreshesBefore + 1);
		const newAccess = fresh.stdout.trim();
		expect(newAccess).not.toBe(chatgpt.tokens.access);
		const newRefresh = await getSecret(home, keyringRef('openai', chatgpt.id, 'refresh'));
		expect(await getSecret(home, keyringRef('openai', chatgpt.id, 'access'))).toBe(newAccess);
		expect(newRefresh).toBeTruthy();
		expect(newRefresh).not.toBe(chatgpt.tokens.refresh);
		const afterRefresh = await raw('openai');
		for (const secret of [newAccess, newRefresh!, chatgpt.tokens.access, chatgpt.tokens.refresh!])
			expect(afterRefresh).not.toContain(secret);
		expect((JSON.parse(afterRefresh) as AuthFile).accounts.find((a) => a.id === chatgpt.id)).toMatchObject({
			tokens: {expiresAt: expect.any(Number)},
		});
		expect(
			((JSON.parse(afterRefresh) as AuthFile).accounts.find((a) => a.id === chatgpt.id) as OAuthAccount).tokens
				.expiresAt,
		).toBeGreaterThan(Date.now());

		// Logging out an account deletes its keyring entries; the others stay.
		expect((await tui(['auth', 'logout', 'claude/max'], env)).code).toBe(0);
		const claudeOauthId = (JSON.parse(original.claude) as AuthFile).accounts.find((a) => a.label === 'max')!.id;
		expect(await getSecret(home, keyringRef('claude', claudeOauthId, 'access'))).toBeNull();
		expect(await getSecret(home, keyringRef('claude', claudeOauthId, 'refresh'))).toBeNull();
		expect(await getSecret(home, keyringRef('claude', claudeKeyId, 'key'))).toBe(CLAUDE_KEY);

		// Back to the files: the secrets come back exactly, the entries go.
		const back = await tui(['auth', 'storage', 'file'], env);
		expect(back).toMatchObject({
			code: 0,
			stderr: '',
			stdout: 'Moved 5 secrets of 3 accounts back into the auth files; removed them from the OS keyring\n',
		});
		const openaiBack = await parsed('openai');
		const before = JSON.parse(original.openai) as AuthFile;
		expect(openaiBack.accounts.find((a) => a.label === 'key')).toEqual(before.accounts.find((a) => a.label === 'key'));
		expect((openaiBack.accounts.find((a) => a.id === chatgpt.id) as OAuthAccount).tokens).toMatchObject({
			access: newAccess,
			refresh: newRefresh,
			idToken: expect.any(String),
		});
		const claudeBack = await parsed('claude');
		expect(claudeBack.accounts).toEqual(
			(JSON.parse(original.claude) as AuthFile).accounts.filter((a) => a.label === 'work'),
		);
		expect(await raw('claude')).toContain(`"key": "${CLAUDE_KEY}"`);
		for (const ref of [
			keyringRef('openai', chatgpt.id, 'access'),
			keyringRef('openai', chatgpt.id, 'refresh'),
			keyringRef('claude', claudeKeyId, 'key'),
		])
			expect(await getSecret(home, ref)).toBeNull();
		expect((await raw('openai')) + (await raw('claude'))).not.toContain('keyring:');
		expect((await tui(['auth', 'storage'], env)).stdout).toContain('(the default)');
		expect(await tui(['auth', 'token', 'openai'], env)).toMatchObject({code: 0, stdout: `${newAccess}\n`});
	});

	it('a move killed at any instant loses no secret, either way', async () => {
		const {spawn} = await import('node:child_process');
		const {readAuthFile} = await import('../../source/store/auth-file.js');
		const env = {...bus};
		// Enough accounts that a move spans a good stretch of keyring calls.
		for (let i = 0; i < 6; i++) {
			await seed('openai', {kind: 'api-key', label: `o${i}`, key: `sk-test-kill-test-openai-${i}-0000000000`});
			await seed('claude', {kind: 'api-key', label: `c${i}`, key: `sk-ant-test-kill-test-claude-${i}-000000`});
		}
		const original = {openai: await raw('openai'), claude: await raw('claude')};
		const expected = {
			openai: secretsOf(JSON.parse(original.openai) as AuthFile),
			claude: secretsOf(JSON.parse(original.claude) as AuthFile),
		};
		const states = new Set<string>();
		const cli = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));
		for (let round = 0; round < 16; round++) {
			const where = round % 2 === 0 ? 'keyring' : 'file';
			const child = spawn(process.execPath, [cli, '--home', home, 'auth', 'storage', where], {
				env: {PATH: process.env.PATH ?? '', HOME: '/nonexistent-home', ...clockEnv(), ...env},
				stdio: 'ignore',
			});
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			// Moves here take about 0.5-1.5 s (gnome-keyring writes its file on each change): kills spread over that.
			setTimeout(() => child.kill('SIGKILL'), 150 + round * 90);
			await exited;
			// The killed process is gone: its locks are dead weight (the stale window would free them in 10 s).
			for (const name of await fs.readdir(path.join(home, 'auth')))
				if (name.endsWith('.lock')) await fs.rm(path.join(home, 'auth', name), {recursive: true, force: true});
			await fs.rm(path.join(home, 'config.json.lock'), {recursive: true, force: true});
			const text = (await raw('openai')) + (await raw('claude'));
			states.add(text.includes('keyring:v1:') ? (text.includes('sk-') ? 'mixed' : 'sealed') : 'plain');
			// Every secret is still there, from the file or from the keyring, and no account lost its login.
			for (const provider of ['openai', 'claude'] as const) {
				const file = await readAuthFile(home, provider);
				expect(secretsOf(file)).toEqual(expected[provider]);
				expect(file.accounts.filter((a) => 'needsLogin' in a && a.needsLogin)).toEqual([]);
			}
		}
		console.info(`killed moves left these states: ${[...states].join(', ')}`);
		// Finishing the move back gives the original files, byte for byte.
		expect((await tui(['auth', 'storage', 'file'], env)).code).toBe(0);
		expect({openai: await raw('openai'), claude: await raw('claude')}).toEqual(original);
	});

	it("tui reset removes the home's keyring entries too", async () => {
		const env = {...sandbox().env, ...bus};
		const id = await seed('claude', {kind: 'api-key', label: 'work', key: CLAUDE_KEY});
		expect((await tui(['auth', 'storage', 'keyring'], env)).code).toBe(0);
		expect(await getSecret(home, keyringRef('claude', id, 'key'))).toBe(CLAUDE_KEY);
		const ref = keyringRef('claude', id, 'key');
		expect((await tui(['reset', '--confirm'], env)).code).toBe(0);
		expect(await fs.readdir(home)).toEqual([]);
		expect(await getSecret(home, ref)).toBeNull();
	});
});
