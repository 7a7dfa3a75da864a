// Encrypted export and import of the accounts (both auth files) with a passphrase.
//
// File format (binary; everything before the ciphertext is the header, authenticated as AES-GCM's AAD):
//   0  magic "TUIAUTHX" (8)     8  format version (1)      9  KDF id (1 = scrypt)
//   10 log2(N) (1)              11 r (1)                   12 p (1)
//   13 salt (16, random)        29 nonce (12, random)      41 ciphertext length (u32 BE)
//   45 ciphertext               …  GCM tag (16)
// Key = scrypt(passphrase NFC UTF-8, salt, 32, {N, r, p}); cipher AES-256-GCM. The plaintext is JSON
// {format, version, exportedAt, providers: {openai?: AuthFile, claude?: AuthFile}}.
// Import decrypts and validates everything before any write; a wrong passphrase and a modified file look
// the same to GCM, so they share one message. A truncated file is told apart by the length in the header.
import {constants as fsConstants} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback} from 'node:crypto';
import {TuiError, UsageError} from '../core/errors.js';
import {checkShape, shape, type Infer} from '../core/shape.js';
import {
	authFileSchema,
	PROVIDER_IDS,
	PROVIDER_NAMES,
	type Account,
	type AuthFile,
	type ProviderId,
} from '../core/schemas.js';
import {readAuthFile, updateAuthFile} from './auth-file.js';
import {fsyncDir} from './secure-fs.js';

export const EXPORT_MAGIC = 'TUIAUTHX';
export const EXPORT_VERSION = 1;
const KDF_SCRYPT = 1;
/** N = 2^16 (64 MiB with r = 8), r = 8, p = 1. */
export const DEFAULT_LOG2_N = 16;
const MIN_LOG2_N = 15;
/** A crafted file must not make import allocate more than 2^18 × 8 × 128 = 256 MiB. */
const MAX_LOG2_N = 18;
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 8 + 5 + SALT_BYTES + NONCE_BYTES + 4;
const MAX_SCRYPT_MEMORY = 128 * 2 ** MAX_LOG2_N * 8;

export const MIN_PASSPHRASE_LENGTH = 8;

const payloadSchema = shape.object({
	format: shape.literal('tui-auth-accounts'),
	version: shape.literal(1),
	exportedAt: shape.string(),
	providers: shape.object({openai: shape.optional(authFileSchema), claude: shape.optional(authFileSchema)}),
});
export type ExportPayload = Infer<typeof payloadSchema>;

function scrypt(passphrase: string, salt: Buffer, log2N: number, r: number, p: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		scryptCallback(
			passphrase.normalize('NFC'),
			salt,
			32,
			{N: 2 ** log2N, r, p, maxmem: MAX_SCRYPT_MEMORY + 16 * 1024 * 1024},
			(error, key) => (error ? reject(error) : resolve(key)),
		);
	});
}

export type EncryptOptions = {readonly log2N?: number};

export async function encryptPayload(
	payload: ExportPayload,
	passphrase: string,
	options: EncryptOptions = {},
): Promise<Buffer> {
	const log2N = options.log2N ?? DEFAULT_LOG2_N;
	if (log2N < MIN_LOG2_N || log2N > MAX_LOG2_N) throw new Error(`log2N must be ${MIN_LOG2_N}-${MAX_LOG2_N}`);
	const r = 8;
	const p = 1;
	const salt = randomBytes(SALT_BYTES);
	const nonce = randomBytes(NONCE_BYTES);
	const plaintext = Buffer.from(JSON.stringify(payload), 'utf8');
	const header = Buffer.alloc(HEADER_BYTES);
	header.write(EXPORT_MAGIC, 0, 'ascii');
	header.writeUInt8(EXPORT_VERSION, 8);
	header.writeUInt8(KDF_SCRYPT, 9);
	header.writeUInt8(log2N, 10);
	header.writeUInt8(r, 11);
	header.writeUInt8(p, 12);
	salt.copy(header, 13);
	nonce.copy(header, 13 + SALT_BYTES);
	header.writeUInt32BE(plaintext.length, 13 + SALT_BYTES + NONCE_BYTES);
	const key = await scrypt(passphrase, salt, log2N, r, p);
	const cipher = createCipheriv('aes-256-gcm', key, nonce);
	cipher.setAAD(header);
	const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
	key.fill(0);
	plaintext.fill(0);
	return Buffer.concat([header, ciphertext, cipher.getAuthTag()]);
}

