// The two hooks auth-file.ts calls at its read and write boundaries for `tui auth storage keyring`.
// Light on purpose: in file mode (the default) nothing here loads keyring.ts or the native binding.
import {AsyncLocalStorage} from 'node:async_hooks';
import path from 'node:path';
import type {AuthFile} from '../core/schemas.js';
import {readPrivateFile} from './secure-fs.js';

export const KEYRING_REF_PREFIX = 'keyring:v1:';

export type StorageMode = 'file' | 'keyring';

export function isKeyringRef(value: string | undefined): boolean {
	return value !== undefined && value.startsWith(KEYRING_REF_PREFIX);
}

export function hasKeyringRefs(file: AuthFile): boolean {
	for (const account of file.accounts) {
		if (account.kind === 'api-key' && isKeyringRef(account.key)) return true;
		if (
			account.kind === 'oauth' &&
			(isKeyringRef(account.tokens.access) ||
				isKeyringRef(account.tokens.refresh) ||
				isKeyringRef(account.tokens.idToken))
		)
			return true;
	}
	return false;
}

// `tui auth storage` moves secrets while preferences still name the old place: it says which mode to write.
const override = new AsyncLocalStorage<StorageMode>();

export function withStorageMode<T>(mode: StorageMode, fn: () => Promise<T>): Promise<T> {
	return override.run(mode, fn);
}

/** After a read: references are swapped for their secrets (only when a reference is present). */
export async function unsealSecrets(file: string, data: AuthFile): Promise<AuthFile> {
	if (!hasKeyringRefs(data)) return data;
	const {unsealAuthFile} = await import('./keyring.js');
	return unsealAuthFile(file, data);
}

async function storageMode(file: string): Promise<StorageMode> {
	const forced = override.getStore();
	if (forced) return forced;
	const {readPreferences} = await import('./preferences.js');
	// An unreadable config.json must not block an auth write: the secrets then stay in the file.
	return readPreferences(path.dirname(path.dirname(file)))
		.then((prefs) => prefs.storage)
		.catch(() => 'file' as const);
}

const NOTHING = async (): Promise<void> => {};

/**
 * Before a write, under the file's lock: in keyring mode the secrets go to the keyring and the data gets
 * references; `after` runs once the file is on disk and deletes entries it no longer references.
 */
export async function sealSecrets(file: string, data: AuthFile): Promise<{data: AuthFile; after: () => Promise<void>}> {
	const mode = await storageMode(file);
	if (mode === 'file') {
		const old = await readPrivateFile(file).catch(() => undefined);
		if (!old?.includes(KEYRING_REF_PREFIX)) return {data, after: NOTHING};
	}
	const {sealAuthFile} = await import('./keyring.js');
	return sealAuthFile(file, data, mode);
}
