// Keyring storage in the store layer. File side: always runs. Keyring side: against a real Secret Service
// (a private dbus-run-session + gnome-keyring, see keyring-session.ts); skipped, saying why, where none can start.
import {spawn} from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {addAccount, removeAccount} from '../../source/core/accounts.js';
import type {AuthFile, ProviderId} from '../../source/core/schemas.js';
import {
	authFilePath,
	readAuthFile,
	updateAuthFile,
	withAuthFileLock,
	writeAuthFileLocked,
} from '../../source/store/auth-file.js';
import {resolveCredential} from '../../source/store/resolve-credential.js';
import {
	deleteSecret,
	getSecret,
	homeNamespace,
	keyringRef,
	moveSecretsToFile,
	moveSecretsToKeyring,
	setSecret,
} from '../../source/store/keyring.js';
import {readPreferences, updatePreferences} from '../../source/store/preferences.js';
import {resetHome} from '../../source/store/reset.js';
import {startKeyringSession} from './keyring-session.js';

const session = await startKeyringSession();
if (!session.available) console.log(`keyring-side tests skipped: ${session.reason}`);
// The binding keeps one D-Bus connection per process: this process uses the test session's bus throughout,
// and the "no keyring" cases run in child processes with a bus that does not exist.
const savedBus = process.env.DBUS_SESSION_BUS_ADDRESS;
if (session.available) process.env.DBUS_SESSION_BUS_ADDRESS = session.env.DBUS_SESSION_BUS_ADDRESS;
afterAll(async () => {
	if (savedBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
	else process.env.DBUS_SESSION_BUS_ADDRESS = savedBus;
	await session.close();
});

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/keyring-child.ts', import.meta.url));
const NO_BUS = 'unix:path=/nonexistent/tui-test-bus';

/** One store operation in a fresh process whose keyring is unreachable. */
function inChildWithoutKeyring(op: string, home: string): Promise<Record<string, unknown>> {
	const child = spawn(process.execPath, ['--import', 'tsx', CHILD, op, home], {
		cwd: ROOT,
		env: {PATH: process.env.PATH ?? '', HOME: home, DBUS_SESSION_BUS_ADDRESS: NO_BUS},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	let err = '';
	child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
	child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`keyring child ${op} did not exit in 20 s: ${err}`));
		}, 20_000);
		child.on('close', (code) => {
			clearTimeout(timer);
			if (code !== 0) reject(new Error(`keyring child ${op} exited ${code}: ${err}`));
			else resolve(JSON.parse(out) as Record<string, unknown>);
		});
	});
}

const OPENAI_KEY = 'sk-test-keyring-store-canary-0001-KEY1';
const ACCESS = 'eyJ.keyring-store-access-canary-0002.AAA';
const REFRESH = 'rt_keyring-store-refresh-canary-0003';
const ID_TOKEN = 'eyJ.keyring-store-idtoken-canary-0004.III';
const CLAUDE_KEY = 'sk-ant-test-keyring-store-canary-0005-CLA';
const SECRETS = [OPENAI_KEY, ACCESS, REFRESH, ID_TOKEN, CLAUDE_KEY];

let homes: string[] = [];
async function newHome(): Promise<string> {
	const home = await tempHome('tui-keyring-store-');
	homes.push(home);
	return home;
}
afterEach(async () => {
	for (const home of homes) await fs.rm(home, {recursive: true, force: true});
	homes = [];
});

let seq = 0;
async function seed(
	home: string,
	provider: ProviderId,
	account: Parameters<typeof addAccount>[1],
	id = `acc_${++seq}`,
): Promise<string> {
	return updateAuthFile(home, provider, (file) => {
		const added = addAccount(file, account, {now: Date.parse('2026-11-01T00:00:00Z'), newId: () => id});
		return {file: added.file, result: added.account.id};
	});
}

async function seedAll(home: string): Promise<{openaiKey: string; oauth: string; claude: string}> {
	const openaiKey = await seed(home, 'openai', {kind: 'api-key', label: 'key', key: OPENAI_KEY});
	const oauth = await seed(home, 'openai', {
		kind: 'oauth',
		label: 'chatgpt',
		clientId: 'oaiapp_keyring_test',
		tokens: {access: ACCESS, refresh: REFRESH, idToken: ID_TOKEN, expiresAt: Date.parse('2030-01-01T00:00:00Z')},
		plan: 'plus',
	});
	const claude = await seed(home, 'claude', {kind: 'api-key', label: 'work', key: CLAUDE_KEY});
	return {openaiKey, oauth, claude};
}

const raw = (home: string, provider: ProviderId) => fs.readFile(authFilePath(home, provider), 'utf8');
const rawBoth = async (home: string) => (await raw(home, 'openai')) + (await raw(home, 'claude'));

