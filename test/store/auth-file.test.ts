import fs from 'node:fs/promises';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {addAccount, removeAccount} from '../../source/core/accounts.js';
import {CorruptFileError, UsageError} from '../../source/core/errors.js';
import type {AuthFile} from '../../source/core/schemas.js';
import {
	authFilePath,
	readAuthFile,
	updateAuthFile,
	withAuthFileLock,
	writeAuthFileLocked,
} from '../../source/store/auth-file.js';

let home: string;
beforeEach(async () => {
	home = await tempHome('tui-authfile-');
});

const modeOf = async (p: string) => (await fs.stat(p)).mode & 0o777;
let counter = 0;
const deps = () => ({now: Date.UTC(2026, 0, 1), newId: () => `id-${++counter}`});

async function add(provider: 'openai' | 'claude', label: string, key = `sk-${label}`): Promise<string> {
	return updateAuthFile(home, provider, (file) => {
		const {file: next, account} = addAccount(file, {kind: 'api-key', label, key}, deps());
		return {file: next, result: account.id};
	});
}

describe('auth file round trip', () => {
	it('authFilePath is <home>/auth/<provider>.json', () => {
		expect(authFilePath('/h', 'claude')).toBe(path.join('/h', 'auth', 'claude.json'));
	});

	it('a missing file reads as empty, and nothing is created by reading', async () => {
		expect(await readAuthFile(home, 'openai')).toEqual({version: 1, active: null, accounts: []});
		expect(await fs.readdir(home)).toEqual([]);
	});

	it('writes and reads back accounts, folder 0700 and file 0600, with no lock or temp left behind', async () => {
		const id = await add('openai', 'work');
		const file = await readAuthFile(home, 'openai');
		expect(file.active).toBe(id);
		expect(file.accounts).toMatchObject([{id, label: 'work', kind: 'api-key', key: 'sk-work'}]);
		expect(await modeOf(path.join(home, 'auth'))).toBe(0o700);
		expect(await modeOf(authFilePath(home, 'openai'))).toBe(0o600);
		expect(await fs.readdir(path.join(home, 'auth'))).toEqual(['openai.json']);
		expect(JSON.parse(await fs.readFile(authFilePath(home, 'openai'), 'utf8'))).toEqual(file);
	});

	it('tightens a looser existing folder and file on the next write', async () => {
		await add('openai', 'work');
		await fs.chmod(path.join(home, 'auth'), 0o755);
		await fs.chmod(authFilePath(home, 'openai'), 0o644);
		await add('openai', 'second');
		expect(await modeOf(path.join(home, 'auth'))).toBe(0o700);
		expect(await modeOf(authFilePath(home, 'openai'))).toBe(0o600);
	});

	it('does not rewrite the file when the mutation changes nothing', async () => {
		await add('openai', 'work');
		const before = await fs.stat(authFilePath(home, 'openai'));
		const result = await updateAuthFile(home, 'openai', (file) => ({file: {...file}, result: 'same'}));
		expect(result).toBe('same');
		expect((await fs.stat(authFilePath(home, 'openai'))).ino).toBe(before.ino);
	});

	it('a usage error from the mutation leaves the file as it was', async () => {
		await add('openai', 'work');
		const before = await fs.readFile(authFilePath(home, 'openai'), 'utf8');
		await expect(add('openai', 'WORK')).rejects.toBeInstanceOf(UsageError);
		expect(await fs.readFile(authFilePath(home, 'openai'), 'utf8')).toBe(before);
	});

	it('refuses to write a file that breaks the schema', async () => {
		await add('openai', 'work');
		await expect(
			updateAuthFile(home, 'openai', (file) => ({file: {...file, active: 'ghost'}, result: undefined})),
		).rejects.toThrow(/refusing to write/);
		expect((await readAuthFile(home, 'openai')).accounts).toHaveLength(1);
	});

	it('refuses a symlink in place of the auth file', async () => {
		await fs.mkdir(path.join(home, 'auth'), {mode: 0o700});
		const target = path.join(home, 'target.json');
		await fs.writeFile(target, JSON.stringify({version: 1, active: null, accounts: []}));
		await fs.symlink(target, authFilePath(home, 'openai'));
		await expect(readAuthFile(home, 'openai')).rejects.toThrow(/symlink/);
		await expect(add('openai', 'work')).rejects.toThrow(/symlink/);
		expect(JSON.parse(await fs.readFile(target, 'utf8')).accounts).toEqual([]);
	});
});

