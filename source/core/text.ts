// Text safety for anything that reaches a terminal or a log.

// CSI, OSC, DCS/SOS/PM/APC strings, single ESC sequences, and C0/C1 controls but \n and \t.
const TERMINAL_ESCAPES =
	/\u009B[0-?]*[ -/]*[@-~]|\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[PX^_][^\u001B]*(?:\u001B\\)?|\u001B[ -/]*[0-~]|[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

// Unicode bidi overrides, embeddings, isolates and marks: they reorder what the terminal shows (a "trojan source").
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Strips terminal escape sequences, C0/C1 controls (but newline and tab) and bidi controls. */
export function stripTerminalEscapes(text: string): string {
	return text.replace(TERMINAL_ESCAPES, '').replace(BIDI_CONTROLS, '');
}

const ALREADY_CLEAN = /^(?:[!-~]+(?: [!-~]+)*)?$/;

/**
 * Text from outside (a provider, an id_token, another tool, an error body) as it may be stored and shown:
 * no escapes, no controls, one line. Applied once when stored and again where displayed.
 */
export function cleanOutsideText(text: string): string {
	// Most text is already clean: printable ASCII words with single spaces. Testing for that first spares
	// compiling the escape patterns on the cold path (a host's first resolveCredential()).
	if (ALREADY_CLEAN.test(text)) return text;
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

const KEY_MARKS = ['sk-', 'rk-', 'eyJ'];

/** An argument that looks like an API key or token: never echoed back, never used. */
export function looksLikeSecret(text: string): boolean {
	// Every key shape holds one of these; an argument without them (most) is not matched against the pattern, whose
	// first use compiles it (~0.3 ms of every start).
	if (!KEY_MARKS.some((mark) => text.includes(mark))) return false;
	return KEY_SHAPED.test(text.trim()) || text.includes('sk-ant-');
}

/** What is said instead of echoing a key-shaped argument. */
export const KEY_IN_ARGUMENT =
	'that looks like an API key; it was not used or shown. Pass keys on stdin (--with-api-key), never as an argument';

/** The candidate closest to `word` (edit distance, a swap of neighbours counting one), if it is close enough to be a typo. */
export function nearest(
	word: string,
	candidates: readonly string[],
	key: (candidate: string) => string = (c) => c,
): string | undefined {
	const distance = (a: string, b: string): number => {
		const d = Array.from({length: a.length + 1}, (_, i) =>
			Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
		);
		for (let i = 1; i <= a.length; i++) {
			for (let j = 1; j <= b.length; j++) {
				const cost = a[i - 1] === b[j - 1] ? 0 : 1;
				d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
				if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
					d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
			}
		}
		return d[a.length]![b.length]!;
	};
	let best: {name: string; score: number} | undefined;
	for (const candidate of candidates) {
		const name = key(candidate);
		const score = name.startsWith(word.toLowerCase()) ? 0.5 : distance(word.toLowerCase(), name);
		if (score <= Math.max(1, Math.floor(name.length / 3)) && (!best || score < best.score))
			best = {name: candidate, score};
	}
	return best?.name;
}

/** How long a login waits, as set: "3 s", "5 min" (a few seconds already gone do not make it "4 min"), "1 min 30 s". */
export function formatWait(ms: number): string {
	// Up, not to nearest: the time left is a little under what was set, and "3 s" must not read "2 s".
	const s = Math.max(0, Math.ceil(ms / 1000));
	if (s < 60) return `${s} s`;
	const m = Math.round(s / 60);
	return Math.abs(s - m * 60) <= 2 ? `${m} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** "an OpenAI", "a Claude": the article by the name's first sound (vowel letters; enough for our names). */
export function withArticle(name: string): string {
	return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
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

const HTML_ESCAPES: Readonly<Record<string, string>> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;',
	'`': '&#96;',
};

/** Text for an HTML page or attribute: the six characters that could open markup or a quote, escaped. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c] ?? c);
}