describe('keyring storage, file side', () => {
	it('file is the default: writes keep secrets in the file, exactly as given', async () => {
		const home = await newHome();
		expect((await readPreferences(home)).storage).toBe('file');
		await seedAll(home);
		const text = await rawBoth(home);
		for (const secret of SECRETS) expect(text).toContain(secret);
		expect(text).not.toContain('keyring:');
	});

	it('references are per provider, account and field; namespaces are per home, and a symlinked home is the same home', async () => {
		expect(keyringRef('openai', 'acc_1', 'refresh')).toBe('keyring:v1:openai/acc_1/refresh');
		expect(keyringRef('claude', 'a/b', 'key')).toBe('keyring:v1:claude/a%2Fb/key');
		const a = await newHome();
		const b = await newHome();
		expect(homeNamespace(a)).not.toBe(homeNamespace(b));
		const link = path.join(b, 'link-to-a');
		await fs.symlink(a, link);
		expect(homeNamespace(link)).toBe(homeNamespace(a));
	});

	it('moving to the keyring where none answers fails in one line, and every file stays byte-identical', async () => {
		const home = await newHome();
		await seedAll(home);
		const before = [await raw(home, 'openai'), await raw(home, 'claude'), await fs.readdir(path.join(home, 'auth'))];
		const result = await inChildWithoutKeyring('move-to-keyring', home);
		expect(result).toMatchObject({ok: false, name: 'TuiError'});
		const message = String(result.message);
		expect(message).toMatch(/^no OS keyring available \(.+\); secrets stay in the auth files$/);
		expect(message).not.toContain('\n');
		for (const secret of SECRETS) expect(message).not.toContain(secret);
		expect([await raw(home, 'openai'), await raw(home, 'claude'), await fs.readdir(path.join(home, 'auth'))]).toEqual(
			before,
		);
		expect((await readPreferences(home)).storage).toBe('file');
	});

	it('a file with references but no reachable keyring: one clear error, resolution says so, the file is untouched', async () => {
		const home = await newHome();
		await seed(home, 'claude', {kind: 'api-key', label: 'work', key: CLAUDE_KEY}, 'acc_ref');
		// What keyring storage leaves on disk, written by hand here since no keyring is needed to read it.
		const file = JSON.parse(await raw(home, 'claude')) as AuthFile;
		(file.accounts[0] as {key: string}).key = keyringRef('claude', 'acc_ref', 'key');
		await fs.writeFile(authFilePath(home, 'claude'), JSON.stringify(file), {mode: 0o600});
		const before = await raw(home, 'claude');
		const result = await inChildWithoutKeyring('read-claude', home);
		expect(result.readError).toMatch(/^cannot read the Claude secrets from the OS keyring \(.+\)$/);
		expect(result.usable).toBe(false);
		expect(result.reason).toContain('cannot read the Claude secrets from the OS keyring');
		expect(JSON.stringify(result)).not.toContain(CLAUDE_KEY);
		expect(await raw(home, 'claude')).toBe(before);
	});
});

