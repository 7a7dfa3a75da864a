// auth/<provider>.json: read, locked read-modify-write, and quarantine of files that do not parse.
// The read path stays light (no proper-lockfile): lock.js is imported only when a lock is taken.
import {randomBytes} from 'node:crypto';
import {lstatSync} from 'node:fs';
import path from 'node:path';
import {CorruptFileError, TuiError} from '../core/errors.js';
import {
	AUTH_FILE_VERSION,
	authFileSchema,
	KNOWN_KEYS,
	cleanAccountText,
	readAuthFileJson,
	type AuthFile,
	type ProviderId,
} from '../core/schemas.js';
import {checkShape} from '../core/shape.js';
import {cleanOutsideText} from '../core/text.js';
import {markLegacyOpenAILogins} from '../providers/openai.js';
import {sealSecrets, unsealSecrets} from './keyring-seal.js';
import {heldLock, type LockContext} from './lock-context.js';
import type {LockOptions} from './lock.js';
import {
	assertWritableDir,
	describeUnparseable,
	ensurePrivateDir,
	latestQuarantine,
	quarantineFile,
	readPrivateFile,
	readPrivateFileSync,
	removeStaleTemps,
	writeFileAtomic,
} from './secure-fs.js';

/** A new account id: "acc_" and 12 random base64url characters (older files also hold UUIDs; both are read). */
export function newAccountId(): string {
	return `acc_${randomBytes(9).toString('base64url')}`;
}

export type {LockContext} from './lock-context.js';
export type {LockOptions} from './lock.js';

export function authDir(home: string): string {
	return path.join(home, 'auth');
}

export function authFilePath(home: string, provider: ProviderId): string {
	return path.join(authDir(home), `${provider}.json`);
}

export function emptyAuthFile(): AuthFile {
	return {version: 1, active: null, accounts: []};
}

type Parsed = {readonly ok: true; readonly file: AuthFile} | {readonly ok: false; readonly reason: string};

/** JSON text as written by any tui version; a UTF-8 byte-order mark (an editor's) is ignored. */
function parseJson(text: string): {ok: true; json: unknown} | {ok: false; reason: string} {
	const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
	const unparseable = describeUnparseable(body);
	if (unparseable) return {ok: false, reason: unparseable};
	return {ok: true, json: JSON.parse(body)};
}

