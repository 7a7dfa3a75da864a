// Which file locks the current async call chain holds. Tiny on purpose: the read path imports it,
// while lock.ts (proper-lockfile) is loaded only when a lock is taken.
import {AsyncLocalStorage} from 'node:async_hooks';
import path from 'node:path';

export type LockContext = {
	/** Aborted when the lock is lost (we stalled past the stale window and another process took it over). */
	readonly signal: AbortSignal;
	/** Throws LockLostError unless the lock is still ours. Call it right before committing a write. */
	assertStillHeld(): void;
};

const held = new AsyncLocalStorage<ReadonlyMap<string, LockContext>>();

export function lockKey(file: string): string {
	return path.resolve(file);
}

/** The lock context for `file` if the current async chain holds its lock. */
export function heldLock(file: string): LockContext | undefined {
	return held.getStore()?.get(lockKey(file));
}

export function runHoldingLock<T>(file: string, lock: LockContext, fn: () => T): T {
	const next = new Map(held.getStore() ?? []);
	next.set(lockKey(file), lock);
	return held.run(next, fn);
}
