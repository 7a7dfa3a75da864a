// readAuthFile reuses a parsed file while its identity is unchanged: every change must still be seen.
import fs from 'node:fs/promises';
import path from 'node:path';
import {beforeEach, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import type {AuthFile} from '../../source/core/schemas.js';
import {authFilePath, readAuthFile, updateAuthFile} from '../../source/store/auth-file.js';

let home: string;
beforeEach(async () => {
	home = await tempHome('tui-authcache-');
	await fs.mkdir(path.join(home, 'auth'), {mode: 0o700});
});

const withKey = (key: string): AuthFile => ({
	version: 1,
	active: 'a1',
	accounts: [{id: 'a1', label: 'work', kind: 'api-key', key, createdAt: '2026-01-01T00:00:00.000Z'}],
});

/** Writes in place (no new inode) and backdates the file, so that the cache may keep it. */
async function writeSettled(data: AuthFile): Promise<void> {
	const file = authFilePath(home, 'openai');
	await fs.writeFile(file, JSON.stringify(data), {mode: 0o600});
	const past = new Date(Date.now() - 10_000);
	await fs.utimes(file, past, past);
}
const keyOf = (file: AuthFile) => (file.accounts[0]?.kind === 'api-key' ? file.accounts[0].key : undefined);

it('sees an in-place rewrite of the same size, an atomic update, and a removal', async () => {
	await writeSettled(withKey('sk-aaaa'));
	expect(keyOf(await readAuthFile(home, 'openai'))).toBe('sk-aaaa');
	expect(keyOf(await readAuthFile(home, 'openai'))).toBe('sk-aaaa');
	// Same size, same inode; only the timestamps differ.
	await writeSettled(withKey('sk-bbbb'));
	expect(keyOf(await readAuthFile(home, 'openai'))).toBe('sk-bbbb');
	await updateAuthFile(home, 'openai', (file) => ({
		file: {...file, accounts: file.accounts.map((a) => ({...a, key: 'sk-cccc'}))} as AuthFile,
		result: undefined,
	}));
	expect(keyOf(await readAuthFile(home, 'openai'))).toBe('sk-cccc');
	await fs.rm(authFilePath(home, 'openai'));
	expect((await readAuthFile(home, 'openai')).accounts).toEqual([]);
});

it('hands out copies: mutating a result does not change the next read', async () => {
	await writeSettled(withKey('sk-aaaa'));
	await readAuthFile(home, 'openai');
	const first = await readAuthFile(home, 'openai');
	first.accounts.length = 0;
	expect(keyOf(await readAuthFile(home, 'openai'))).toBe('sk-aaaa');
});

it('a looser mode is still tightened to 0600 after the file was cached', async () => {
	await writeSettled(withKey('sk-aaaa'));
	await readAuthFile(home, 'openai');
	await fs.chmod(authFilePath(home, 'openai'), 0o644);
	expect(keyOf(await readAuthFile(home, 'openai'))).toBe('sk-aaaa');
	expect((await fs.stat(authFilePath(home, 'openai'))).mode & 0o777).toBe(0o600);
});

it('a symlink swapped in for a cached file is refused', async () => {
	await writeSettled(withKey('sk-aaaa'));
	await readAuthFile(home, 'openai');
	const file = authFilePath(home, 'openai');
	await fs.rename(file, `${file}.real`);
	await fs.symlink(`${file}.real`, file);
	await expect(readAuthFile(home, 'openai')).rejects.toThrow(/symlink/);
});