describe('corrupt auth files are quarantined', () => {
	const valid: AuthFile = {version: 1, active: null, accounts: []};
	const dupes = {
		version: 1,
		active: 'a',
		accounts: [
			{id: 'a', label: 'Work', kind: 'api-key', key: 'sk-a', createdAt: '2026-01-01T00:00:00.000Z'},
			{id: 'b', label: 'work', kind: 'api-key', key: 'sk-b', createdAt: '2026-01-01T00:00:00.000Z'},
		],
	};
	const cases: Record<string, {readonly text: string; readonly reason: RegExp}> = {
		empty: {text: '', reason: /empty/},
		'truncated JSON': {text: JSON.stringify(dupes).slice(0, 60), reason: /not valid JSON/},
		'NUL-filled': {text: '\0'.repeat(4096), reason: /NUL/},
		'wrong shape': {text: JSON.stringify({version: 1, accounts: {}}), reason: /wrong shape/},
		'no version': {text: JSON.stringify({active: null, accounts: []}), reason: /wrong shape: version/},
		'not an object': {text: JSON.stringify([dupes]), reason: /wrong shape: not an object/},
	};

	for (const [name, {text, reason}] of Object.entries(cases)) {
		it(`${name}: moved aside 0600, error names both paths, other provider still reads`, async () => {
			await add('claude', 'mine');
			const file = authFilePath(home, 'openai');
			await fs.writeFile(file, text, {mode: 0o644});
			const error = await readAuthFile(home, 'openai').catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(CorruptFileError);
			const corrupt = error as CorruptFileError;
			expect(corrupt.file).toBe(file);
			expect(corrupt.quarantinedTo).toMatch(/openai\.json\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z$/);
			expect(corrupt.message).toContain(file);
			expect(corrupt.message).toContain(corrupt.quarantinedTo);
			expect(corrupt.message).toMatch(reason);
			expect(corrupt.message).not.toContain('sk-');
			expect(corrupt.message).not.toContain('\n');
			// Moved, not deleted or replaced: the bytes are kept for the user.
			expect(await fs.readFile(corrupt.quarantinedTo, 'utf8')).toBe(text);
			expect(await modeOf(corrupt.quarantinedTo)).toBe(0o600);
			await expect(fs.stat(file)).rejects.toThrow(/ENOENT/);
			// Other provider unaffected; this one starts empty and can be written again.
			expect((await readAuthFile(home, 'claude')).accounts.map((a) => a.label)).toEqual(['mine']);
			expect(await readAuthFile(home, 'openai')).toEqual(valid);
			await add('openai', 'fresh');
			expect((await readAuthFile(home, 'openai')).accounts).toHaveLength(1);
		});
	}

	it('updateAuthFile on a corrupt file quarantines it and does not write over it', async () => {
		const file = authFilePath(home, 'openai');
		await fs.mkdir(path.dirname(file), {recursive: true});
		await fs.writeFile(file, '{"version":1,');
		const error = await add('openai', 'work').catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(CorruptFileError);
		expect(await fs.readFile((error as CorruptFileError).quarantinedTo, 'utf8')).toBe('{"version":1,');
		await expect(fs.stat(file)).rejects.toThrow(/ENOENT/);
	});
});

describe('withAuthFileLock / writeAuthFileLocked', () => {
	it('lets refresh code re-read, write, and nest updates without deadlock', async () => {
		const id = await add('openai', 'work');
		const result = await withAuthFileLock(home, 'openai', async (lock) => {
			lock.assertStillHeld();
			const file = await readAuthFile(home, 'openai');
			await writeAuthFileLocked(home, 'openai', removeAccount(file, id).file);
			// Nested update of the same provider reuses the held lock.
			return add('openai', 'second');
		});
		const file = await readAuthFile(home, 'openai');
		expect(file.accounts.map((a) => a.label)).toEqual(['second']);
		expect(file.active).toBe(result);
	});

	it('writeAuthFileLocked outside the lock throws and writes nothing', async () => {
		await expect(writeAuthFileLocked(home, 'openai', {version: 1, active: null, accounts: []})).rejects.toThrow(
			/without holding/,
		);
		await expect(fs.stat(authFilePath(home, 'openai'))).rejects.toThrow(/ENOENT/);
	});

	it('holding one provider lock does not block the other provider', async () => {
		await withAuthFileLock(home, 'openai', async () => {
			await add('claude', 'other');
		});
		expect((await readAuthFile(home, 'claude')).accounts).toHaveLength(1);
	});

	it('serialises concurrent updates in one process', async () => {
		await Promise.all(Array.from({length: 10}, (_, n) => add('openai', `acct-${n}`)));
		expect((await readAuthFile(home, 'openai')).accounts).toHaveLength(10);
	});
});
