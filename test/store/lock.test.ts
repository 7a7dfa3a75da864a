import fs from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp-home.js';
import {addAccount} from '../../source/core/accounts.js';
import {authFilePath, updateAuthFile} from '../../source/store/auth-file.js';
import {LockLostError, LockTimeoutError, lockPathOf, withFileLock} from '../../source/store/lock.js';
import {startWorker} from './fixtures/run-worker.js';
import {waitForExit, waitForLine} from '../helpers/wait.js';

let root: string;
const children: Array<ReturnType<typeof startWorker>> = [];
beforeEach(async () => {
	root = await tempDir('tui-lock-');
});
afterEach(async () => {
	for (const child of children.splice(0)) {
		child.kill('SIGKILL');
		await waitForExit(child);
	}
	await fs.rm(root, {recursive: true, force: true});
});

describe('withFileLock', () => {
	it('works before the file exists, makes the lock folder 0700, and removes it afterwards', async () => {
		const file = path.join(root, 'x.json');
		const seen = await withFileLock(file, async () => (await fs.stat(lockPathOf(file))).mode & 0o777);
		expect(seen).toBe(0o700);
		await expect(fs.stat(lockPathOf(file))).rejects.toThrow(/ENOENT/);
	});

	it('excludes other processes, and recovers from a SIGKILLed holder within the stale window', async () => {
		const file = path.join(root, 'x.json');
		const holder = startWorker(['hold-lock', file, '2000']);
		children.push(holder);
		await waitForLine(holder, /^locked$/);

		// Held by a live process: we wait and time out, naming the file.
		const error = await withFileLock(file, () => 'got it', {staleMs: 2000, timeoutMs: 1500}).catch(
			(caught: unknown) => caught,
		);
		expect(error).toBeInstanceOf(LockTimeoutError);
		expect((error as Error).message).toContain(file);

		holder.kill('SIGKILL');
		await waitForExit(holder);
		const killedAt = Date.now();
		await expect(fs.stat(lockPathOf(file))).resolves.toBeTruthy();
		expect(await withFileLock(file, () => 'got it', {staleMs: 2000})).toBe('got it');
		// stale (2 s) + the holder's last refresh interval + its mtime probe rounding (≤ 1 s) + slack.
		expect(Date.now() - killedAt).toBeLessThan(4500);
	});

	it('a takeover while we hold the lock aborts our write: nothing is written and their lock is left alone', async () => {
		await updateAuthFile(home(), 'openai', (file) => ({
			file: addAccount(file, {kind: 'api-key', label: 'before', key: 'k1'}, {now: 0, newId: () => 'a'}).file,
			result: 0,
		}));
		const file = authFilePath(home(), 'openai');
		const before = await fs.readFile(file, 'utf8');
		const attempt = updateAuthFile(
			home(),
			'openai',
			async (current) => {
				// Pretend this process stalled past the stale window; another process takes the lock over.
				const old = new Date(Date.now() - 60_000);
				await fs.utimes(lockPathOf(file), old, old);
				const taker = startWorker(['hold-lock', file, '2000']);
				children.push(taker);
				await waitForLine(taker, /^locked$/);
				return {
					file: addAccount(current, {kind: 'api-key', label: 'after', key: 'k2'}, {now: 0, newId: () => 'b'}).file,
					result: 1,
				};
			},
			{staleMs: 2000},
		);
		const error = await attempt.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(LockLostError);
		expect(await fs.readFile(file, 'utf8')).toBe(before);
		// The taker's lock folder survives our cleanup.
		await expect(fs.stat(lockPathOf(file))).resolves.toBeTruthy();
		expect((await fs.readdir(path.dirname(file))).filter((n) => n.includes('.tmp-'))).toEqual([]);
	});

	it('signals and refuses once our own event loop stalled past the stale window', async () => {
		const file = path.join(root, 'x.json');
		await withFileLock(
			file,
			async (lock) => {
				lock.assertStillHeld();
				// A real stall: block this thread for longer than stale minus the safety margin.
				Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1700);
				expect(() => lock.assertStillHeld()).toThrow(LockLostError);
				expect(lock.signal.aborted).toBe(true);
				expect(lock.signal.reason).toBeInstanceOf(LockLostError);
			},
			{staleMs: 2000},
		);
		// Nobody took it over, so it is still ours and is freed rather than left to go stale.
		await expect(fs.stat(lockPathOf(file))).rejects.toThrow(/ENOENT/);
	});

	it('is re-entrant within one async chain and exclusive between chains', async () => {
		const file = path.join(root, 'x.json');
		const order: string[] = [];
		let letOtherTry = () => {};
		const otherMayTry = new Promise<void>((resolve) => (letOtherTry = resolve));
		// Started out here, so it is another chain even though it tries while the first one holds the lock; with
		// no time to wait it gives up at once instead of waiting.
		const other = (async () => {
			await otherMayTry;
			return withFileLock(file, () => order.push('other'), {timeoutMs: 0});
		})();
		await withFileLock(file, async () => {
			order.push('a-start');
			await withFileLock(file, async () => order.push('a-nested'));
			letOtherTry();
			await expect(other).rejects.toBeInstanceOf(LockTimeoutError);
			order.push('a-end');
		});
		await withFileLock(file, () => order.push('b'), {timeoutMs: 0});
		expect(order).toEqual(['a-start', 'a-nested', 'a-end', 'b']);
	});
});

function home(): string {
	return root;
}