/** Parses without ever quoting the content: it holds secrets. Only a file that cannot be an auth file at all fails. */
export function parseAuthFile(text: string): Parsed {
	const json = parseJson(text);
	if (!json.ok) return json;
	return readAuthFileJson(json.json, cleanOutsideText);
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** `known` with every key of `raw` this version does not know appended, values untouched. */
function withUnknownKeys(known: JsonObject, raw: unknown, knownKeys: ReadonlySet<string>): JsonObject {
	if (!isObject(raw)) return known;
	const out: JsonObject = {...known};
	for (const [key, value] of Object.entries(raw)) if (!knownKeys.has(key) && !(key in out)) out[key] = value;
	return out;
}

/**
 * What goes to disk: `data` (this version's view) merged with what it cannot see in the file on disk: fields it
 * does not know, at every level, and accounts it could not read, byte for byte (docs/auth-file-schema.md).
 */
function mergeWithDisk(file: string, data: AuthFile, diskText: string | undefined): JsonObject {
	const disk = diskText === undefined ? undefined : parseJson(diskText);
	const raw = disk?.ok && isObject(disk.json) ? disk.json : undefined;
	if (raw && typeof raw.version === 'number' && raw.version > AUTH_FILE_VERSION)
		throw newerFileError(file, raw.version);
	const rawAccounts = raw && Array.isArray(raw.accounts) ? (raw.accounts as unknown[]) : [];
	const read = raw ? readAuthFileJson(raw, cleanOutsideText) : undefined;
	const kept = read?.ok ? (read.file.unreadable ?? []) : [];
	const accounts: unknown[] = data.accounts.map((account) => {
		const before = rawAccounts.find(
			(r) =>
				isObject(r) && r.id === account.id && r.kind === account.kind && !kept.some((k) => rawAccounts[k.index] === r),
		);
		if (!isObject(before)) return account;
		const merged = withUnknownKeys(account as JsonObject, before, KNOWN_KEYS.account[account.kind]);
		if (account.kind === 'oauth')
			merged.tokens = withUnknownKeys(account.tokens as JsonObject, before.tokens, KNOWN_KEYS.tokens);
		return merged;
	});
	for (const entry of kept) accounts.push(rawAccounts[entry.index]);
	const keptActive = kept.find((entry) => entry.active);
	const active = data.active ?? (keptActive && raw ? raw.active : null);
	return withUnknownKeys({version: AUTH_FILE_VERSION, active, accounts}, raw, KNOWN_KEYS.file);
}

export function newerFileError(file: string, version: unknown): TuiError {
	return new TuiError(
		`${file} was written by a newer tui (version ${String(version)}); this tui leaves it untouched: update tui to change it`,
	);
}

async function withLock<T>(file: string, fn: (lock: LockContext) => Promise<T> | T, options?: LockOptions): Promise<T> {
	const existing = heldLock(file);
	if (existing) return fn(existing);
	const {withFileLock} = await import('./lock.js');
	return withFileLock(file, fn, options);
}

/** Reads while the caller holds the lock: a corrupt file is moved aside at once. */
async function readLocked(file: string): Promise<AuthFile> {
	const text = await readPrivateFile(file);
	if (text === undefined) return emptyAuthFile();
	const parsed = parseAuthFile(text);
	if (parsed.ok) return parsed.file;
	const moved = await quarantineFile(file);
	throw new CorruptFileError(file, moved, parsed.reason);
}

// Hosts call resolveCredential often: re-reading and re-validating an unchanged file cost ~0.5 ms a call.
// A parsed file is reused while its identity (dev, ino, size, mtime, ctime, mode) is unchanged. Atomic writes
// give a new inode; a file changed within the last second is not cached, since in-place edits in the same
// timestamp tick would keep the same key. Each hit returns a fresh copy, so callers may mutate it.
const RACY_MS = 1000;
const CACHE_LIMIT = 32;
const parsedCache = new Map<string, {readonly key: string; readonly json: string}>();

function identity(file: string): {key: string; settled: boolean} | undefined {
	try {
		// Plain stats, not bigint ones (their first use costs a cold call ~0.3 ms): the key needs no nanoseconds,
		// since a file changed within RACY_MS is never cached.
		const stat = lstatSync(file, {throwIfNoEntry: false});
		if (!stat?.isFile() || (stat.mode & 0o777) !== 0o600) return undefined;
		const settled = Date.now() - Math.max(stat.ctimeMs, stat.mtimeMs) > RACY_MS;
		return {key: `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`, settled};
	} catch {
		return undefined;
	}
}

function remember(file: string, key: string, data: AuthFile): void {
	if (parsedCache.size >= CACHE_LIMIT) parsedCache.clear();
	parsedCache.set(file, {key, json: JSON.stringify(data)});
}

/**
 * The provider's auth file; a missing file reads as an empty one. A file that does not parse or has the wrong
 * shape is moved aside (`<name>.corrupt-<timestamp>`, 0600) and a CorruptFileError names both paths.
 */
export async function readAuthFile(home: string, provider: ProviderId): Promise<AuthFile> {
	// Keyring storage: references in the file become their secrets here (nothing happens without one).
	const file = await unsealSecrets(authFilePath(home, provider), await readSealed(home, provider));
	return provider === 'openai' ? markLegacyOpenAILogins(file) : file;
}

async function readSealed(home: string, provider: ProviderId): Promise<AuthFile> {
	const file = authFilePath(home, provider);
	if (heldLock(file)) return readLocked(file);
	// Taken before the read: if the file changes in between, the key is stale and the next call misses.
	const before = identity(file);
	const cached = parsedCache.get(file);
	if (before && cached && cached.key === before.key) return JSON.parse(cached.json) as AuthFile;
	const text = readPrivateFileSync(file);
	if (text === undefined) return emptyAuthFile();
	const parsed = parseAuthFile(text);
	if (parsed.ok) {
		if (before?.settled) remember(file, before.key, parsed.file);
		else parsedCache.delete(file);
		return parsed.file;
	}
	parsedCache.delete(file);
	// Writes are atomic, so this is real damage, not a write in progress; confirm and quarantine under the lock.
	return withLock(file, async () => {
		const again = await readPrivateFile(file);
		if (again === undefined) {
			const moved = await latestQuarantine(file);
			if (moved) throw new CorruptFileError(file, moved, parsed.reason);
			return emptyAuthFile();
		}
		return readLocked(file);
	});
}

export type AuthFileMutation<T> = (
	file: AuthFile,
) => Promise<{file: AuthFile; result: T}> | {file: AuthFile; result: T};

async function writeChecked(file: string, data: AuthFile, lock: LockContext): Promise<void> {
	// Outside text is cleaned when stored, whatever path it came by.
	const cleaned = {...data, accounts: data.accounts.map((account) => cleanAccountText(account, cleanOutsideText))};
	const checked = checkShape(authFileSchema, cleaned);
	if (!checked.success) {
		const issue = checked.error.issues[0];
		throw new TuiError(
			`refusing to write ${file}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`.trim(),
		);
	}
	parsedCache.delete(file);
	await ensurePrivateDir(path.dirname(file));
	// Under the lock no live writer of this file exists, so temps of dead processes can go.
	await removeStaleTemps(file);
	const disk = await readPrivateFile(file);
	// Keyring storage: secrets go to the keyring first, the file gets references; `after` drops unreferenced entries.
	const sealed = await sealSecrets(file, checked.data);
	const out = mergeWithDisk(file, sealed.data, disk);
	await writeFileAtomic(file, `${JSON.stringify(out, null, '\t')}\n`, {beforeRename: () => lock.assertStillHeld()});
	await sealed.after();
}

async function prepareDirs(home: string): Promise<void> {
	await ensurePrivateDir(home, {followSymlink: true});
	await ensurePrivateDir(authDir(home));
}

/** Before work that ends in a write (sending a key to the provider): the home and auth folder can take it. */
export async function assertAuthWritable(home: string): Promise<void> {
	await assertWritableDir(home, {followSymlink: true});
	await assertWritableDir(authDir(home));
}

/**
 * Read-modify-write under the file's cross-process lock. The file is re-read inside the lock, and written
 * (atomically, 0600 in a 0700 folder) only if `mutate` changed it. Returns `mutate`'s result.
 */
export async function updateAuthFile<T>(
	home: string,
	provider: ProviderId,
	mutate: AuthFileMutation<T>,
	options?: LockOptions,
): Promise<T> {
	const file = authFilePath(home, provider);
	await prepareDirs(home);
	return withLock(
		file,
		async (lock) => {
			const before = await unsealSecrets(file, await readLocked(file));
			const {file: after, result} = await mutate(before);
			if (JSON.stringify(after) !== JSON.stringify(before)) await writeChecked(file, after, lock);
			return result;
		},
		options,
	);
}

/**
 * Holds the provider's auth-file lock while `fn` runs, for work that spans a network call (token refresh):
 * inside, re-read with readAuthFile, call the network, then save with writeAuthFileLocked.
 * Nested updateAuthFile/readAuthFile calls for the same provider inside `fn` do not deadlock.
 */
export async function withAuthFileLock<T>(
	home: string,
	provider: ProviderId,
	fn: (lock: LockContext) => Promise<T> | T,
	options?: LockOptions,
): Promise<T> {
	const file = authFilePath(home, provider);
	await prepareDirs(home);
	return withLock(file, fn, options);
}

/**
 * Writes the auth file atomically. Only valid inside withAuthFileLock/updateAuthFile for the same provider
 * (throws otherwise); refuses to write if the lock was lost meanwhile.
 */
export async function writeAuthFileLocked(home: string, provider: ProviderId, data: AuthFile): Promise<void> {
	const file = authFilePath(home, provider);
	const lock = heldLock(file);
	if (!lock) throw new Error(`writeAuthFileLocked(${provider}) called without holding the auth file lock`);
	await writeChecked(file, data, lock);
}

/**
 * One line per thing in a read auth file that this version cannot use: a newer version, unreadable accounts.
 * Each says what stays as it is; empty when all is well.
 */
export function authFileProblems(home: string, provider: ProviderId, data: AuthFile): string[] {
	const file = authFilePath(home, provider);
	if (data.newerVersion !== undefined) return [newerFileError(file, data.newerVersion).message];
	return (data.unreadable ?? []).map((entry) => {
		const name = entry.label
			? `account ${JSON.stringify(entry.label)}`
			: entry.id
				? `account id ${JSON.stringify(entry.id)}`
				: `account #${entry.index + 1}`;
		const what = entry.newer
			? `${name} is of an ${entry.reason}, written by a newer tui`
			: `${name} is unreadable (${entry.reason})`;
		return `${file}: ${what}${entry.active ? ', and it is the active one' : ''}; it is kept untouched, the other accounts work`;
	});
}
