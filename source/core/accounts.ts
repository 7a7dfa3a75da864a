// Pure operations on an auth file's accounts. Every function returns a new object and never mutates its input.
import {UsageError} from './errors.js';
import {LABEL_PATTERN, type Account, type AuthFile} from './schemas.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An account as a login produces it; `id`, `createdAt` and `lastUsedAt` are filled in by addAccount. */
export type NewAccountInput = DistributiveOmit<Account, 'id' | 'createdAt' | 'lastUsedAt'>;

export type AddAccountDeps = {
	readonly now: number | Date;
	/** A fresh id; called again if it collides with an existing one. */
	readonly newId: () => string;
};

const iso = (now: number | Date) => new Date(now).toISOString();

// Labels are user input: quote them with JSON escapes so that control characters cannot reach a terminal.
const quote = (label: string) => JSON.stringify(label);

function labelTaken(file: AuthFile, label: string, exceptId?: string): Account | undefined {
	const wanted = label.toLowerCase();
	return file.accounts.find((account) => account.id !== exceptId && account.label.toLowerCase() === wanted);
}

function checkLabel(label: string): void {
	if (!LABEL_PATTERN.test(label))
		throw new UsageError(
			`invalid label ${quote(label)}: use 1-64 letters, digits, space, . _ @ + -, starting with a letter or digit`,
		);
}

function describeChoices(file: AuthFile): string {
	return file.accounts.length === 0
		? 'there are no accounts'
		: `accounts: ${file.accounts.map((a) => a.label).join(', ')}`;
}

/** By exact id first, then by label (case-insensitive). */
/** `base`, else "base-2", "base-3", …: the first label no account uses (case-insensitively). The one label rule. */
export function freeLabel(accounts: ReadonlyArray<{readonly label: string}>, base: string): string {
	const taken = new Set(accounts.map((a) => a.label.toLowerCase()));
	if (!taken.has(base.toLowerCase())) return base;
	for (let n = 2; ; n++) {
		const candidate = `${base.slice(0, 60)}-${n}`;
		if (!taken.has(candidate.toLowerCase())) return candidate;
	}
}

export function findAccount(file: AuthFile, idOrLabel: string): Account | undefined {
	const wanted = idOrLabel.toLowerCase();
	return file.accounts.find((a) => a.id === idOrLabel) ?? file.accounts.find((a) => a.label.toLowerCase() === wanted);
}

function mustFind(file: AuthFile, idOrLabel: string): Account {
	const account = findAccount(file, idOrLabel);
	if (!account) throw new UsageError(`no account ${quote(idOrLabel)} (${describeChoices(file)})`);
	return account;
}

/** The active account, if any. */
export function activeAccount(file: AuthFile): Account | undefined {
	return file.active === null ? undefined : file.accounts.find((a) => a.id === file.active);
}

/** Adds an account and makes it active. A label already used (case-insensitively) is refused. */
export function addAccount(
	file: AuthFile,
	input: NewAccountInput,
	deps: AddAccountDeps,
): {file: AuthFile; account: Account} {
	checkLabel(input.label);
	const clash = labelTaken(file, input.label);
	if (clash) throw new UsageError(`an account labelled ${quote(clash.label)} already exists; choose another label`);
	let id = deps.newId();
	for (let tries = 0; file.accounts.some((a) => a.id === id); tries++) {
		if (tries >= 10) throw new Error('newId keeps returning ids that exist');
		id = deps.newId();
	}
	const account = {...input, id, createdAt: iso(deps.now)} as Account;
	return {file: {...file, active: id, accounts: [...file.accounts, account]}, account};
}

/** Removes an account. If it was active, the next one (or else the previous one) becomes active, or none. */
export function removeAccount(file: AuthFile, idOrLabel: string): {file: AuthFile; removed: Account} {
	const removed = mustFind(file, idOrLabel);
	const index = file.accounts.indexOf(removed);
	const accounts = file.accounts.filter((a) => a !== removed);
	let active = file.active;
	if (active === removed.id) active = (accounts[index] ?? accounts[index - 1])?.id ?? null;
	return {file: {...file, active, accounts}, removed};
}

export function setActive(file: AuthFile, idOrLabel: string): AuthFile {
	const account = mustFind(file, idOrLabel);
	return {...file, active: account.id};
}

/** Renames an account; a label used by another account (case-insensitively) is refused. */
export function renameAccount(file: AuthFile, idOrLabel: string, newLabel: string): AuthFile {
	const account = mustFind(file, idOrLabel);
	checkLabel(newLabel);
	const clash = labelTaken(file, newLabel, account.id);
	if (clash) throw new UsageError(`an account labelled ${quote(clash.label)} already exists; choose another label`);
	return {...file, accounts: file.accounts.map((a) => (a.id === account.id ? {...a, label: newLabel} : a))};
}

/** Replaces the account with the same id (e.g. after a token refresh or a key rotation). */
export function replaceAccount(file: AuthFile, account: Account): AuthFile {
	if (!file.accounts.some((a) => a.id === account.id))
		throw new UsageError(`no account with id ${quote(account.id)} (${describeChoices(file)})`);
	checkLabel(account.label);
	const clash = labelTaken(file, account.label, account.id);
	if (clash) throw new UsageError(`an account labelled ${quote(clash.label)} already exists; choose another label`);
	return {...file, accounts: file.accounts.map((a) => (a.id === account.id ? account : a))};
}

/** Stamps lastUsedAt. An id that no longer exists (removed meanwhile) leaves the file as it is. */
export function markUsed(file: AuthFile, id: string, now: number | Date): AuthFile {
	if (!file.accounts.some((a) => a.id === id)) return file;
	const lastUsedAt = iso(now);
	return {...file, accounts: file.accounts.map((a) => (a.id === id ? {...a, lastUsedAt} : a))};
}