/** Decrypts and validates; every failure is one line naming `name` (the file), never any content. */
export async function decryptPayload(data: Buffer, passphrase: string, name = 'the file'): Promise<ExportPayload> {
	if (data.length < 8 || data.subarray(0, 8).toString('latin1') !== EXPORT_MAGIC)
		throw new TuiError(`${name} is not a tui account export`);
	if (data.length < HEADER_BYTES)
		throw new TuiError(`${name} is truncated (its header is incomplete); nothing was imported`);
	const version = data.readUInt8(8);
	if (version !== EXPORT_VERSION)
		throw new TuiError(
			`${name} is export format version ${version}, which this tui does not read (it reads ${EXPORT_VERSION}); nothing was imported`,
		);
	const kdf = data.readUInt8(9);
	const log2N = data.readUInt8(10);
	const r = data.readUInt8(11);
	const p = data.readUInt8(12);
	if (kdf !== KDF_SCRYPT || log2N < MIN_LOG2_N || log2N > MAX_LOG2_N || r < 1 || r > 8 || p < 1 || p > 4)
		throw new TuiError(`${name} has unsupported key-derivation parameters; nothing was imported`);
	const length = data.readUInt32BE(13 + SALT_BYTES + NONCE_BYTES);
	const expected = HEADER_BYTES + length + TAG_BYTES;
	if (data.length < expected)
		throw new TuiError(`${name} is truncated (${data.length} of ${expected} bytes); nothing was imported`);
	if (data.length > expected)
		throw new TuiError(
			`${name} has ${data.length - expected} unexpected trailing bytes (damaged?); nothing was imported`,
		);
	const header = data.subarray(0, HEADER_BYTES);
	const salt = data.subarray(13, 13 + SALT_BYTES);
	const nonce = data.subarray(13 + SALT_BYTES, 13 + SALT_BYTES + NONCE_BYTES);
	const ciphertext = data.subarray(HEADER_BYTES, HEADER_BYTES + length);
	const tag = data.subarray(HEADER_BYTES + length);
	const key = await scrypt(passphrase, Buffer.from(salt), log2N, r, p);
	let plaintext: Buffer;
	try {
		const decipher = createDecipheriv('aes-256-gcm', key, nonce);
		decipher.setAAD(header);
		decipher.setAuthTag(tag);
		plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
	} catch {
		throw new TuiError(`wrong passphrase, or ${name} was modified or damaged; nothing was imported`);
	} finally {
		key.fill(0);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(plaintext.toString('utf8'));
	} catch {
		throw new TuiError(`${name} decrypts but does not hold valid JSON; nothing was imported`);
	} finally {
		plaintext.fill(0);
	}
	const result = checkShape(payloadSchema, parsed);
	if (!result.success) {
		const issue = result.error.issues[0];
		throw new TuiError(
			`${name} decrypts but has the wrong shape (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}); nothing was imported`.slice(
				0,
				300,
			),
		);
	}
	return result.data;
}

/** Refuses a symlink or non-file in the way, and an existing file without `force`. Call before asking for a passphrase. */
export async function checkExportTarget(file: string, force: boolean): Promise<void> {
	const stat = await fs.lstat(file).catch((error: NodeJS.ErrnoException) => {
		if (error.code === 'ENOENT') return undefined;
		throw error;
	});
	if (!stat) {
		const dir = await fs.stat(path.dirname(path.resolve(file))).catch(() => undefined);
		if (!dir?.isDirectory()) throw new UsageError(`cannot write ${file}: its folder does not exist`);
		return;
	}
	if (stat.isSymbolicLink()) throw new UsageError(`${file} is a symlink; refusing to write through it`);
	if (!stat.isFile()) throw new UsageError(`${file} exists and is not a regular file`);
	if (!force) throw new UsageError(`${file} already exists; use --force to overwrite it`);
}

