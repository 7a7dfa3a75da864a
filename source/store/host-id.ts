// This machine's ChatGPT host id (ext_agent_host_id) and the issued client of a sign-in still in progress.
// Neither is a secret, but both sit 0600 beside the auth files. The host id is made once per state folder and
// never replaced: not by a sign-in, a sign-out, a rotate or an import (a VM keeps its own).
import {randomUUID} from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {TuiError} from '../core/errors.js';
import {authDir} from './auth-file.js';
import {ensurePrivateDir, readPrivateFile, writeFileAtomic} from './secure-fs.js';

const HOST_ID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function hostIdPath(home: string): string {
	return path.join(authDir(home), 'host-id.json');
}

export function pendingClientPath(home: string): string {
	return path.join(authDir(home), 'openai-pending.json');
}

function parseHostId(text: string, file: string): string {
	try {
		const value = (JSON.parse(text) as {hostId?: unknown}).hostId;
		if (typeof value === 'string' && HOST_ID.test(value)) return value;
	} catch {
		// Reported below.
	}
	throw new TuiError(`${file} does not hold a host id; move it aside and sign in again`);
}

/** The host id, created on first use. Two processes creating it at once end with the same one (link is exclusive). */
export async function ensureHostId(home: string): Promise<string> {
	const file = hostIdPath(home);
	const existing = await readPrivateFile(file);
	if (existing !== undefined) return parseHostId(existing, file);
	await ensurePrivateDir(home, {followSymlink: true});
	await ensurePrivateDir(authDir(home));
	const temp = `${file}.new-${process.pid}-${randomUUID()}`;
	await fs.writeFile(temp, `${JSON.stringify({version: 1, hostId: `urn:uuid:${randomUUID()}`})}\n`, {
		mode: 0o600,
		flag: 'wx',
	});
	try {
		await fs.link(temp, file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
	} finally {
		await fs.rm(temp, {force: true});
	}
	return parseHostId((await readPrivateFile(file)) ?? '', file);
}

/** The host id if one was made; never creates it. */
export async function readHostId(home: string): Promise<string | undefined> {
	const file = hostIdPath(home);
	const text = await readPrivateFile(file);
	return text === undefined ? undefined : parseHostId(text, file);
}

export type PendingClient = {readonly issuer: string; readonly clientId: string; readonly createdAt: number};

/**
 * Kept before the code exchange, so a failed exchange does not lose the registration: the next first sign-in
 * against the same issuer re-authorizes with this client instead of registering the app again.
 */
export async function savePendingClient(home: string, pending: PendingClient): Promise<void> {
	await ensurePrivateDir(home, {followSymlink: true});
	await ensurePrivateDir(authDir(home));
	await writeFileAtomic(pendingClientPath(home), `${JSON.stringify({version: 1, ...pending})}\n`);
}

export async function readPendingClient(home: string, issuer: string): Promise<PendingClient | undefined> {
	const text = await readPrivateFile(pendingClientPath(home)).catch(() => undefined);
	if (text === undefined) return undefined;
	try {
		const value = JSON.parse(text) as Partial<PendingClient>;
		if (
			value.issuer !== issuer ||
			typeof value.clientId !== 'string' ||
			!/^[A-Za-z0-9_-]{1,200}$/.test(value.clientId) ||
			typeof value.createdAt !== 'number'
		)
			return undefined;
		return {issuer: value.issuer, clientId: value.clientId, createdAt: value.createdAt};
	} catch {
		return undefined;
	}
}

export async function clearPendingClient(home: string, clientId: string): Promise<void> {
	const text = await readPrivateFile(pendingClientPath(home)).catch(() => undefined);
	if (text?.includes(JSON.stringify(clientId))) await fs.rm(pendingClientPath(home), {force: true});
}

/** A registration kept after sign-out: the account → issued client mapping, so signing in again does not register anew. */
export type KeptClient = {
	readonly issuer: string;
	readonly clientId: string;
	readonly subject: string;
	readonly label: string;
	readonly email?: string;
};

export function keptClientsPath(home: string): string {
	return path.join(authDir(home), 'openai-clients.json');
}

export async function readKeptClients(home: string): Promise<KeptClient[]> {
	const text = await readPrivateFile(keptClientsPath(home)).catch(() => undefined);
	if (text === undefined) return [];
	try {
		const list = (JSON.parse(text) as {clients?: unknown}).clients;
		return Array.isArray(list)
			? (list as KeptClient[]).filter(
					(c) =>
						c &&
						typeof c.issuer === 'string' &&
						typeof c.clientId === 'string' &&
						/^[A-Za-z0-9_-]{1,200}$/.test(c.clientId) &&
						typeof c.subject === 'string' &&
						typeof c.label === 'string',
				)
			: [];
	} catch {
		return [];
	}
}

/** Records (or replaces, by issuer and subject and client) a kept registration. */
export async function keepClient(home: string, client: KeptClient): Promise<void> {
	const others = (await readKeptClients(home)).filter(
		(c) => !(c.issuer === client.issuer && c.clientId === client.clientId && c.subject === client.subject),
	);
	await ensurePrivateDir(home, {followSymlink: true});
	await ensurePrivateDir(authDir(home));
	await writeFileAtomic(
		keptClientsPath(home),
		`${JSON.stringify({version: 1, clients: [...others, client]}, null, '\t')}\n`,
	);
}
