// `tui auth rotate` and `tui reset`, as built (`node dist/cli.cjs`), against the local provider stub, in temp homes.
import fs from 'node:fs/promises';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {tempDir, tempHome} from '../helpers/temp-home.js';
import {waitForText} from '../helpers/wait.js';
import {addAccount} from '../../source/core/accounts.js';
import type {AuthFile} from '../../source/core/schemas.js';
import {authFilePath, updateAuthFile} from '../../source/store/auth-file.js';
import {updatePreferences} from '../../source/store/preferences.js';
import {recordUsage} from '../../source/store/usage-ledger.js';
import {startProviderStub, type ProviderStub} from '../helpers/provider-stub.js';
import {runCli} from '../helpers/run-cli.js';

const OLD_KEY = 'sk-test-rotate-old-key-0001-OLD1';
const NEW_KEY = 'sk-test-rotate-new-key-0002-NEW2';
const BAD_KEY = 'sk-test-rotate-bad-key-0003-BAD3';
const CLAUDE_KEY = 'sk-ant-test-rotate-claude-0004-CLA4';

let stub: ProviderStub;
let home: string;
let outside: string;

beforeAll(async () => {
	stub = await startProviderStub();
});
afterAll(async () => {
	await stub.close();
});
beforeEach(async () => {
	home = await tempHome('tui-rotate-');
	outside = await tempDir('tui-outside-');
	stub.set('openai', {goodKeys: [OLD_KEY, NEW_KEY]});
	stub.set('claude', {goodKeys: [CLAUDE_KEY]});
});
afterEach(async () => {
	await fs.rm(home, {recursive: true, force: true});
	await fs.rm(outside, {recursive: true, force: true});
});

const tui = (args: string[], input?: string) => runCli(['--home', home, ...args], {input, env: {...stub.env}});

let seq = 0;
async function seed(provider: 'openai' | 'claude', account: Parameters<typeof addAccount>[1]): Promise<string> {
	return updateAuthFile(home, provider, (file) => {
		const added = addAccount(file, account, {
			now: Date.parse('2026-11-01T00:00:00Z'),
			newId: () => `acc_seed_${++seq}`,
		});
		return {file: added.file, result: added.account.id};
	});
}

const readRaw = (provider: 'openai' | 'claude') => fs.readFile(authFilePath(home, provider), 'utf8');
const readFile = async (provider: 'openai' | 'claude') => JSON.parse(await readRaw(provider)) as AuthFile;

/** Every file under a folder, with its bytes: to prove "nothing changed". */
async function snapshot(dir: string): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	for (const entry of await fs.readdir(dir, {recursive: true, withFileTypes: true})) {
		const full = path.join(entry.parentPath, entry.name);
		if (entry.isFile()) out[path.relative(dir, full)] = await fs.readFile(full, 'utf8');
		else if (entry.isSymbolicLink()) out[path.relative(dir, full)] = `-> ${await fs.readlink(full)}`;
	}
	return out;
}