/** 0600 temp in the same folder, fsync, then link (no overwrite) or rename (--force), then fsync the folder. */
async function writeExportFile(file: string, data: Buffer, force: boolean): Promise<void> {
	const target = path.resolve(file);
	const dir = path.dirname(target);
	const temp = path.join(dir, `.${path.basename(target)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
	const handle = await fs.open(
		temp,
		fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW,
		0o600,
	);
	try {
		try {
			await handle.chmod(0o600);
			await handle.writeFile(data);
			await handle.sync();
		} finally {
			await handle.close();
		}
		if (force) {
			await checkExportTarget(target, true);
			await fs.rename(temp, target);
		} else {
			// link() fails if the name appeared meanwhile: never overwrite without --force.
			await fs.link(temp, target).catch((error: NodeJS.ErrnoException) => {
				if (error.code === 'EEXIST') throw new UsageError(`${file} already exists; use --force to overwrite it`);
				throw error;
			});
		}
	} finally {
		await fs.rm(temp, {force: true}).catch(() => {});
	}
	await fsyncDir(dir);
}

export type ExportSummary = {readonly counts: Readonly<Record<ProviderId, number>>};

/** Reads both auth files (a corrupt one fails the export) and writes the encrypted file. */
export async function exportAccounts(
	home: string,
	file: string,
	passphrase: string,
	options: {readonly force?: boolean; readonly now?: number; readonly log2N?: number} = {},
): Promise<ExportSummary> {
	const providers: Partial<Record<ProviderId, AuthFile>> = {};
	const counts = {openai: 0, claude: 0} as Record<ProviderId, number>;
	for (const provider of PROVIDER_IDS) {
		const auth = await readAuthFile(home, provider);
		counts[provider] = auth.accounts.length;
		if (auth.accounts.length > 0) providers[provider] = auth;
	}
	if (counts.openai + counts.claude === 0) throw new TuiError(`no accounts to export under ${home}`);
	const payload: ExportPayload = {
		format: 'tui-auth-accounts',
		version: 1,
		exportedAt: new Date(options.now ?? Date.now()).toISOString(),
		providers,
	};
	const data = await encryptPayload(payload, passphrase, options.log2N === undefined ? {} : {log2N: options.log2N});
	await writeExportFile(file, data, Boolean(options.force));
	return {counts};
}

export type ImportedAccount = {
	readonly provider: ProviderId;
	readonly label: string;
	readonly renamedFrom?: string;
	readonly newId?: boolean;
};

export type ImportReport = {
	readonly added: readonly ImportedAccount[];
	/** Accounts already present (same id, same content): left as they are. */
	readonly skipped: ReadonlyArray<{readonly provider: ProviderId; readonly label: string}>;
};

// Accounts compared without lastUsedAt, which changes with use.
const comparable = (account: Account) => JSON.stringify({...account, lastUsedAt: undefined});

/** "work" → "work-2", "work-3", …: the first label free in `taken` (lower-cased), within the 64-character limit. */
export function freeImportLabel(label: string, taken: ReadonlySet<string>): string {
	if (!taken.has(label.toLowerCase())) return label;
	for (let n = 2; ; n++) {
		const suffix = `-${n}`;
		const candidate = `${label.slice(0, 64 - suffix.length)}${suffix}`;
		if (!taken.has(candidate.toLowerCase())) return candidate;
	}
}

/** Pure merge: incoming accounts appended; label clashes renamed, id clashes re-id'd; active kept unless there was none. */
export function mergeImported(
	target: AuthFile,
	incoming: AuthFile,
	provider: ProviderId,
	newId: () => string,
): {file: AuthFile; report: ImportReport} {
	const accounts = [...target.accounts];
	const ids = new Set(accounts.map((a) => a.id));
	const labels = new Set(accounts.map((a) => a.label.toLowerCase()));
	const idMap = new Map<string, string>();
	const added: ImportedAccount[] = [];
	const skipped: Array<{provider: ProviderId; label: string}> = [];
	for (const account of incoming.accounts) {
		const same = target.accounts.find((a) => a.id === account.id && comparable(a) === comparable(account));
		if (same) {
			idMap.set(account.id, same.id);
			skipped.push({provider, label: same.label});
			continue;
		}
		let id = account.id;
		for (let tries = 0; ids.has(id); tries++) {
			if (tries >= 10) throw new Error('newId keeps returning ids that exist');
			id = newId();
		}
		const label = freeImportLabel(account.label, labels);
		ids.add(id);
		labels.add(label.toLowerCase());
		idMap.set(account.id, id);
		accounts.push({...account, id, label});
		added.push({
			provider,
			label,
			...(label !== account.label ? {renamedFrom: account.label} : {}),
			...(id !== account.id ? {newId: true} : {}),
		});
	}
	const importedActive = incoming.active === null ? null : (idMap.get(incoming.active) ?? null);
	const active = target.active ?? importedActive;
	return {file: {...target, active, accounts}, report: {added, skipped}};
}

/** Decrypts, validates, then merges provider by provider under each auth file's lock. */
export async function importAccounts(
	home: string,
	file: string,
	passphrase: string,
	options: {readonly newId: () => string},
): Promise<ImportReport> {
	let data: Buffer;
	try {
		data = await fs.readFile(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new TuiError(code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file} (${code ?? 'error'})`);
	}
	const payload = await decryptPayload(data, passphrase, file);
	// Dry run against the current files first: a target file that cannot be read stops the import before any write.
	for (const provider of PROVIDER_IDS) {
		const incoming = payload.providers[provider];
		if (incoming) mergeImported(await readAuthFile(home, provider), incoming, provider, options.newId);
	}
	const added: ImportedAccount[] = [];
	const skipped: Array<{provider: ProviderId; label: string}> = [];
	for (const provider of PROVIDER_IDS) {
		const incoming = payload.providers[provider];
		if (!incoming || incoming.accounts.length === 0) continue;
		const report = await updateAuthFile(home, provider, (current) => {
			const merged = mergeImported(current, incoming, provider, options.newId);
			return {file: merged.file, result: merged.report};
		});
		added.push(...report.added);
		skipped.push(...report.skipped);
	}
	return {added, skipped};
}

export function describeImport(report: ImportReport): string[] {
	const lines: string[] = [];
	for (const a of report.added)
		lines.push(
			`${PROVIDER_NAMES[a.provider]} ${JSON.stringify(a.label)}${a.renamedFrom ? ` (renamed from ${JSON.stringify(a.renamedFrom)}: that label was taken)` : ''}${a.newId && !a.renamedFrom ? ' (given a new id)' : ''}`,
		);
	return lines;
}
