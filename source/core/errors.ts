// Errors that end a command with a one-line message. Their text must never hold a secret.
import {safeLine} from './text.js';
export class TuiError extends Error {
	readonly exitCode: 1 | 2;
	constructor(message: string, exitCode: 1 | 2 = 1) {
		super(message);
		this.name = 'TuiError';
		this.exitCode = exitCode;
	}
}

/** Bad input from the user: exit 2. */
export class UsageError extends TuiError {
	constructor(message: string) {
		super(message, 2);
		this.name = 'UsageError';
	}
}

/** An auth file or config file that does not parse; it has been moved aside. */
export class CorruptFileError extends TuiError {
	readonly file: string;
	readonly quarantinedTo: string;
	constructor(file: string, quarantinedTo: string, reason: string) {
		super(`${file} is corrupt (${reason}); moved it to ${quarantinedTo}. Log in again for this provider.`, 1);
		this.name = 'CorruptFileError';
		this.file = file;
		this.quarantinedTo = quarantinedTo;
	}
}

/** A failure shown rather than thrown: our own message, else only the code (other errors' text may hold a path). */
export function errorLine(error: unknown): string {
	if (error instanceof TuiError) return safeLine(error.message, 300);
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return code ? `unexpected error (${code})` : 'unexpected error';
}
