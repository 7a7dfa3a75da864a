import fs from 'node:fs/promises';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp-home.js';
import {TuiError} from '../../source/core/errors.js';
import {ensurePrivateDir, quarantineFile, readPrivateFile, writeFileAtomic} from '../../source/store/secure-fs.js';
import {runWorker} from './fixtures/run-worker.js';

let root: string;
beforeEach(async () => {
	root = await tempDir('tui-securefs-');
});

const modeOf = async (p: string) => (await fs.stat(p)).mode & 0o777;

describe('ensurePrivateDir', () => {
	it('creates nested folders 0700 and tightens an existing looser one', async () => {
		const dir = path.join(root, 'a', 'b');
		await ensurePrivateDir(dir);
		expect(await modeOf(dir)).toBe(0o700);
		await fs.chmod(dir, 0o755);
		await ensurePrivateDir(dir);
		expect(await modeOf(dir)).toBe(0o700);
	});

	it('refuses a symlink in place of the folder unless asked to follow it', async () => {
		const real = path.join(root, 'real');
		await fs.mkdir(real, {mode: 0o755});
		const link = path.join(root, 'link');
		await fs.symlink(real, link);
		await expect(ensurePrivateDir(link)).rejects.toThrow(/symlink/);
		expect(await modeOf(real)).toBe(0o755);
		await ensurePrivateDir(link, {followSymlink: true});
		expect(await modeOf(real)).toBe(0o700);
	});

	it('refuses a regular file in place of the folder', async () => {
		const file = path.join(root, 'f');
		await fs.writeFile(file, 'x');
		await expect(ensurePrivateDir(file)).rejects.toThrow(/not a folder/);
	});
});

describe('writeFileAtomic / readPrivateFile', () => {
	it('round-trips, replaces the content, leaves no temp file, and the file is 0600', async () => {
		const file = path.join(root, 'secret.json');
		await writeFileAtomic(file, 'one');
		await writeFileAtomic(file, new TextEncoder().encode('two'));
		expect(await readPrivateFile(file)).toBe('two');
		expect(await modeOf(file)).toBe(0o600);
		expect(await fs.readdir(root)).toEqual(['secret.json']);
	});

	it('tightens a looser existing file on write and on read', async () => {
		const file = path.join(root, 'loose.json');
		await fs.writeFile(file, 'x', {mode: 0o644});
		await fs.chmod(file, 0o644);
		expect(await readPrivateFile(file)).toBe('x');
		expect(await modeOf(file)).toBe(0o600);
		await fs.chmod(file, 0o666);
		await writeFileAtomic(file, 'y');
		expect(await modeOf(file)).toBe(0o600);
	});

	it('returns undefined for a missing file', async () => {
		expect(await readPrivateFile(path.join(root, 'missing'))).toBeUndefined();
	});

	it('refuses a symlink in place of the file, for reads and writes, and leaves its target alone', async () => {
		const target = path.join(root, 'elsewhere.txt');
		await fs.writeFile(target, 'original', {mode: 0o644});
		const link = path.join(root, 'auth.json');
		await fs.symlink(target, link);
		await expect(readPrivateFile(link)).rejects.toBeInstanceOf(TuiError);
		await expect(writeFileAtomic(link, 'evil')).rejects.toThrow(/symlink/);
		expect(await fs.readFile(target, 'utf8')).toBe('original');
		expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
		expect((await fs.readdir(root)).sort()).toEqual(['auth.json', 'elsewhere.txt']);
	});

	it('abandons the write and removes the temp file when beforeRename throws', async () => {
		const file = path.join(root, 'f.json');
		await writeFileAtomic(file, 'old');
		await expect(
			writeFileAtomic(file, 'new', {
				beforeRename: () => {
					throw new Error('lock lost');
				},
			}),
		).rejects.toThrow('lock lost');
		expect(await readPrivateFile(file)).toBe('old');
		expect(await fs.readdir(root)).toEqual(['f.json']);
	});

	it('quarantineFile moves the file aside with mode 0600', async () => {
		const file = path.join(root, 'bad.json');
		await fs.writeFile(file, '{', {mode: 0o644});
		const moved = await quarantineFile(file, new Date(Date.UTC(2026, 0, 1)));
		expect(moved).toBe(`${file}.corrupt-2026-01-01T00-00-00-000Z`);
		expect(await modeOf(moved)).toBe(0o600);
		await fs.writeFile(file, '{');
		expect(await quarantineFile(file, new Date(Date.UTC(2026, 0, 1)))).toBe(`${moved}-1`);
	});
});

describe('modes regardless of umask (child processes)', () => {
	for (const umask of ['000', '022']) {
		it(`umask ${umask}: folders 0700, files 0600 (secure-fs, auth file, conf config)`, async () => {
			const home = path.join(root, `home-${umask}`);
			const out = await runWorker(['modes', home, umask]);
			expect(JSON.parse(out)).toEqual({
				dir: '700',
				file: '600',
				home: '700',
				authDir: '700',
				authFile: '600',
				config: '600',
			});
		});
	}
});
