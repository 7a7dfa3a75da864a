// The OS keyring as the home of the secrets (`tui auth storage keyring`): Secret Service on Linux, Keychain
// on macOS, Credential Manager on Windows, through @napi-rs/keyring. In keyring mode each secret string of an
// auth file is replaced by a reference `keyring:v1:<provider>/<accountId>/<field>`; the secret itself is the
// keyring entry (service "tui-auth", account "<home namespace>/<provider>/<accountId>/<field>").
// Loaded only when a reference is present or the storage is keyring: file mode never loads the native binding.
import {createHash, randomBytes} from 'node:crypto';
import {realpathSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {TuiError} from '../core/errors.js';
import {PROVIDER_IDS, PROVIDER_NAMES, type Account, type AuthFile, type ProviderId} from '../core/schemas.js';
import {safeLine} from '../core/text.js';
import {authFilePath, parseAuthFile, readAuthFile, withAuthFileLock, writeAuthFileLocked} from './auth-file.js';
import {KEYRING_REF_PREFIX, isKeyringRef, withStorageMode} from './keyring-seal.js';
import {readPreferences, updatePreferences} from './preferences.js';
import {readPrivateFile} from './secure-fs.js';

export {KEYRING_REF_PREFIX, isKeyringRef} from './keyring-seal.js';

export const KEYRING_PACKAGE = '@napi-rs/keyring';
export const KEYRING_SERVICE = 'tui-auth';
/** A keyring that prompts (locked collection) must not hang a command forever. */
const KEYRING_CALL_TIMEOUT_MS = 30_000;

export type SecretField = 'access' | 'refresh' | 'idToken' | 'key';

type AsyncEntryLike = {
	setPassword(password: string, signal?: AbortSignal): Promise<void>;
	getPassword(signal?: AbortSignal): Promise<string | null>;
	deletePassword(signal?: AbortSignal): Promise<boolean>;
};
type Binding = {
	AsyncEntry: new (service: string, account: string, options?: unknown) => AsyncEntryLike;
	findCredentialsAsync(
		service: string,
		target?: string | null,
		signal?: AbortSignal,
	): Promise<Array<{account: string; password: string}>>;
};

let binding: Binding | undefined;

// createRequire, not import(): the CLI bundle must not try to inline a native module.
function loadBinding(): Binding {
	if (binding) return binding;
	try {
		binding = createRequire(import.meta.url)(KEYRING_PACKAGE) as Binding;
	} catch {
		throw new TuiError(`the ${KEYRING_PACKAGE} binding cannot be loaded here`);
	}
	return binding;
}

// On Linux the binding falls back to the kernel keyring (keyutils), which is gone after a reboot: pinning the
// Secret Service means a secret is only ever moved to a store that keeps it.
const ENTRY_OPTIONS = process.platform === 'linux' ? {linux: {store: 'secret-service'}} : undefined;

/** Per home, so two homes never share entries: a hash of the home's real path. */
export function homeNamespace(home: string): string {
	let real = path.resolve(home);
	try {
		real = realpathSync(real);
	} catch {
		// A home that does not exist yet has no entries either; its resolved path is as good.
	}
	return createHash('sha256').update(real).digest('hex').slice(0, 16);
}

export function keyringRef(provider: ProviderId, accountId: string, field: SecretField): string {
	return `${KEYRING_REF_PREFIX}${provider}/${encodeURIComponent(accountId)}/${field}`;
}

function entryAccount(home: string, ref: string): string {
	return `${homeNamespace(home)}/${ref.slice(KEYRING_REF_PREFIX.length)}`;
}

function entry(home: string, ref: string): AsyncEntryLike {
	return new (loadBinding().AsyncEntry)(KEYRING_SERVICE, entryAccount(home, ref), ENTRY_OPTIONS);
}

const timeout = () => AbortSignal.timeout(KEYRING_CALL_TIMEOUT_MS);

/** The binding's message, one line, with no secret (it never quotes one). */
function why(error: unknown): string {
	if (error instanceof TuiError) return error.message;
	const message = error instanceof Error ? error.message : String(error);
	return safeLine(message.replace(/\s+/g, ' '), 160) || 'unknown error';
}

export async function getSecret(home: string, ref: string): Promise<string | null> {
	return entry(home, ref).getPassword(timeout());
}

export async function setSecret(home: string, ref: string, value: string): Promise<void> {
	await entry(home, ref).setPassword(value, timeout());
}

export async function deleteSecret(home: string, ref: string): Promise<boolean> {
	return entry(home, ref).deletePassword(timeout());
}

export type KeyringProbe = {readonly ok: true} | {readonly ok: false; readonly reason: string};

/** Whether a keyring service answers here: sets, reads back and deletes a random probe entry. */
export async function probeKeyring(home: string): Promise<KeyringProbe> {
	const ref = `${KEYRING_REF_PREFIX}probe/${randomBytes(8).toString('hex')}`;
	const value = randomBytes(16).toString('base64url');
	try {
		await setSecret(home, ref, value);
		const back = await getSecret(home, ref);
		await deleteSecret(home, ref);
		if (back !== value) return {ok: false, reason: 'the keyring did not return what was stored'};
		return {ok: true};
	} catch (error) {
		// The binding's own words for this case name X11 autolaunch; the cause a user can act on is the bus.
		if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS && !(error instanceof TuiError))
			return {ok: false, reason: 'no Secret Service: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)'};
		return {ok: false, reason: why(error)};
	}
}

