// Private files for secrets: 0700 folders, 0600 files, atomic replaces, no symlinks.
// Plain node:fs so that the read path stays light (it runs on every `tui auth status`).
import {closeSync, constants as fsConstants, fchmodSync, fstatSync, lstatSync, openSync, readFileSync} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {TuiError} from '../core/errors.js';

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

export type EnsurePrivateDirOptions = {
	/** Accept a symlink to a folder (for a user-chosen home, e.g. from a dotfiles manager). Default false. */
	readonly followSymlink?: boolean;
};

function codeOf(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** mkdir -p, then 0700 even if it existed looser. A symlink in its place is refused. */
export async function ensurePrivateDir(dir: string, options: EnsurePrivateDirOptions = {}): Promise<void> {
	const stat = await fs.lstat(dir).catch((error: unknown) => {
		if (codeOf(error) === 'ENOENT') return undefined;
		throw error;
	});
	if (stat?.isSymbolicLink() && !options.followSymlink)
		throw new TuiError(`${dir} is a symlink; refusing to keep secrets there`);
	if (!stat) await fs.mkdir(dir, {recursive: true, mode: DIR_MODE});
	const real = await fs.stat(dir);
	if (!real.isDirectory()) throw new TuiError(`${dir} is not a folder`);
	const mode = real.mode & 0o777;
	// A folder its owner made read-only (chmod 500) is the user's decision: never loosened, never written to.
	if ((mode & 0o300) !== 0o300) throw readOnlyDirError(dir, mode);
	// chmod regardless of umask (mkdir's mode is masked by it); only ever removes bits.
	if (mode !== DIR_MODE) await fs.chmod(dir, mode & DIR_MODE);
}

export function readOnlyDirError(dir: string, mode: number): TuiError {
	return new TuiError(
		`${dir} is read-only (mode ${mode.toString(8)}), so tui wrote nothing there; to allow it: chmod 700 '${dir}', or use another --home`,
	);
}

/**
 * Throws the one-line reason `dir` (created 0700 if missing) cannot take a write: read-only by its mode, by
 * the file system (EROFS) or by permissions. For checks before work that should not happen in vain.
 */
export async function assertWritableDir(dir: string, options: EnsurePrivateDirOptions = {}): Promise<void> {
	try {
		await ensurePrivateDir(dir, options);
		await fs.access(dir, fsConstants.W_OK | fsConstants.X_OK);
	} catch (error) {
		const code = codeOf(error);
		if (code === 'EROFS')
			throw new TuiError(`${dir} is on a read-only file system, so tui wrote nothing there; use another --home`);
		if (code === 'EACCES' || code === 'EPERM')
			throw new TuiError(
				`${dir} cannot be written (permission denied), so tui wrote nothing there; fix its owner or mode, or use another --home`,
			);
		throw error;
	}
}

async function refuseSymlink(file: string): Promise<void> {
	const stat = await fs.lstat(file).catch((error: unknown) => {
		if (codeOf(error) === 'ENOENT') return undefined;
		throw error;
	});
	if (stat?.isSymbolicLink()) throw new TuiError(`${file} is a symlink; refusing to use it`);
	if (stat && !stat.isFile()) throw notRegularFileError(file, describeFileType(stat));
}

/** fsync a folder so that a rename in it survives a power cut. */
export async function fsyncDir(dir: string): Promise<void> {
	const handle = await fs.open(dir, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY);
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

export type WriteFileAtomicOptions = {
	/** Runs after the data is durable and right before the rename; throw to abandon the write (e.g. a lost lock). */
	readonly beforeRename?: () => void;
};

/**
 * Replaces `file` atomically: a 0600 temp file in the same folder, write, fsync, rename, fsync of the folder.
 * A crash at any instant leaves the old or the new content, never a mix. The folder must exist.
 */
export async function writeFileAtomic(
	file: string,
	data: string | Uint8Array,
	options: WriteFileAtomicOptions = {},
): Promise<void> {
	const dir = path.dirname(file);
	await refuseSymlink(file);
	const temp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
	let handle: fs.FileHandle | undefined;
	try {
		// O_EXCL + O_NOFOLLOW: never write through something planted at the temp name.
		handle = await fs.open(
			temp,
			fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW,
			FILE_MODE,
		);
		await handle.chmod(FILE_MODE);
		await handle.writeFile(data);
		await handle.sync();
		await handle.close();
		handle = undefined;
		// Re-check just before the rename: a symlink planted meanwhile would be replaced, not followed, but say so.
		await refuseSymlink(file);
		options.beforeRename?.();
		await fs.rename(temp, file);
	} catch (error) {
		await handle?.close().catch(() => {});
		await fs.rm(temp, {force: true}).catch(() => {});
		throw error;
	}
	await fsyncDir(dir);
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return codeOf(error) === 'EPERM';
	}
}

/** Removes temp files that writeFileAtomic left for `file` when its process died mid-write (SIGKILL, power cut). */
export async function removeStaleTemps(file: string): Promise<void> {
	const prefix = `.${path.basename(file)}.tmp-`;
	const names = await fs.readdir(path.dirname(file)).catch(() => [] as string[]);
	for (const name of names) {
		if (!name.startsWith(prefix)) continue;
		const pid = Number(name.slice(prefix.length).split('-')[0]);
		if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid))
			await fs.rm(path.join(path.dirname(file), name), {force: true}).catch(() => {});
	}
}

