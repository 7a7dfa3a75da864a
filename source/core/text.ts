// Text safety for anything that reaches a terminal or a log.

// CSI, OSC, DCS/SOS/PM/APC strings, single ESC sequences, and C0/C1 controls but \n and \t.
const TERMINAL_ESCAPES = /\u009B[0-?]*[ -/]*[@-~]|\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[PX^_][^\u001B]*(?:\u001B\\)?|\u001B[ -/]*[0-~]|[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

// Unicode bidi overrides, embeddings, isolates and marks: they reorder what the terminal shows (a "trojan source").
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Strips terminal escape sequences, C0/C1 controls (but newline and tab) and bidi controls. */
export function stripTerminalEscapes(text: string): string {
	return text.replace(TERMINAL_ESCAPES, '').replace(BIDI_CONTROLS, '');
}

/**
 * Text from outside (a provider, an id_token, another tool, an error body) as it may be stored and shown:
 * no escapes, no controls, one line. Applied once when stored and again where displayed.
 */
export function cleanOutsideText(text: string): string {
	return stripTerminalEscapes(text).replace(/\s+/g, ' ').trim();
}

/** One line, no escapes, bounded length: for provider-supplied text in messages. */
export function safeLine(text: string, max = 300): string {
	const clean = cleanOutsideText(text);
	return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** "…abcd": the only form of a key ever shown. */
export function lastFour(secret: string): string {
	return `…${secret.slice(-4)}`;
}

// sk-… / rk-… keys (OpenAI, Anthropic sk-ant-…), alone or as PROVIDER/KEY or --flag=KEY; and JWTs (access tokens).
const KEY_SHAPED = /^(?:--?[\w-]+=)?(?:[a-z]+\/)?(?:(?:sk|rk)-[A-Za-z0-9_-]{8,}|eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*)$/;

/** An argument that looks like an API key or token: never echoed back, never used. */
export function looksLikeSecret(text: string): boolean {
	return KEY_SHAPED.test(text.trim()) || text.includes('sk-ant-');
}

/** What is said instead of echoing a key-shaped argument. */
export const KEY_IN_ARGUMENT = 'that looks like an API key; it was not used or shown. Pass keys on stdin (--with-api-key), never as an argument';
