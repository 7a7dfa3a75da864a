// The output of the commands scripts call often. Creating process.stdout for a pipe or a file loads the stream
// classes (and net, for a pipe): a few milliseconds, as much as `tui auth status` spends on its own work. There,
// a plain synchronous writer does the job. A terminal (colour, width, resize) or anything else gets the stream.
import {fstatSync, writeSync} from 'node:fs';
import type {CommandContext} from './context.js';

type Output = CommandContext['stdout'];

export function plainOutput(fd: number, stream: () => Output): Output {
	if (!isPipeOrFile(fd)) return stream();
	let closed = false;
	const write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
		if (!closed) closed = !writeAll(fd, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
		const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
		callback?.();
		return true;
	};
	return {write, isTTY: false} as unknown as Output;
}

function isPipeOrFile(fd: number): boolean {
	try {
		const stat = fstatSync(fd);
		return stat.isFIFO() || stat.isSocket() || stat.isFile();
	} catch {
		return false;
	}
}

/** Writes every byte; false once the reader has gone (EPIPE), after which output is dropped, as `head` expects. */
function writeAll(fd: number, bytes: Uint8Array): boolean {
	for (let offset = 0; offset < bytes.length;) {
		try {
			offset += writeSync(fd, bytes, offset);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'EPIPE') return false;
			// A non-blocking pipe that is full: try again until the reader takes some.
			if (code !== 'EAGAIN') throw error;
		}
	}
	return true;
}