describe('tui auth rotate', () => {
	it('refuses a failing key without changing anything, then swaps in a good key in place', async () => {
		const id = await seed('openai', {kind: 'api-key', label: 'work', key: OLD_KEY});
		await seed('openai', {kind: 'api-key', label: 'other', key: 'sk-test-untouched-key-0009-KEEP'});
		const before = await snapshot(home);

		const bad = await tui(['auth', 'rotate', 'openai/work', '--with-api-key'], `${BAD_KEY}\n`);
		expect(bad.code).toBe(1);
		expect(bad.stderr.trim().split('\n')).toHaveLength(1);
		expect(bad.stderr).toMatch(/invalid key.*not rotated/);
		expect(bad.stderr + bad.stdout).not.toContain(BAD_KEY);
		expect(stub.requests.at(-1)).toMatchObject({provider: 'openai', path: '/v1/models', key: BAD_KEY});
		expect(await snapshot(home)).toEqual(before);

		const good = await tui(['auth', 'rotate', 'openai/work', '--with-api-key'], `${NEW_KEY}\n`);
		expect(good).toMatchObject({code: 0, stderr: '', stdout: 'Rotated the key of OpenAI "work": …OLD1 → …NEW2\n'});
		expect(stub.requests.at(-1)).toMatchObject({key: NEW_KEY});
		const file = await readFile('openai');
		const work = file.accounts.find((a) => a.label === 'work');
		expect(work).toMatchObject({
			id,
			label: 'work',
			kind: 'api-key',
			key: NEW_KEY,
			createdAt: '2026-11-01T00:00:00.000Z',
		});
		expect(Date.now() - Date.parse((work as {rotatedAt: string}).rotatedAt)).toBeLessThan(60_000);
		expect(file.accounts.map((a) => a.label)).toEqual(['work', 'other']);
		expect(file.active).toBe(before['auth/openai.json'] && (JSON.parse(before['auth/openai.json']) as AuthFile).active);
		// The old key is kept nowhere under the home: not in the auth file, no temp, no backup.
		for (const [name, content] of Object.entries(await snapshot(home))) expect(content, name).not.toContain(OLD_KEY);
		expect((await fs.stat(authFilePath(home, 'openai'))).mode & 0o777).toBe(0o600);
	});

	it('rejects a non-api-key account, an unknown label and a missing target with exit 2, reading no key', async () => {
		await seed('claude', {kind: 'delegated', label: 'sub', tool: 'claude-code'});
		await seed('openai', {
			kind: 'oauth',
			label: 'chatgpt',
			tokens: {access: 'at-canary-0001', refresh: 'rt-canary-0001', expiresAt: Date.now() + 3_600_000},
		});
		const before = await snapshot(home);
		const requests = stub.requests.length;
		const delegated = await tui(['auth', 'rotate', 'claude/sub', '--with-api-key'], `${CLAUDE_KEY}\n`);
		expect(delegated.code).toBe(2);
		expect(delegated.stderr).toMatch(/^tui: Claude account "sub" is delegated to claude-code, not an API key/);
		const oauth = await tui(['auth', 'rotate', 'openai/chatgpt', '--with-api-key'], `${NEW_KEY}\n`);
		expect(oauth.code).toBe(2);
		expect(oauth.stderr).toMatch(/not an API key/);
		expect((await tui(['auth', 'rotate', 'openai/nope', '--with-api-key'], `${NEW_KEY}\n`)).code).toBe(2);
		expect((await tui(['auth', 'rotate', 'openai', '--with-api-key'], `${NEW_KEY}\n`)).code).toBe(2);
		expect((await tui(['auth', 'rotate', 'openai/chatgpt'])).stderr).toMatch(/--with-api-key/);
		expect(stub.requests.length).toBe(requests);
		expect(await snapshot(home)).toEqual(before);
	});

	it('--help names the flag form', async () => {
		const help = await tui(['auth', 'rotate', '--help']);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('--with-api-key');
	});
});

