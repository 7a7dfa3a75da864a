// Reading a secret from stdin: piped (all of it, bounded) or typed at a terminal (raw mode, no echo).
import {markInterrupted} from '../core/interrupt.js';
import {TuiError, UsageError} from '../core/errors.js';
import type {CommandContext} from '../app/context.js';

/** Far more than any key; stops `cat bigfile | tui auth login` from buffering forever. */
const MAX_STDIN_BYTES = 64 * 1024;

type RawStdin = CommandContext['stdin'] & {setRawMode?: (mode: boolean) => unknown};

/** Everything piped to stdin, minus one trailing newline (\n or \r\n). */
async function readPiped(stdin: CommandContext['stdin'], signal: AbortSignal): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stdin.iterator({destroyOnReturn: false})) {
		if (signal.aborted) throw new TuiError('cancelled');
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
		size += buffer.length;
		if (size > MAX_STDIN_BYTES)
			throw new UsageError(`stdin holds more than ${MAX_STDIN_BYTES / 1024} KiB; pipe only the key`);
		chunks.push(buffer);
	}
	const text = Buffer.concat(chunks).toString('utf8');
	return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** Typed or pasted at a terminal: nothing is echoed. Enter ends, Ctrl+C / Ctrl+D cancel, Backspace deletes. */
async function readHidden(ctx: CommandContext, prompt: string): Promise<string> {
	const stdin = ctx.stdin as RawStdin;
	if (typeof stdin.setRawMode !== 'function')
		throw new UsageError(
			'cannot read the key without echo here; pipe it instead, e.g. `printenv KEY | tui auth login ... --with-api-key`',
		);
	// Raw mode before the prompt: anything typed once the prompt shows is never echoed.
	stdin.setRawMode(true);
	stdin.resume();
	ctx.stderr.write(prompt);
	let value = '';
	try {
		return await new Promise<string>((resolve, reject) => {
			const finish = (error?: Error) => {
				stdin.off('data', onData);
				ctx.signal.removeEventListener('abort', onAbort);
				if (error) reject(error);
				else resolve(value);
			};
			const onAbort = () => finish(new TuiError('cancelled'));
			const onData = (chunk: Buffer | string) => {
				// Bracketed-paste markers and other escape sequences are not part of the key.
				const text = String(chunk).replace(/\u001B\[[0-9;]*[~A-Za-z]/g, '');
				for (const char of text) {
					if (char === '\r' || char === '\n') return finish();
					if (char === '\u0003') markInterrupted();
					if (char === '\u0003' || char === '\u0004') return finish(new TuiError('cancelled'));
					if (char === '\u007F' || char === '\b') value = value.slice(0, -1);
					else value += char;
					if (value.length > MAX_STDIN_BYTES) return finish(new UsageError('that is far too long for a key'));
				}
			};
			ctx.signal.addEventListener('abort', onAbort, {once: true});
			stdin.on('data', onData);
		});
	} finally {
		stdin.setRawMode(false);
		stdin.pause();
		ctx.stderr.write('\n');
	}
}

export async function readSecret(ctx: CommandContext, prompt: string): Promise<string> {
	if (ctx.stdin.isTTY) return readHidden(ctx, prompt);
	return readPiped(ctx.stdin, ctx.signal);
}