describe.skipIf(!session.available)('keyring storage, against a real Secret Service', () => {
	it('round trip: secrets move to the keyring (the files hold none), read back through the files, and move back byte-identical', async () => {
		const home = await newHome();
		const ids = await seedAll(home);
		const original = {
			openai: JSON.parse(await raw(home, 'openai')) as AuthFile,
			claude: JSON.parse(await raw(home, 'claude')) as AuthFile,
		};

		expect(await moveSecretsToKeyring(home)).toEqual({secrets: 5, accounts: 3, missing: 0});
		expect((await readPreferences(home)).storage).toBe('keyring');
		const sealed = await rawBoth(home);
		for (const secret of SECRETS) expect(sealed).not.toContain(secret);
		expect(sealed).toContain(`"key": "${keyringRef('openai', ids.openaiKey, 'key')}"`);
		expect(sealed).toContain(`"refresh": "${keyringRef('openai', ids.oauth, 'refresh')}"`);
		// Everything but the secrets stays in the file.
		expect(sealed).toContain('"plan": "plus"');
		expect(await getSecret(home, keyringRef('openai', ids.oauth, 'idToken'))).toBe(ID_TOKEN);
		expect(await getSecret(home, keyringRef('claude', ids.claude, 'key'))).toBe(CLAUDE_KEY);
		// Readers see the secrets, as before.
		expect(await readAuthFile(home, 'openai')).toEqual(original.openai);
		expect(await readAuthFile(home, 'claude')).toEqual(original.claude);
		expect((await resolveCredential('claude', {home, env: {}})).secret).toBe(CLAUDE_KEY);

		expect(await moveSecretsToFile(home)).toEqual({secrets: 5, accounts: 3, missing: 0});
		expect((await readPreferences(home)).storage).toBe('file');
		expect(JSON.parse(await raw(home, 'openai'))).toEqual(original.openai);
		expect(JSON.parse(await raw(home, 'claude'))).toEqual(original.claude);
		// The keyring entries are gone once the files hold the secrets again.
		expect(await getSecret(home, keyringRef('openai', ids.oauth, 'refresh'))).toBeNull();
		expect(await getSecret(home, keyringRef('claude', ids.claude, 'key'))).toBeNull();
	});

	it('in keyring mode every write seals: a new account, a rotated token, a removed account (its entries deleted)', async () => {
		const home = await newHome();
		await updatePreferences(home, (p) => ({...p, storage: 'keyring'}));
		const id = await seed(home, 'openai', {
			kind: 'oauth',
			label: 'chatgpt',
			clientId: 'oaiapp_keyring_test',
			tokens: {access: ACCESS, refresh: REFRESH, expiresAt: 1},
		});
		expect(await raw(home, 'openai')).not.toContain(ACCESS);
		expect(await getSecret(home, keyringRef('openai', id, 'access'))).toBe(ACCESS);

		// What a refresh does: under the lock, read, replace the tokens, write.
		await withAuthFileLock(home, 'openai', async () => {
			const file = await readAuthFile(home, 'openai');
			const account = file.accounts[0]!;
			if (account.kind !== 'oauth') throw new Error('expected oauth');
			await writeAuthFileLocked(home, 'openai', {
				...file,
				accounts: [{...account, tokens: {access: 'eyJ.rotated-access', refresh: 'rt_rotated', expiresAt: 2}}],
			});
		});
		const text = await raw(home, 'openai');
		expect(text).not.toContain('rotated');
		expect(await getSecret(home, keyringRef('openai', id, 'access'))).toBe('eyJ.rotated-access');
		expect(await getSecret(home, keyringRef('openai', id, 'refresh'))).toBe('rt_rotated');
		expect(((await readAuthFile(home, 'openai')).accounts[0] as {tokens: {refresh: string}}).tokens.refresh).toBe(
			'rt_rotated',
		);

		await updateAuthFile(home, 'openai', (file) => ({file: removeAccount(file, 'chatgpt').file, result: undefined}));
		expect(await getSecret(home, keyringRef('openai', id, 'access'))).toBeNull();
		expect(await getSecret(home, keyringRef('openai', id, 'refresh'))).toBeNull();
	});

	it('two homes with the same account id never share an entry', async () => {
		const a = await newHome();
		const b = await newHome();
		for (const [home, key] of [
			[a, 'sk-test-home-a-0000000000000000'],
			[b, 'sk-test-home-b-0000000000000000'],
		] as const) {
			await updatePreferences(home, (p) => ({...p, storage: 'keyring'}));
			await seed(home, 'openai', {kind: 'api-key', label: 'same', key}, 'acc_same');
		}
		expect(((await readAuthFile(a, 'openai')).accounts[0] as {key: string}).key).toBe(
			'sk-test-home-a-0000000000000000',
		);
		expect(((await readAuthFile(b, 'openai')).accounts[0] as {key: string}).key).toBe(
			'sk-test-home-b-0000000000000000',
		);
		await resetHome(a);
		expect(await getSecret(a, keyringRef('openai', 'acc_same', 'key'))).toBeNull();
		expect(await getSecret(b, keyringRef('openai', 'acc_same', 'key'))).toBe('sk-test-home-b-0000000000000000');
		await resetHome(b);
		expect(await getSecret(b, keyringRef('openai', 'acc_same', 'key'))).toBeNull();
	});

	it('a secret missing from the keyring marks only its account as needing a login; the others keep working', async () => {
		const home = await newHome();
		await updatePreferences(home, (p) => ({...p, storage: 'keyring'}));
		const gone = await seed(home, 'openai', {kind: 'api-key', label: 'gone', key: 'sk-test-gone-000000000000'});
		await seed(home, 'openai', {kind: 'api-key', label: 'kept', key: OPENAI_KEY});
		expect(await deleteSecret(home, keyringRef('openai', gone, 'key'))).toBe(true);
		const file = await readAuthFile(home, 'openai');
		expect(file.accounts.find((x) => x.label === 'gone')).toMatchObject({
			needsLogin: expect.stringContaining('missing from the OS keyring'),
		});
		expect(file.accounts.find((x) => x.label === 'kept')).toMatchObject({key: OPENAI_KEY});
		expect(file.accounts.find((x) => x.label === 'kept')).not.toHaveProperty('needsLogin');
		expect((await resolveCredential('openai', {home, env: {}})).secret).toBe(OPENAI_KEY);
		// Moving back to the files keeps the dangling reference (nothing is invented) and counts it as missing.
		expect((await moveSecretsToFile(home)).missing).toBe(1);
		expect(await raw(home, 'openai')).toContain(OPENAI_KEY);
	});

	it('a crash between "secrets in the keyring" and "file rewritten" loses nothing: the file still has them', async () => {
		const home = await newHome();
		const id = await seed(home, 'claude', {kind: 'api-key', label: 'work', key: CLAUDE_KEY});
		// The first step of the move, and then nothing (as if killed): the entry exists, the file is unchanged.
		await setSecret(home, keyringRef('claude', id, 'key'), CLAUDE_KEY);
		expect(await raw(home, 'claude')).toContain(CLAUDE_KEY);
		expect((await resolveCredential('claude', {home, env: {}})).secret).toBe(CLAUDE_KEY);
		// Running the move again completes it.
		expect((await moveSecretsToKeyring(home)).secrets).toBe(1);
		expect(await raw(home, 'claude')).not.toContain(CLAUDE_KEY);
		await moveSecretsToFile(home);
	});
});
