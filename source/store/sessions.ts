// Seat sessions: which processes run on which account right now, so a seat's maxConcurrentSessions
// (preferences.budgets["provider/accountId"]) can block selection. One file per provider under
// <home>/sessions/ (0700 folder, 0600 files), every change under that file's cross-process lock.
// Entries of dead processes (kill(pid, 0) → ESRCH) are dropped whenever the file is read under the lock.
import path from 'node:path';
import {array, int, literal, maxLength, minLength, nonnegative, number, object, positive, string} from '../core/zod.js';
import type * as z from 'zod/mini';
import type {Preferences, ProviderId} from '../core/schemas.js';
import {
	describeUnparseable,
	ensurePrivateDir,
	readPrivateFile,
	removeStaleTemps,
	writeFileAtomic,
} from './secure-fs.js';
import {lazySchema} from '../core/lazy-schema.js';

export const SESSIONS_DIR = 'sessions';

const entrySchema = lazySchema(() =>
	object({
		accountId: string().check(minLength(1), maxLength(64)),
		pid: number().check(int(), positive()),
		/** Epoch ms. */
		startedAt: number().check(int(), nonnegative()),
	}),
);
const fileSchema = lazySchema(() => object({version: literal(1), sessions: array(entrySchema)}));

export type SessionEntry = z.infer<typeof entrySchema>;
type SessionsFile = z.infer<typeof fileSchema>;

export type SessionOptions = {
	/** Default: this process. */
	readonly pid?: number;
	/** Epoch ms; default Date.now(). */
	readonly now?: number;
};

export function sessionsDir(home: string): string {
	return path.join(home, SESSIONS_DIR);
}

export function sessionsPath(home: string, provider: ProviderId): string {
	return path.join(sessionsDir(home), `${provider}.json`);
}

/** kill(pid, 0): ESRCH means gone; EPERM means alive but someone else's. */
export function isProcessAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code !== 'ESRCH';
	}
}

// A damaged sessions file only loses counts of running sessions; it is rebuilt rather than kept.
async function load(file: string): Promise<SessionsFile> {
	const text = await readPrivateFile(file);
	if (text === undefined || describeUnparseable(text)) return {version: 1, sessions: []};
	const parsed = fileSchema.safeParse(JSON.parse(text));
	return parsed.success ? parsed.data : {version: 1, sessions: []};
}

/** Read-modify-write under the lock; dead entries are always dropped; writes only when something changed. */
async function update<T>(
	home: string,
	provider: ProviderId,
	mutate: (sessions: SessionEntry[]) => {sessions: SessionEntry[]; result: T},
): Promise<T> {
	const dir = sessionsDir(home);
	await ensurePrivateDir(home, {followSymlink: true});
	await ensurePrivateDir(dir);
	const file = sessionsPath(home, provider);
	// Loaded on first write only: proper-lockfile pulls in graceful-fs and signal-exit, which reads must not.
	const {withFileLock} = await import('./lock.js');
	return withFileLock(file, async (lock) => {
		const before = await load(file);
		const live = before.sessions.filter((s) => isProcessAlive(s.pid));
		const {sessions, result} = mutate(live);
		const after: SessionsFile = {version: 1, sessions};
		if (JSON.stringify(after) !== JSON.stringify(before) || (await readPrivateFile(file)) === undefined) {
			await removeStaleTemps(file);
			await writeFileAtomic(file, `${JSON.stringify(after, null, '\t')}\n`, {
				beforeRename: () => lock.assertStillHeld(),
			});
		}
		return result;
	});
}

/** Records that `pid` (default: this process) runs a session on the account. Idempotent per pid and account. */
export async function beginSession(
	home: string,
	provider: ProviderId,
	accountId: string,
	options: SessionOptions = {},
): Promise<SessionEntry> {
	const entry: SessionEntry = {accountId, pid: options.pid ?? process.pid, startedAt: options.now ?? Date.now()};
	entrySchema.parse(entry);
	return update(home, provider, (sessions) => {
		const existing = sessions.find((s) => s.accountId === accountId && s.pid === entry.pid);
		return existing ? {sessions, result: existing} : {sessions: [...sessions, entry], result: entry};
	});
}

/** Removes the session of `pid` (default: this process) on the account; true when there was one. */
export async function endSession(
	home: string,
	provider: ProviderId,
	accountId: string,
	options: SessionOptions = {},
): Promise<boolean> {
	const pid = options.pid ?? process.pid;
	return update(home, provider, (sessions) => {
		const rest = sessions.filter((s) => !(s.accountId === accountId && s.pid === pid));
		return {sessions: rest, result: rest.length !== sessions.length};
	});
}

/** The live sessions (of one account, or all of the provider), dead ones cleaned from the file first. */
export async function listSessions(home: string, provider: ProviderId, accountId?: string): Promise<SessionEntry[]> {
	return update(home, provider, (sessions) => ({
		sessions,
		result: sessions.filter((s) => accountId === undefined || s.accountId === accountId),
	}));
}

export async function countSessions(home: string, provider: ProviderId, accountId: string): Promise<number> {
	return (await listSessions(home, provider, accountId)).length;
}

export function budgetKey(provider: ProviderId, accountId: string): string {
	return `${provider}/${accountId}`;
}

/**
 * The `sessions` input of selectProvider's ProviderState: the running count and the seat's
 * maxConcurrentSessions from preferences.budgets["provider/accountId"] (absent: no limit).
 */
export function seatSessions(
	running: number,
	preferences: Pick<Preferences, 'budgets'>,
	provider: ProviderId,
	accountId: string,
): {running: number; max?: number} {
	const max = preferences.budgets[budgetKey(provider, accountId)]?.maxConcurrentSessions;
	return max === undefined ? {running} : {running, max};
}

/** countSessions + seatSessions in one call. */
export async function sessionState(
	home: string,
	preferences: Pick<Preferences, 'budgets'>,
	provider: ProviderId,
	accountId: string,
): Promise<{running: number; max?: number}> {
	return seatSessions(await countSessions(home, provider, accountId), preferences, provider, accountId);
}