describe('tui reset', () => {
	async function populate(): Promise<void> {
		await seed('openai', {kind: 'api-key', label: 'work', key: OLD_KEY});
		await seed('claude', {kind: 'api-key', label: 'ck', key: CLAUDE_KEY});
		await updatePreferences(home, (p) => ({...p, activeProvider: 'claude'}));
		await recordUsage(home, {
			provider: 'openai',
			account: 'acc_seed_1',
			model: 'gpt-5',
			inputTokens: 10,
			outputTokens: 5,
		});
		await fs.mkdir(path.join(home, 'auth', 'openai.json.lock'));
		await fs.writeFile(path.join(home, 'auth', 'claude.json.corrupt-2026-11-01T00-00-00-000Z'), 'junk', {mode: 0o600});
		await fs.writeFile(path.join(home, 'config.json.corrupt-2026-11-01T00-00-00-000Z'), 'junk', {mode: 0o600});
		await fs.mkdir(path.join(home, 'config.json.lock'));
		await fs.mkdir(path.join(home, 'sessions'), {mode: 0o700});
		await fs.writeFile(path.join(home, 'sessions', 'openai.json'), '{"version":1,"sessions":[]}');
		// Symlinks pointing out of the home: removing them must leave their targets alone.
		await fs.writeFile(path.join(outside, 'precious.txt'), 'keep me');
		await fs.mkdir(path.join(outside, 'dir'));
		await fs.writeFile(path.join(outside, 'dir', 'inner.txt'), 'keep me too');
		await fs.symlink(path.join(outside, 'precious.txt'), path.join(home, 'usage', 'link-to-outside'));
		await fs.symlink(path.join(outside, 'dir'), path.join(home, 'auth', 'dir-link'));
		await fs.symlink(path.join(outside, 'dir'), path.join(home, 'sessions', 'dir-link'));
		// Not tui's: stays.
		await fs.writeFile(path.join(home, 'notes.txt'), 'mine');
	}

	it('without --confirm prints the summary, exits 2 and removes nothing', async () => {
		await populate();
		const before = await snapshot(home);
		const result = await tui(['reset']);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('tui: nothing was removed; run `tui reset --confirm` to remove all of the above\n');
		for (const name of [
			'config.json',
			'auth/openai.json',
			'auth/claude.json',
			'auth/',
			'usage/',
			'sessions/',
			'config.json.lock',
			'config.json.corrupt-',
		])
			expect(result.stdout).toContain(name);
		expect(result.stdout).toContain('OpenAI auth file: 1 account(s)');
		expect(result.stdout).not.toContain('notes.txt');
		expect(result.stdout).not.toContain(OLD_KEY);
		expect(await snapshot(home)).toEqual(before);
	});

	it('with --confirm removes config, auth files, usage, locks and quarantine copies, and nothing outside the home', async () => {
		await populate();
		const outsideBefore = await snapshot(outside);
		const result = await tui(['reset', '--confirm']);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^tui reset removes from /);
		expect(result.stdout).toMatch(/Removed \d+ item\(s\); kept 1 file\(s\) that are not tui's\n$/);
		expect(await fs.readdir(home)).toEqual(['notes.txt']);
		expect(await snapshot(outside)).toEqual(outsideBefore);
		// A second reset has nothing to do.
		expect(await tui(['reset'])).toMatchObject({code: 0, stdout: `Nothing to reset under ${home}\n`});
	});

	it('removes a symlinked auth folder as a link, never the folder it points to', async () => {
		await fs.mkdir(path.join(outside, 'auth'));
		await fs.writeFile(path.join(outside, 'auth', 'openai.json'), 'not ours to delete');
		await fs.symlink(path.join(outside, 'auth'), path.join(home, 'auth'));
		const result = await tui(['reset', '--confirm']);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('symlink in place of auth/');
		expect(await fs.readdir(home)).toEqual([]);
		expect(await fs.readFile(path.join(outside, 'auth', 'openai.json'), 'utf8')).toBe('not ours to delete');
	});
});

describe('tui reset at a terminal (pty)', () => {
	it('asks y/N: "n" keeps everything, "y" removes it', async () => {
		const {spawnTui} = await import('../helpers/pty.js');
		await seed('openai', {kind: 'api-key', label: 'work', key: OLD_KEY});
		const before = await snapshot(home);
		const env = {HOME: '/nonexistent-home', NO_COLOR: '1'};
		const no = spawnTui(['--home', home, 'reset'], {env});
		await waitForText(no, 'Remove all of this? [y/N]');
		no.write('n\r');
		expect((await no.exited).exitCode).toBe(1);
		expect(no.screen()).toContain('reset cancelled; nothing was removed');
		expect(await snapshot(home)).toEqual(before);

		const yes = spawnTui(['--home', home, 'reset'], {env});
		await waitForText(yes, 'Remove all of this? [y/N]');
		yes.write('y\r');
		expect((await yes.exited).exitCode).toBe(0);
		expect(await fs.readdir(home)).toEqual([]);
	});
});