/** What sits at a path, in words, for messages about a path that holds the wrong kind of thing. */
export function describeFileType(stat: {
	isFile(): boolean;
	isDirectory(): boolean;
	isSymbolicLink(): boolean;
	isFIFO(): boolean;
	isSocket(): boolean;
	isCharacterDevice(): boolean;
	isBlockDevice(): boolean;
}): string {
	if (stat.isFile()) return 'a regular file';
	if (stat.isDirectory()) return 'a folder';
	if (stat.isSymbolicLink()) return 'a symlink';
	if (stat.isFIFO()) return 'a named pipe (FIFO)';
	if (stat.isSocket()) return 'a socket';
	if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
	return 'not a regular file';
}

/** The one-line refusal for a state path that holds something other than a regular file. */
export function notRegularFileError(file: string, what: string): TuiError {
	return new TuiError(
		`${file} is ${what}, not a regular file; tui did not open it. Move it away (mv '${file}' '${file}.bad') and try again`,
	);
}

// O_NONBLOCK: opening a FIFO for reading would otherwise block until a writer appears (forever, signals ignored);
// for a regular file the flag changes nothing. A socket fails with ENXIO.
const READ_FLAGS = fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK;

function refuseOpenError(file: string, error: unknown): never {
	const code = codeOf(error);
	if (code === 'ELOOP') throw new TuiError(`${file} is a symlink; refusing to use it`);
	if (code === 'ENXIO' || code === 'EISDIR')
		throw notRegularFileError(file, code === 'ENXIO' ? 'a socket' : 'a folder');
	throw error;
}

/** Reads a private file: undefined when missing, a symlink or anything but a regular file is refused without blocking, a looser mode is tightened to 0600. */
// Private files are small: one synchronous implementation serves both faces, and the read path never loads
// node:fs/promises (which brings readline and the stream classes with it).
export async function readPrivateFile(file: string): Promise<string | undefined> {
	return readPrivateFileSync(file);
}

export function readPrivateFileSync(file: string): string | undefined {
	// A missing file is the common case (no errors.json yet); asking first spares building an ENOENT error.
	if (!lstatSync(file, {throwIfNoEntry: false})) return undefined;
	let fd: number;
	try {
		fd = openSync(file, READ_FLAGS);
	} catch (error) {
		if (codeOf(error) === 'ENOENT') return undefined;
		refuseOpenError(file, error);
	}
	try {
		const stat = fstatSync(fd);
		if (!stat.isFile()) throw notRegularFileError(file, describeFileType(stat));
		if ((stat.mode & 0o777) !== FILE_MODE) tightenSync(() => fchmodSync(fd, FILE_MODE));
		return readFileSync(fd, 'utf8');
	} finally {
		closeSync(fd);
	}
}

// A file the user cannot chmod (owned by another user, read-only file system) is still read; tightening is best effort.
function tightenSync(chmod: () => void): void {
	try {
		chmod();
	} catch (error) {
		if (codeOf(error) !== 'EPERM' && codeOf(error) !== 'EROFS') throw error;
	}
}

/** Moves a bad file aside as `<name>.corrupt-<timestamp>` (0600) and returns the new path. Never deletes it. */
export async function quarantineFile(file: string, now: Date = new Date()): Promise<string> {
	const stamp = now.toISOString().replace(/[:.]/g, '-');
	let target = `${file}.corrupt-${stamp}`;
	for (let n = 1; await exists(target); n++) target = `${file}.corrupt-${stamp}-${n}`;
	await fs.rename(file, target);
	await fs.chmod(target, FILE_MODE);
	await fsyncDir(path.dirname(file)).catch(() => {});
	return target;
}

/** The newest `<name>.corrupt-*` beside `file`, if any (when another process quarantined it first). */
export async function latestQuarantine(file: string): Promise<string | undefined> {
	const prefix = `${path.basename(file)}.corrupt-`;
	const names = await fs.readdir(path.dirname(file)).catch(() => [] as string[]);
	const found = names.filter((name) => name.startsWith(prefix)).sort();
	const last = found.at(-1);
	return last === undefined ? undefined : path.join(path.dirname(file), last);
}

async function exists(file: string): Promise<boolean> {
	return fs.lstat(file).then(
		() => true,
		() => false,
	);
}

/** Why a text is not usable JSON, without quoting any of it (it may hold a secret). */
export function describeUnparseable(text: string): string | undefined {
	if (text.trim() === '') return 'empty';
	if (text.includes('\0')) return 'contains NUL bytes';
	try {
		JSON.parse(text);
		return undefined;
	} catch {
		return 'not valid JSON';
	}
}

/**
 * Removes temporary files a killed writer left beside `file` (ours: `.NAME.tmp-*`; conf's: `NAME.tmp-*`).
 * Call only while holding `file`'s lock: every live writer holds it, so what is left belongs to the dead.
 */
export async function sweepTempsUnderLock(file: string): Promise<number> {
	const base = path.basename(file);
	const names = await fs.readdir(path.dirname(file)).catch(() => [] as string[]);
	let removed = 0;
	for (const name of names) {
		if (!name.startsWith(`.${base}.tmp-`) && !name.startsWith(`${base}.tmp-`)) continue;
		await fs.rm(path.join(path.dirname(file), name), {force: true}).catch(() => {});
		removed++;
	}
	return removed;
}
