// `tui reset`: removes every piece of state tui keeps under the home folder, and nothing else.
// Known names only (config.json, auth/, usage/, sessions/, sandbox/, their locks, temps and quarantine copies):
// other files a user keeps in a --home folder stay. The walk uses lstat and never follows a symlink:
// a symlink is removed as a link, its target is left alone, and no path outside the home is touched.
import fs from 'node:fs/promises';
import path from 'node:path';
import {PROVIDER_IDS, PROVIDER_NAMES, type ProviderId} from '../core/schemas.js';
import {authDir, authFilePath, parseAuthFile} from './auth-file.js';
import {readPrivateFile} from './secure-fs.js';

export type ResetItem = {
	/** Absolute path, inside the home. */
	readonly path: string;
	/** Relative to the home, for display. */
	readonly name: string;
	readonly type: 'file' | 'folder' | 'symlink';
	readonly what: string;
};

export type ResetPlan = {readonly home: string; readonly items: readonly ResetItem[]};

const TOP_FOLDERS: ReadonlyArray<readonly [string, string]> = [
	['auth', 'auth files, their locks and quarantine copies'],
	['usage', 'usage ledger, rate-limit snapshots and quota cache'],
	['sessions', 'seat sessions'],
	['sandbox', 'state of the --sandbox providers (tokens they issued, usage windows)'],
];

/** Top-level names that are ours: config.json with its lock, temps and quarantine copies. */
function topLevelWhat(name: string): string | undefined {
	if (name === 'config.json') return 'preferences';
	if (name === 'config.json.lock') return 'lock';
	if (name.startsWith('config.json.corrupt-')) return 'quarantined copy of config.json';
	if (name.startsWith('.config.json.tmp-') || name.startsWith('config.json.tmp')) return 'leftover temporary file';
	if (name.endsWith('.lock')) return 'lock';
	if (name.includes('.corrupt-')) return 'quarantined copy';
	return undefined;
}

function inside(home: string, target: string): boolean {
	const relative = path.relative(home, target);
	return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

async function lstatOrUndefined(file: string) {
	return fs.lstat(file).catch((error: NodeJS.ErrnoException) => {
		if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
		throw error;
	});
}

async function describeAuthFile(provider: ProviderId, file: string): Promise<string> {
	try {
		const text = await readPrivateFile(file);
		const parsed = text === undefined ? undefined : parseAuthFile(text);
		if (parsed?.ok) return `${PROVIDER_NAMES[provider]} auth file: ${parsed.file.accounts.length} account(s)`;
		return `${PROVIDER_NAMES[provider]} auth file (unreadable)`;
	} catch {
		return `${PROVIDER_NAMES[provider]} auth file`;
	}
}

/** What `resetHome` would remove; reads nothing secret beyond counting accounts. */
export async function planReset(home: string): Promise<ResetPlan> {
	const root = path.resolve(home);
	const items: ResetItem[] = [];
	const rootStat = await lstatOrUndefined(root);
	if (!rootStat) return {home: root, items};
	const names = (await fs.readdir(root)).sort();
	for (const name of names) {
		const full = path.join(root, name);
		const stat = await lstatOrUndefined(full);
		if (!stat) continue;
		const type = stat.isSymbolicLink() ? 'symlink' : stat.isDirectory() ? 'folder' : 'file';
		const folder = TOP_FOLDERS.find(([n]) => n === name);
		if (folder) {
			if (type === 'symlink') {
				items.push({
					path: full,
					name,
					type,
					what: `symlink in place of ${name}/ (the link alone is removed, not its target)`,
				});
				continue;
			}
			if (name === 'auth' && type === 'folder') {
				for (const provider of PROVIDER_IDS) {
					const file = authFilePath(root, provider);
					const s = await lstatOrUndefined(file);
					if (s?.isFile())
						items.push({
							path: file,
							name: path.relative(root, file),
							type: 'file',
							what: await describeAuthFile(provider, file),
						});
				}
				const rest = (await fs.readdir(authDir(root))).filter((n) => !PROVIDER_IDS.some((p) => `${p}.json` === n));
				items.push({
					path: full,
					name: `${name}/`,
					type,
					what:
						rest.length > 0
							? `${folder[1]} (${rest.length} other entr${rest.length === 1 ? 'y' : 'ies'})`
							: 'auth folder',
				});
				continue;
			}
			items.push({path: full, name: type === 'folder' ? `${name}/` : name, type, what: folder[1]});
			continue;
		}
		const what = topLevelWhat(name);
		if (what) items.push({path: full, name: type === 'folder' ? `${name}/` : name, type, what});
	}
	return {home: root, items};
}

/** Removes `target` (inside `home`) without following symlinks: links are unlinked, folders walked with lstat. */
async function removeWithin(home: string, target: string): Promise<void> {
	if (!inside(home, target)) throw new Error(`refusing to remove ${target}: outside ${home}`);
	const stat = await lstatOrUndefined(target);
	if (!stat) return;
	if (stat.isDirectory()) {
		for (const name of await fs.readdir(target)) await removeWithin(home, path.join(target, name));
		await fs.rmdir(target);
	} else {
		// Files, symlinks (the link itself), sockets, fifos.
		await fs.unlink(target);
	}
}

export type ResetResult = {
	readonly home: string;
	readonly removed: readonly ResetItem[];
	readonly kept: readonly string[];
};

/**
 * Removes all of tui's state under `home` (see planReset); the home folder itself and unknown files stay.
 * Safe to call from the home screen after its own confirmation.
 */
export async function resetHome(home: string, plan?: ResetPlan): Promise<ResetResult> {
	const current = plan ?? (await planReset(home));
	const root = path.resolve(home);
	// Keyring storage: the secrets the auth files point at go too, if the keyring answers (never loaded otherwise).
	if (current.items.length > 0) await import('./keyring.js').then((k) => k.forgetKeyringSecrets(root)).catch(() => 0);
	// Files inside folders are listed before their folder; removing the folder covers them, so skip listed children.
	const removed: ResetItem[] = [];
	for (const item of current.items) {
		if (!inside(root, item.path)) throw new Error(`refusing to remove ${item.path}: outside ${root}`);
		await removeWithin(root, item.path);
		removed.push(item);
	}
	const kept = (await fs.readdir(root).catch(() => [] as string[])).sort();
	return {home: root, removed, kept};
}

/** The summary printed before a reset (and by `tui reset` without --confirm). */
export function describePlan(plan: ResetPlan): string[] {
	if (plan.items.length === 0) return [`Nothing to reset under ${plan.home}`];
	const width = Math.max(...plan.items.map((i) => i.name.length));
	return [`tui reset removes from ${plan.home}:`, ...plan.items.map((i) => `  ${i.name.padEnd(width)}  ${i.what}`)];
}
