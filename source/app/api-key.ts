// Saving an API key: the one operation behind `tui auth login --with-api-key`, the wizard and `tui onboard`.
// A label another account holds is refused before the key is sent anywhere; only the same key under the
// same label passes (logging in twice is idempotent).
import {addAccount, freeLabel, setActive} from '../core/accounts.js';
import {UsageError} from '../core/errors.js';
import {LABEL_PATTERN, type Account, type AuthFile, type ProviderId} from '../core/schemas.js';
import {
	assertAuthWritable,
	authFilePath,
	newAccountId,
	newerFileError,
	readAuthFile,
	updateAuthFile,
} from '../store/auth-file.js';

const DEFAULT_KEY_LABEL = 'api-key';

export function checkLabel(label: string | undefined): void {
	if (label !== undefined && !LABEL_PATTERN.test(label))
		throw new UsageError(
			`invalid --label ${JSON.stringify(label)}: use 1-64 letters, digits, space, . _ @ + -, starting with a letter or digit`,
		);
}

function clashWith(file: AuthFile, label: string | undefined, key: string | undefined): Account | undefined {
	if (label === undefined) return undefined;
	const owner = file.accounts.find((a) => a.label.toLowerCase() === label.toLowerCase());
	if (!owner) return undefined;
	// The same key under its own label is a second login, not a clash. Without the key yet, only a non-key owner clashes.
	if (owner.kind === 'api-key' && (key === undefined || owner.key === key)) return undefined;
	return owner;
}

function labelTaken(account: Account): UsageError {
	return new UsageError(`an account labelled ${JSON.stringify(account.label)} already exists; choose another --label`);
}

/**
 * Everything that would stop the save, checked before the key is sent to the provider: the label's shape, a
 * label another account holds, a file written by a newer tui, and (given the key, unless `checkWritable` is
 * false) a state folder that cannot be written. Checking that creates the folders, so screens leave it to the save.
 */
export async function checkBeforeValidating(
	home: string,
	provider: ProviderId,
	label: string | undefined,
	key?: string,
	options: {readonly checkWritable?: boolean} = {},
): Promise<void> {
	checkLabel(label);
	const file = await readAuthFile(home, provider);
	if (file.newerVersion !== undefined) throw newerFileError(authFilePath(home, provider), file.newerVersion);
	const clash = clashWith(file, label, key);
	if (clash) throw labelTaken(clash);
	if (key !== undefined && options.checkWritable !== false) await assertAuthWritable(home);
}

/** Stores a validated key (or makes its existing account active), under the auth file's lock. */
export async function saveApiKey(
	home: string,
	provider: ProviderId,
	input: {readonly key: string; readonly label?: string; readonly now: number},
): Promise<{account: Account; existed: boolean}> {
	return updateAuthFile<{account: Account; existed: boolean}>(home, provider, (file) => {
		const existing = file.accounts.find((a) => a.kind === 'api-key' && a.key === input.key);
		if (existing) return {file: setActive(file, existing.id), result: {account: existing, existed: true}};
		// Checked again under the lock: another process may have taken the label meanwhile.
		const clash = clashWith(file, input.label, input.key);
		if (clash) throw labelTaken(clash);
		const label = input.label ?? freeLabel(file.accounts, DEFAULT_KEY_LABEL);
		const added = addAccount(file, {kind: 'api-key', label, key: input.key}, {now: input.now, newId: newAccountId});
		return {file: added.file, result: {account: added.account, existed: false}};
	});
}
