// One cross-process lock per file (proper-lockfile: an atomic mkdir of `<file>.lock`, kept fresh by mtime).
// A holder killed with SIGKILL stops refreshing the mtime, so others take the lock over after `staleMs`.
import nodeFs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import {TuiError} from '../core/errors.js';
import {describeFileType} from './secure-fs.js';
import {heldLock, lockKey, runHoldingLock, type LockContext} from './lock-context.js';

export type {LockContext} from './lock-context.js';

export type LockOptions = {
	/** A lock whose mtime is older than this is taken over. Default 10 s (proper-lockfile's minimum is 2 s). */
	readonly staleMs?: number;
	/** How often the holder refreshes the mtime. Default staleMs / 2. */
	readonly updateMs?: number;
	/** Give up waiting for a busy lock after this long. Default 15 s. */
	readonly timeoutMs?: number;
};

export const DEFAULT_STALE_MS = 10_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 15_000;

/** The lock was taken over while we held it; whatever we were about to write was not written. */
export class LockLostError extends TuiError {
	constructor(file: string, reason: string) {
		super(`lost the lock on ${file} (${reason}); nothing was written, try again`);
		this.name = 'LockLostError';
	}
}

export class LockTimeoutError extends TuiError {
	constructor(file: string, waitedMs: number) {
		super(`${file} is locked by another tui process (waited ${Math.round(waitedMs / 1000)} s); try again`);
		this.name = 'LockTimeoutError';
	}
}

/** Something that is not a lock folder sits at the lock path; waiting would never end. */
export class ForeignLockPathError extends TuiError {
	constructor(lockPath: string, what: string) {
		super(
			`${lockPath} is ${what}, not tui's lock folder, so nothing can be saved; remove it (rm '${lockPath}') and try again`,
		);
		this.name = 'ForeignLockPathError';
	}
}

function refuseForeignLockPath(lockPath: string): void {
	let stat: nodeFs.Stats;
	try {
		stat = nodeFs.lstatSync(lockPath);
	} catch {
		return;
	}
	if (stat.isDirectory()) return;
	let what = describeFileType(stat);
	if (stat.isSymbolicLink()) {
		try {
			nodeFs.statSync(lockPath);
		} catch {
			what = 'a dangling symlink';
		}
	}
	throw new ForeignLockPathError(lockPath, what);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` while holding the cross-process lock of `file` (the file need not exist).
 * Before committing a write, `fn` must call `lock.assertStillHeld()` (writeFileAtomic's `beforeRename` is the place):
 * if we stalled past the stale window and another process took the lock over, it throws and nothing is written.
 * Re-entrant within one async call chain: a nested call for the same file runs `fn` directly.
 */
export async function withFileLock<T>(
	file: string,
	fn: (lock: LockContext) => Promise<T> | T,
	options: LockOptions = {},
): Promise<T> {
	const existing = heldLock(file);
	if (existing) return fn(existing);

	const staleMs = Math.max(options.staleMs ?? DEFAULT_STALE_MS, 2000);
	const updateMs = Math.max(Math.min(options.updateMs ?? staleMs / 2, staleMs / 2), 1000);
	const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
	const target = lockKey(file);
	const lockPath = `${target}.lock`;

	// What proper-lockfile last wrote as the lock's mtime, and when; a different mtime on disk means someone else owns it.
	let ourMtime: number | undefined;
	let confirmedAt = 0;
	const fs = {
		...nodeFs,
		// 0700: the lock folder sits beside secrets; never let umask widen it.
		mkdir: (dir: string, callback: (error: NodeJS.ErrnoException | null) => void) =>
			nodeFs.mkdir(dir, {mode: 0o700}, (error) => callback(error)),
		utimes: (p: string, atime: Date, requested: Date, callback: (error: NodeJS.ErrnoException | null) => void) => {
			// proper-lockfile's first probe in a process writes "next whole second + 5 ms", the same value in every
			// process; a random millisecond part keeps a takeover within that second from looking like our own mtime.
			const mtime =
				requested.getTime() % 1000 === 5
					? new Date(requested.getTime() + 1 + Math.floor(Math.random() * 990))
					: requested;
			nodeFs.utimes(p, atime, mtime, (error) => {
				if (!error && p === lockPath) {
					ourMtime = mtime.getTime();
					confirmedAt = Date.now();
				}
				callback(error);
			});
		},
	};

	const controller = new AbortController();
	let lost: LockLostError | undefined;
	const onCompromised = (error: Error) => {
		lost ??= new LockLostError(file, error.message || 'compromised');
		controller.abort(lost);
	};

	refuseForeignLockPath(lockPath);
	const started = Date.now();
	let delay = 10;
	let release: (() => Promise<void>) | undefined;
	for (;;) {
		try {
			release = await lockfile.lock(target, {
				realpath: false,
				stale: staleMs,
				update: updateMs,
				retries: 0,
				fs,
				onCompromised,
			});
			break;
		} catch (error) {
			// Something else at the lock path (a file, FIFO, symlink) fails as ENOTDIR or looks locked forever.
			refuseForeignLockPath(lockPath);
			if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
			const waited = Date.now() - started;
			if (waited >= timeoutMs) throw new LockTimeoutError(file, waited);
			// Randomised backoff so that many waiters do not retry in step.
			await sleep(Math.min(delay * (0.5 + Math.random()), timeoutMs - waited));
			delay = Math.min(delay * 1.5, 200);
		}
	}
	// The probe's utimes has run; read back what the file system stored (precision may be whole seconds).
	// A takeover removes and re-creates the folder: a new inode tells us even when mtimes tie at 1 s precision.
	let ourIno: number | undefined;
	try {
		const stat = nodeFs.statSync(lockPath);
		ourMtime = stat.mtime.getTime();
		ourIno = stat.ino;
	} catch {
		onCompromised(new Error('lock folder vanished'));
	}

	const onDiskMtime = (): number | undefined => {
		try {
			const stat = nodeFs.statSync(lockPath);
			return stat.ino === ourIno ? stat.mtime.getTime() : Number.NaN;
		} catch {
			// Missing: removed by a process that judged it stale.
			return undefined;
		}
	};
	const margin = Math.min(1000, staleMs / 4);
	const lock: LockContext = {
		signal: controller.signal,
		assertStillHeld() {
			if (lost) throw lost;
			// A stalled event loop delays proper-lockfile's own check, so look for ourselves.
			if (Date.now() - confirmedAt > staleMs - margin)
				onCompromised(new Error('not refreshed within the stale window'));
			else if (onDiskMtime() !== ourMtime) onCompromised(new Error('taken over by another process'));
			if (lost) throw lost;
		},
	};

	try {
		return await runHoldingLock(file, lock, () => fn(lock));
	} finally {
		if (!lost) await release().catch(() => {});
		else if (onDiskMtime() === ourMtime) {
			// We judged it lost (a stall) but nobody took it over: still ours, so free it for the others.
			await release().catch(() => {});
		}
		// Otherwise the folder belongs to another process: leave it; proper-lockfile's timer notices and stops.
	}
}

/** The lock folder proper-lockfile uses for `file` (for tests and diagnostics). */
export function lockPathOf(file: string): string {
	return `${path.resolve(file)}.lock`;
}
