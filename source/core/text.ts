// Text safety for anything that reaches a terminal or a log.

// CSI, OSC, DCS/SOS/PM/APC strings, single ESC sequences, and C0/C1 controls but \n and \t.
const TERMINAL_ESCAPES = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[PX^_][^\u001B]*(?:\u001B\\)?|\u001B[@-Z\\-_]|[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export function stripTerminalEscapes(text: string): string {
	return text.replace(TERMINAL_ESCAPES, '');
}

/** One line, no escapes, bounded length: for provider-supplied text in messages. */
export function safeLine(text: string, max = 300): string {
	const clean = stripTerminalEscapes(text).replace(/\s+/g, ' ').trim();
	return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** "…abcd": the only form of a key ever shown. */
export function lastFour(secret: string): string {
	return `…${secret.slice(-4)}`;
}

/**
 * Why a stored account needs a new login, in full, without the account name or the fix that the stored
 * message carries ("OpenAI account "x": invalid_grant; log in again: tui auth login …"): every caller says
 * its own fix once.
 */
export function needsLoginReason(message: string): string {
	const reason = safeLine(message, 500)
		.replace(/^[^:"]*account "[^"]*":\s*/, '')
		.replace(/;\s*(?:log in again|run)\b.*$/i, '')
		.trim();
	return reason || 'the provider refused the stored login';
}
