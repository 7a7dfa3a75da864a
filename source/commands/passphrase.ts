// Passphrases for `auth export` / `auth import`: typed at the terminal without echo, or read from a file
// descriptor the caller opened (`--passphrase-fd N`), never from argv or the environment.
import fs from 'node:fs';
import net from 'node:net';
import {TuiError, UsageError} from '../core/errors.js';
import {MIN_PASSPHRASE_LENGTH} from '../store/export-import.js';
import type {CommandContext} from '../app/context.js';
import {readSecret} from './read-secret.js';

const MAX_PASSPHRASE_BYTES = 4096;

export function parseFd(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	if (!/^\d{1,6}$/.test(value)) throw new UsageError(`--passphrase-fd must be a file descriptor number, e.g. 3`);
	return Number(value);
}

function trimNewline(text: string): string {
	return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** All of fd `fd` (a file, pipe or socket), minus one trailing newline. */
async function readFd(ctx: CommandContext, fd: number): Promise<string> {
	if (fd === 0) {
		if (ctx.stdin.isTTY)
			throw new UsageError(
				'--passphrase-fd 0 needs the passphrase piped to stdin; at a terminal, leave the flag out to type it',
			);
		const chunks: Buffer[] = [];
		for await (const chunk of ctx.stdin.iterator({destroyOnReturn: false})) chunks.push(Buffer.from(chunk as Buffer));
		return trimNewline(Buffer.concat(chunks).toString('utf8'));
	}
	let stat: fs.Stats;
	try {
		stat = fs.fstatSync(fd);
	} catch {
		throw new UsageError(`--passphrase-fd ${fd}: that file descriptor is not open`);
	}
	if (stat.isFile()) return trimNewline(fs.readFileSync(fd, 'utf8'));
	if (!stat.isFIFO() && !stat.isSocket())
		throw new UsageError(`--passphrase-fd ${fd} is not an open file, pipe or socket`);
	// Pipes and sockets: read as a stream until the writer closes it.
	return new Promise<string>((resolve, reject) => {
		const socket = new net.Socket({fd, readable: true, writable: false});
		const chunks: Buffer[] = [];
		let size = 0;
		const onAbort = () => {
			socket.destroy();
			reject(new TuiError('cancelled'));
		};
		ctx.signal.addEventListener('abort', onAbort, {once: true});
		socket.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_PASSPHRASE_BYTES) {
				socket.destroy();
				reject(
					new UsageError(
						`--passphrase-fd ${fd} holds more than ${MAX_PASSPHRASE_BYTES} bytes; give the passphrase alone`,
					),
				);
			} else chunks.push(chunk);
		});
		socket.on('error', (error) =>
			reject(new TuiError(`cannot read --passphrase-fd ${fd} (${(error as NodeJS.ErrnoException).code ?? 'error'})`)),
		);
		socket.on('end', () => {
			ctx.signal.removeEventListener('abort', onAbort);
			socket.destroy();
			resolve(trimNewline(Buffer.concat(chunks).toString('utf8')));
		});
	});
}

export type PassphraseOptions = {
	readonly fd?: number;
	/** Export: ask twice at the terminal, and enforce the minimum length. */
	readonly confirm?: boolean;
	readonly command: string;
};

export async function readPassphrase(ctx: CommandContext, options: PassphraseOptions): Promise<string> {
	let passphrase: string;
	if (options.fd !== undefined) {
		passphrase = await readFd(ctx, options.fd);
	} else {
		if (!ctx.stdin.isTTY)
			throw new UsageError(
				`stdin is not a terminal: give --passphrase-fd N (e.g. \`${options.command} --passphrase-fd 3 3<passfile\`)`,
			);
		passphrase = await readSecret(ctx, 'Passphrase (input hidden): ');
		if (options.confirm) {
			if (passphrase.length < MIN_PASSPHRASE_LENGTH)
				throw new UsageError(`the passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters`);
			const again = await readSecret(ctx, 'Same passphrase again: ');
			if (again !== passphrase) throw new UsageError('the two passphrases differ; nothing was written');
		}
	}
	if (passphrase.length === 0) throw new UsageError('the passphrase is empty');
	if (options.confirm && passphrase.length < MIN_PASSPHRASE_LENGTH)
		throw new UsageError(`the passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters`);
	return passphrase;
}