type Slot = {readonly account: Account; readonly field: SecretField; readonly value: string};

/** Every secret string of a file, with where it sits. */
export function secretSlots(file: AuthFile): Slot[] {
	const slots: Slot[] = [];
	for (const account of file.accounts) {
		if (account.kind === 'api-key') slots.push({account, field: 'key', value: account.key});
		if (account.kind === 'oauth') {
			slots.push({account, field: 'access', value: account.tokens.access});
			if (account.tokens.refresh) slots.push({account, field: 'refresh', value: account.tokens.refresh});
			if (account.tokens.idToken) slots.push({account, field: 'idToken', value: account.tokens.idToken});
		}
	}
	return slots;
}

function withSecret(account: Account, field: SecretField, value: string): Account {
	if (account.kind === 'api-key' && field === 'key') return {...account, key: value};
	if (account.kind === 'oauth' && field !== 'key') return {...account, tokens: {...account.tokens, [field]: value}};
	return account;
}

function mapSecrets(file: AuthFile, replace: (slot: Slot) => string): AuthFile {
	const accounts = file.accounts.map((account) => {
		let next = account;
		for (const slot of secretSlots({...file, accounts: [account]})) next = withSecret(next, slot.field, replace(slot));
		return next;
	});
	return {...file, accounts};
}

export function refsIn(file: AuthFile): Set<string> {
	return new Set(
		secretSlots(file)
			.filter((s) => isKeyringRef(s.value))
			.map((s) => s.value),
	);
}

function locate(file: string): {home: string; provider: ProviderId} {
	const provider = path.basename(file, '.json') as ProviderId;
	if (!(PROVIDER_IDS as readonly string[]).includes(provider)) throw new Error(`not an auth file: ${file}`);
	return {home: path.dirname(path.dirname(file)), provider};
}

/**
 * Puts the secrets back in place of their references. A missing entry marks its account as needing a new
 * login (the reference stays, so nothing is invented); a keyring that cannot be read is a one-line error.
 */
export async function unsealAuthFile(file: string, data: AuthFile): Promise<AuthFile> {
	const {home, provider} = locate(file);
	const values = new Map<string, string | null>();
	try {
		for (const ref of refsIn(data)) values.set(ref, await getSecret(home, ref));
	} catch (error) {
		throw new TuiError(`cannot read the ${PROVIDER_NAMES[provider]} secrets from the OS keyring (${why(error)})`);
	}
	const missing = new Set<string>();
	const out = mapSecrets(data, (slot) => {
		if (!isKeyringRef(slot.value)) return slot.value;
		const value = values.get(slot.value);
		if (typeof value === 'string' && value.length > 0) return value;
		missing.add(slot.account.id);
		return slot.value;
	});
	if (missing.size === 0) return out;
	const hint = `its secret is missing from the OS keyring; log in again: tui auth login --provider ${provider}`;
	return {
		...out,
		accounts: out.accounts.map((a) =>
			missing.has(a.id) && a.kind !== 'delegated' ? {...a, needsLogin: a.needsLogin ?? hint} : a,
		),
	};
}

