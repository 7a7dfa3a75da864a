// `tui auth storage [file|keyring]`: where secrets live. The auth files are the default. The OS keyring
// needs a native binding (@napi-rs/keyring); without it `keyring` fails and nothing moves.
import {createRequire} from 'node:module';
import {TuiError, UsageError} from '../core/errors.js';
import {readPreferences, updatePreferences} from '../store/preferences.js';
import type {CommandContext} from './context.js';

export const KEYRING_PACKAGE = '@napi-rs/keyring';

/** Whether the keyring binding can be loaded from here (resolved, not loaded: loading a native module is not free). */
export function keyringBindingAvailable(): boolean {
	try {
		createRequire(import.meta.url).resolve(KEYRING_PACKAGE);
		return true;
	} catch {
		return false;
	}
}

export async function run(ctx: CommandContext, where?: string): Promise<number> {
	const current = (await readPreferences(ctx.home)).storage;
	if (where === undefined) {
		ctx.stdout.write(current === 'file' ? `Secrets are stored in the auth files under ${ctx.home}/auth (the default)\n` : 'Secrets are stored in the OS keyring\n');
		return 0;
	}
	if (where !== 'file' && where !== 'keyring') throw new UsageError(`unknown storage ${JSON.stringify(where)}; valid: file, keyring`);
	if (where === 'keyring') {
		if (!keyringBindingAvailable()) throw new TuiError('no OS keyring binding available on this machine; secrets stay in the auth files');
		// The binding is there, but moving secrets into it (and reading them back in discovery) is not built yet.
		throw new TuiError('moving secrets to the OS keyring is not built yet; secrets stay in the auth files');
	}
	if (current === 'file') {
		ctx.stdout.write('Secrets already live in the auth files (the default); nothing changed\n');
		return 0;
	}
	// A keyring setting without a way to read the keyring: go back to the files (no secrets are in the keyring).
	await updatePreferences(ctx.home, (prefs) => ({...prefs, storage: 'file'}));
	ctx.stdout.write('Secrets are stored in the auth files again\n');
	return 0;
}
