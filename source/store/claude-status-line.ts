// Claude subscription windows read from Claude Code's status line, kept per delegated account and email
// under <home>/usage/; which Claude account Claude Code is signed in to (cached); and the install of our
// command into Claude Code's settings.json, with what it replaced so that an uninstall puts it back.
import {constants as fsConstants, promises as fs, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {checkShape, shape, type Infer} from '../core/shape.js';
import {TuiError} from '../core/errors.js';
import type {QuotaWindow} from '../core/quota.js';
import type {DelegatedAccount} from '../core/schemas.js';
import {installStatusLine, SettingsTextError, uninstallStatusLine, type SettingsEdit} from '../core/status-line.js';
import type {Env} from '../providers/config-env.js';
import {readAuthFile} from './auth-file.js';
import {ensurePrivateDir, fsyncDir, readPrivateFile, writeFileAtomic} from './secure-fs.js';
import {accountKey, quotaWindowShape, usageDir} from './usage-ledger.js';

export const STATUS_LINE_FILE = 'claude-status-line.json';
export const STATUS_LINE_INSTALL_FILE = 'claude-code-status-line.json';
/** The identity cache is re-checked at least this often even when Claude Code's files look unchanged. */
export const IDENTITY_MAX_AGE_MS = 60 * 60 * 1000;
export const FAILURE_RETRY_MS = 5 * 60 * 1000;

const recordShape = shape.object({
	/** The Claude Code login (from `claude auth status`) the windows were read under. */
	email: shape.string(),
	observedAt: shape.number(),
	windows: shape.array(quotaWindowShape),
	version: shape.optional(shape.string()),
});
export type StatusLineRecord = Infer<typeof recordShape>;

const identityShape = shape.object({
	fingerprint: shape.string(),
	checkedAt: shape.number(),
	loggedIn: shape.boolean(),
	email: shape.optional(shape.string()),
	/** `claude auth status` failed: asked again only after FAILURE_RETRY_MS, so a missing `claude` costs no spawn per refresh. */
	error: shape.optional(shape.string()),
});
type Identity = Infer<typeof identityShape>;

const fileShape = shape.object({
	version: shape.literal(1),
	accounts: shape.record(recordShape),
	identity: shape.optional(identityShape),
});
type StatusLineFile = Infer<typeof fileShape>;

export function statusLinePath(home: string): string {
	return path.join(usageDir(home), STATUS_LINE_FILE);
}

/** A missing or damaged file reads as empty: the next status-line refresh rewrites it. */
async function readFile(home: string): Promise<StatusLineFile> {
	try {
		const text = await readPrivateFile(statusLinePath(home));
		if (text === undefined) return {version: 1, accounts: {}};
		const parsed = checkShape(fileShape, JSON.parse(text));
		return parsed.success ? parsed.data : {version: 1, accounts: {}};
	} catch {
		return {version: 1, accounts: {}};
	}
}

/** Windows per "claude/<account id>", each with the email they were read under. */
export async function readStatusLineRecords(home: string): Promise<Readonly<Record<string, StatusLineRecord>>> {
	return (await readFile(home)).accounts;
}

/** The record of a delegated account, only while the account still has the email it was read under. */
export function recordFor(
	records: Readonly<Record<string, StatusLineRecord>>,
	account: Pick<DelegatedAccount, 'id' | 'email'>,
): StatusLineRecord | undefined {
	const record = records[accountKey('claude', account.id)];
	return record && account.email && sameEmail(record.email, account.email) ? record : undefined;
}

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

async function mutate(
	home: string,
	change: (file: StatusLineFile) => StatusLineFile | undefined,
	lockTimeoutMs: number,
): Promise<void> {
	const file = statusLinePath(home);
	await ensurePrivateDir(usageDir(home));
	const {withFileLock} = await import('./lock.js');
	await withFileLock(
		file,
		async (lock) => {
			const next = change(await readFile(home));
			if (next) await writeFileAtomic(file, `${JSON.stringify(next)}\n`, {beforeRename: () => lock.assertStillHeld()});
		},
		{timeoutMs: lockTimeoutMs},
	);
}

export type RecordOptions = {
	readonly lockTimeoutMs?: number;
	/** Skip the write when the stored figures are the same and younger than this (Claude Code refreshes often). */
	readonly unchangedWithinMs?: number;
};

function sameWindows(a: readonly QuotaWindow[], b: readonly QuotaWindow[]): boolean {
	return (
		a.length === b.length &&
		a.every((w, i) => w.name === b[i]!.name && w.usedPercent === b[i]!.usedPercent && w.resetsAt === b[i]!.resetsAt)
	);
}

/** Stores the windows for one account; an older reading never replaces a newer one. */
export async function recordStatusLineWindows(
	home: string,
	entry: {
		readonly accountId: string;
		readonly email: string;
		readonly windows: readonly QuotaWindow[];
		readonly observedAt: number;
		readonly version?: string;
	},
	options: RecordOptions = {},
): Promise<void> {
	const key = accountKey('claude', entry.accountId);
	if (options.unchangedWithinMs !== undefined) {
		const stored = (await readFile(home)).accounts[key];
		const age = entry.observedAt - (stored?.observedAt ?? Number.NEGATIVE_INFINITY);
		if (
			stored &&
			sameEmail(stored.email, entry.email) &&
			age >= 0 &&
			age < options.unchangedWithinMs &&
			sameWindows(stored.windows, entry.windows)
		)
			return;
	}
	await mutate(
		home,
		(file) => {
			const existing = file.accounts[key];
			if (existing && sameEmail(existing.email, entry.email) && existing.observedAt > entry.observedAt)
				return undefined;
			const record: StatusLineRecord = {
				email: entry.email,
				observedAt: entry.observedAt,
				windows: [...entry.windows],
				...(entry.version ? {version: entry.version} : {}),
			};
			return {...file, accounts: {...file.accounts, [key]: record}};
		},
		options.lockTimeoutMs ?? 1500,
	);
}

// ---- which account Claude Code is signed in to ----

/** Claude Code's folder: $CLAUDE_CONFIG_DIR, else ~/.claude. */
export function claudeConfigDir(env: Env): string {
	const dir = env.CLAUDE_CONFIG_DIR?.trim();
	return dir ? path.resolve(dir) : path.join(env.HOME || os.homedir(), '.claude');
}

export function claudeSettingsPath(env: Env): string {
	return path.join(claudeConfigDir(env), 'settings.json');
}

/** The files Claude Code rewrites when its login changes: its credentials file (Linux) and its config (all). */
function identityFiles(env: Env): string[] {
	const dir = env.CLAUDE_CONFIG_DIR?.trim();
	const config = dir
		? path.join(path.resolve(dir), '.claude.json')
		: path.join(env.HOME || os.homedir(), '.claude.json');
	return [path.join(claudeConfigDir(env), '.credentials.json'), config];
}

/**
 * Identity of those files (inode, size, mtime): stat only, their contents are never read. Synchronous: it runs
 * on every status-line refresh, where loading node:fs/promises would cost more than both stats.
 */
function fingerprint(env: Env): string {
	const parts = identityFiles(env).map((file) => {
		try {
			const s = statSync(file);
			return `${s.ino}:${s.size}:${s.mtimeMs}`;
		} catch {
			return '-';
		}
	});
	return `${env.PATH ?? ''}|${parts.join('|')}`;
}

export type ClaudeIdentity = {readonly loggedIn: boolean; readonly email?: string; readonly cached: boolean};

export type IdentityDeps = {
	readonly env: Env;
	readonly home: string;
	readonly now: number;
	/** Give up on `claude auth status` after this long. */
	readonly timeoutMs?: number;
	readonly lockTimeoutMs?: number;
};

/**
 * The email Claude Code is signed in with, as `claude auth status` reports it. The answer is cached with the
 * fingerprint of the files a login or logout rewrites, so the status line spawns `claude` only after a change.
 */
export async function claudeCodeIdentity(deps: IdentityDeps): Promise<ClaudeIdentity> {
	const print = fingerprint(deps.env);
	const cached = (await readFile(deps.home)).identity;
	const age = cached ? deps.now - cached.checkedAt : -1;
	if (
		cached &&
		cached.fingerprint === print &&
		age >= 0 &&
		age < (cached.error ? FAILURE_RETRY_MS : IDENTITY_MAX_AGE_MS)
	) {
		if (cached.error) throw new TuiError(`${cached.error} (asked ${Math.round(age / 1000)} s ago)`);
		return {loggedIn: cached.loggedIn, ...(cached.email ? {email: cached.email} : {}), cached: true};
	}
	// Loaded only when asking: the cached path spawns nothing and needs neither.
	const [{claudeCodeStatus}, {spawn: nodeSpawn}] = await Promise.all([
		import('../oauth/claude-code.js'),
		import('node:child_process'),
	]);
	const timeout = deps.timeoutMs ?? 5000;
	let identity: Identity;
	try {
		const status = await claudeCodeStatus({
			env: deps.env,
			spawn: (command, args, options) => nodeSpawn(command, args, {...options, timeout, killSignal: 'SIGKILL'}),
		});
		identity = {
			fingerprint: print,
			checkedAt: deps.now,
			loggedIn: status.loggedIn,
			...(status.email ? {email: status.email} : {}),
		};
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const reason =
			error instanceof TuiError
				? error.message
				: code === 'ENOENT'
					? 'the `claude` command was not found'
					: `\`claude auth status\` failed${code ? ` (${code})` : ''}`;
		identity = {fingerprint: print, checkedAt: deps.now, loggedIn: false, error: reason};
	}
	// The cache is a convenience: failing to store it only costs the next call a spawn.
	await mutate(deps.home, (file) => ({...file, identity}), deps.lockTimeoutMs ?? 1500).catch(() => {});
	if (identity.error) throw new TuiError(identity.error);
	return {loggedIn: identity.loggedIn, ...(identity.email ? {email: identity.email} : {}), cached: false};
}

/** The delegated Claude Code account of the home that has this email, if any. */
export async function delegatedAccountFor(home: string, email: string): Promise<DelegatedAccount | undefined> {
	const file = await readAuthFile(home, 'claude');
	return file.accounts.find(
		(a): a is DelegatedAccount =>
			a.kind === 'delegated' && a.tool === 'claude-code' && a.email !== undefined && sameEmail(a.email, email),
	);
}

// ---- the install into settings.json ----

const installShape = shape.object({
	version: shape.literal(1),
	settingsFile: shape.string(),
	/** The statusLine value we wrote, exactly. */
	installed: shape.string(),
	/** The statusLine value it replaced, exactly; absent when there was none. */
	previous: shape.optional(shape.string()),
	/** Run after ours, with the same stdin; both outputs are printed. */
	previousCommand: shape.optional(shape.string()),
});
export type StatusLineInstall = Infer<typeof installShape>;

export function installStatePath(home: string): string {
	return path.join(home, STATUS_LINE_INSTALL_FILE);
}

export async function readInstallState(home: string): Promise<StatusLineInstall | undefined> {
	try {
		const text = await readPrivateFile(installStatePath(home));
		if (text === undefined) return undefined;
		const parsed = checkShape(installShape, JSON.parse(text));
		return parsed.success ? parsed.data : undefined;
	} catch {
		return undefined;
	}
}

export type InstallPlan = {
	readonly settingsFile: string;
	readonly before: string;
	readonly existed: boolean;
	readonly edit: SettingsEdit;
	/** statusLine already runs a tui status line (installed from this home or another). */
	readonly ours: boolean;
};

async function readSettings(file: string): Promise<{text: string; existed: boolean}> {
	try {
		return {text: await fs.readFile(file, 'utf8'), existed: true};
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {text: '', existed: false};
		throw new TuiError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
	}
}

function settingsError(file: string, error: unknown): never {
	if (error instanceof SettingsTextError || error instanceof SyntaxError)
		throw new TuiError(
			`${file} ${error instanceof SettingsTextError ? error.message : 'is not valid JSON'}; nothing was changed`,
		);
	throw error;
}

/** What an install would write, without writing. Throws a one-line TuiError for a settings file we cannot edit. */
export async function planStatusLineInstall(env: Env, command: string): Promise<InstallPlan> {
	const settingsFile = claudeSettingsPath(env);
	const {text, existed} = await readSettings(settingsFile);
	let edit: SettingsEdit;
	try {
		edit = installStatusLine(text, command);
	} catch (error) {
		settingsError(settingsFile, error);
	}
	const ours = edit.previousCommand !== undefined && /\bstatusline\s+claude\b/.test(edit.previousCommand);
	return {settingsFile, before: text, existed, edit, ours};
}

/**
 * Claude Code's own file keeps its mode (it is not one of ours, so not forced to 0600): temp file beside it,
 * write, fsync, rename, fsync of the folder.
 */
async function replaceSettings(file: string, text: string): Promise<void> {
	const dir = path.dirname(file);
	await fs.mkdir(dir, {recursive: true, mode: 0o700});
	let mode = 0o644;
	try {
		const s = await fs.lstat(file);
		if (s.isSymbolicLink()) throw new TuiError(`${file} is a symlink; refusing to replace it`);
		mode = s.mode & 0o777;
	} catch (error) {
		if (error instanceof TuiError) throw error;
	}
	const temp = path.join(dir, `.settings.json.tui-${process.pid}-${Date.now()}`);
	const handle = await fs.open(
		temp,
		fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW,
		mode,
	);
	try {
		await handle.writeFile(text);
		await handle.chmod(mode);
		await handle.sync();
	} catch (error) {
		await handle.close().catch(() => {});
		await fs.rm(temp, {force: true});
		throw error;
	}
	await handle.close();
	try {
		await fs.rename(temp, file);
	} catch (error) {
		await fs.rm(temp, {force: true});
		throw error;
	}
	await fsyncDir(dir);
}

/** Writes the planned install, after checking the file did not change since the plan was shown. */
export async function applyStatusLineInstall(home: string, plan: InstallPlan): Promise<void> {
	// Chaining a tui status line after another would run it twice, or forever.
	if (plan.ours)
		throw new TuiError(
			`${plan.settingsFile} already runs a tui status line (${plan.edit.previousCommand}); remove it with its own --uninstall first`,
		);
	const now = await readSettings(plan.settingsFile);
	if (now.text !== plan.before)
		throw new TuiError(
			`${plan.settingsFile} changed while you were deciding; nothing was changed, run the install again`,
		);
	const state: StatusLineInstall = {
		version: 1,
		settingsFile: plan.settingsFile,
		installed: plan.edit.value,
		...(plan.edit.previous !== undefined ? {previous: plan.edit.previous} : {}),
		...(plan.edit.previousCommand ? {previousCommand: plan.edit.previousCommand} : {}),
	};
	// What to restore is stored before settings.json changes, so an uninstall always has it.
	await ensurePrivateDir(home);
	await writeFileAtomic(installStatePath(home), `${JSON.stringify(state, null, 2)}\n`);
	await replaceSettings(plan.settingsFile, plan.edit.text);
}

/** Puts back the statusLine the install replaced (or removes ours); every other byte stays. */
export async function uninstallStatusLineSetting(home: string): Promise<{settingsFile: string; restored: boolean}> {
	const state = await readInstallState(home);
	if (!state)
		throw new TuiError(`no tui status line is installed from this home (${installStatePath(home)} is missing)`);
	const {text, existed} = await readSettings(state.settingsFile);
	if (!existed) throw new TuiError(`${state.settingsFile} no longer exists; nothing to restore`);
	let next: string;
	try {
		next = uninstallStatusLine(text, state.installed, state.previous);
	} catch (error) {
		settingsError(state.settingsFile, error);
	}
	await replaceSettings(state.settingsFile, next);
	await fs.rm(installStatePath(home), {force: true});
	return {settingsFile: state.settingsFile, restored: state.previous !== undefined};
}