export type Sealed = {readonly data: AuthFile; readonly after: () => Promise<void>};

async function refsOnDisk(file: string): Promise<Set<string>> {
	const text = await readPrivateFile(file).catch(() => undefined);
	if (text === undefined || !text.includes(KEYRING_REF_PREFIX)) return new Set();
	const parsed = parseAuthFile(text);
	return parsed.ok ? refsIn(parsed.file) : new Set();
}

/**
 * Runs under the auth-file lock, before the file is written. In keyring mode each plaintext secret goes to its
 * entry first (read back to verify), and the file gets the reference; `after` (once the file is on disk) drops
 * entries the file no longer references (a removed account, a dropped token). In file mode secrets stay in the
 * data, and `after` drops the entries of references the old file had. Either way a secret is always somewhere.
 */
export async function sealAuthFile(file: string, data: AuthFile, mode: 'file' | 'keyring'): Promise<Sealed> {
	const {home, provider} = locate(file);
	const before = await refsOnDisk(file);
	let sealed = data;
	if (mode === 'keyring') {
		const pending: Array<{ref: string; value: string}> = [];
		sealed = mapSecrets(data, (slot) => {
			if (isKeyringRef(slot.value)) return slot.value;
			const ref = keyringRef(provider, slot.account.id, slot.field);
			pending.push({ref, value: slot.value});
			return ref;
		});
		try {
			for (const {ref, value} of pending) {
				if ((await getSecret(home, ref)) !== value) await setSecret(home, ref, value);
				if ((await getSecret(home, ref)) !== value)
					throw new TuiError('a secret read back from the OS keyring differs from what was stored');
			}
		} catch (error) {
			throw new TuiError(
				`cannot store the ${PROVIDER_NAMES[provider]} secrets in the OS keyring (${why(error)}); the auth file was not changed`,
			);
		}
	}
	const after = async (): Promise<void> => {
		if (before.size === 0) return;
		// Verify first: the file on disk must hold exactly what was written, or no entry is deleted.
		const text = await readPrivateFile(file).catch(() => undefined);
		const written = text === undefined ? undefined : parseAuthFile(text);
		if (!written?.ok || !sameSecrets(written.file, sealed)) return;
		const now = refsIn(written.file);
		for (const ref of before) {
			if (now.has(ref)) continue;
			await deleteSecret(home, ref).catch(() => false);
		}
	};
	return {data: sealed, after};
}

export type MoveResult = {readonly secrets: number; readonly accounts: number; readonly missing: number};

async function hasRefsOnDisk(home: string): Promise<boolean> {
	for (const provider of PROVIDER_IDS) if ((await refsOnDisk(authFilePath(home, provider))).size > 0) return true;
	return false;
}

async function underBothLocks<T>(home: string, fn: () => Promise<T>): Promise<T> {
	const [first, second] = PROVIDER_IDS;
	return withAuthFileLock(home, first, () => withAuthFileLock(home, second, fn));
}

function sameSecrets(a: AuthFile, b: AuthFile): boolean {
	return (
		JSON.stringify(secretSlots(a).map((s) => [s.account.id, s.field, s.value])) ===
		JSON.stringify(secretSlots(b).map((s) => [s.account.id, s.field, s.value]))
	);
}

/**
 * `tui auth storage keyring`: probe first (nothing moves if no keyring answers); then, under both auth-file
 * locks, each file's secrets go to the keyring (each read back), the file is rewritten with references and
 * checked, and only then preferences.storage becomes "keyring".
 */
export async function moveSecretsToKeyring(home: string): Promise<MoveResult> {
	const probe = await probeKeyring(home);
	if (!probe.ok) throw new TuiError(`no OS keyring available (${probe.reason}); secrets stay in the auth files`);
	return underBothLocks(home, async () => {
		let secrets = 0;
		let accounts = 0;
		for (const provider of PROVIDER_IDS) {
			if ((await readPrivateFile(authFilePath(home, provider))) === undefined) continue;
			const plain = await readAuthFile(home, provider);
			const slots = secretSlots(plain).filter((s) => !isKeyringRef(s.value));
			if (slots.length === 0) continue;
			await withStorageMode('keyring', () => writeAuthFileLocked(home, provider, plain));
			const text = (await readPrivateFile(authFilePath(home, provider))) ?? '';
			if (slots.some((s) => text.includes(s.value)))
				throw new TuiError(
					`the ${PROVIDER_NAMES[provider]} auth file still holds a secret after the move; storage stays as it was`,
				);
			if (!sameSecrets(await readAuthFile(home, provider), plain))
				throw new TuiError(
					`the ${PROVIDER_NAMES[provider]} secrets read back from the OS keyring differ; storage stays as it was`,
				);
			secrets += slots.length;
			accounts += new Set(slots.map((s) => s.account.id)).size;
		}
		await updatePreferences(home, (prefs) => ({...prefs, storage: 'keyring'}));
		return {secrets, accounts, missing: 0};
	});
}

/**
 * `tui auth storage file`: under both auth-file locks, each secret is read from the keyring, the file is
 * written with it and checked, and only then its keyring entries are deleted; preferences.storage becomes
 * "file". With storage already "file" and no reference in any file this never loads the binding.
 */
export async function moveSecretsToFile(home: string): Promise<MoveResult> {
	return underBothLocks(home, async () => {
		let secrets = 0;
		let accounts = 0;
		let missing = 0;
		for (const provider of PROVIDER_IDS) {
			const file = authFilePath(home, provider);
			const refs = await refsOnDisk(file);
			if (refs.size === 0) continue;
			const plain = await readAuthFile(home, provider);
			const slots = secretSlots(plain);
			missing += slots.filter((s) => isKeyringRef(s.value)).length;
			await withStorageMode('file', () => writeAuthFileLocked(home, provider, plain));
			const parsed = parseAuthFile((await readPrivateFile(file)) ?? '');
			if (!parsed.ok || !sameSecrets(parsed.file, plain))
				throw new TuiError(
					`the ${PROVIDER_NAMES[provider]} auth file did not read back as written; the keyring entries are kept`,
				);
			secrets += slots.filter((s) => !isKeyringRef(s.value)).length;
			accounts += new Set(slots.map((s) => s.account.id)).size;
		}
		if ((await readPreferences(home)).storage !== 'file')
			await updatePreferences(home, (prefs) => ({...prefs, storage: 'file'}));
		return {secrets, accounts, missing};
	});
}

/** Whether moving to "file" has anything to do (without loading the binding). */
export async function keyringInUse(home: string): Promise<boolean> {
	return (
		(await hasRefsOnDisk(home)) ||
		(await readPreferences(home)
			.then((p) => p.storage === 'keyring')
			.catch(() => false))
	);
}

/**
 * For `tui reset`: deletes this home's keyring entries, those the auth files reference and any other left under
 * its namespace. Best effort; returns how many were deleted. Does nothing (no binding) when the keyring is unused.
 */
export async function forgetKeyringSecrets(home: string): Promise<number> {
	if (!(await keyringInUse(home))) return 0;
	let deleted = 0;
	for (const provider of PROVIDER_IDS) {
		for (const ref of await refsOnDisk(authFilePath(home, provider)))
			if (await deleteSecret(home, ref).catch(() => false)) deleted++;
	}
	const prefix = `${homeNamespace(home)}/`;
	const left = await loadBinding()
		.findCredentialsAsync(KEYRING_SERVICE, null, timeout())
		.catch(() => []);
	for (const {account} of left) {
		if (!account.startsWith(prefix)) continue;
		if (await deleteSecret(home, `${KEYRING_REF_PREFIX}${account.slice(prefix.length)}`).catch(() => false)) deleted++;
	}
	return deleted;
}
