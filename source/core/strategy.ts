// Auto mode (modules under 2000 lines to the subscription, larger ones to the API): count a module's lines of code, size it, and pick subscription or API.
import {PROVIDER_NAMES, type AuthMode, type ProviderId, type RoutingThresholds} from './schemas.js';
import {recommendForTier, type Holdings} from './tiers.js';

export const LANGUAGES = [
	'typescript',
	'javascript',
	'python',
	'rust',
	'go',
	'java',
	'c',
	'cpp',
	'shell',
	'text',
] as const;
export type Language = (typeof LANGUAGES)[number];

const EXTENSIONS: Readonly<Record<string, Language>> = {
	ts: 'typescript',
	tsx: 'typescript',
	mts: 'typescript',
	cts: 'typescript',
	js: 'javascript',
	jsx: 'javascript',
	mjs: 'javascript',
	cjs: 'javascript',
	py: 'python',
	pyi: 'python',
	rs: 'rust',
	go: 'go',
	java: 'java',
	c: 'c',
	h: 'c',
	cc: 'cpp',
	cpp: 'cpp',
	cxx: 'cpp',
	'c++': 'cpp',
	hh: 'cpp',
	hpp: 'cpp',
	hxx: 'cpp',
	sh: 'shell',
	bash: 'shell',
	zsh: 'shell',
	ksh: 'shell',
};

/** The language of a file by its extension; 'text' (every non-blank line counts) for anything else. */
export function languageFromPath(path: string): Language {
	const name = path.split(/[\\/]/).pop() ?? '';
	const dot = name.lastIndexOf('.');
	if (dot <= 0) return 'text';
	return EXTENSIONS[name.slice(dot + 1).toLowerCase()] ?? 'text';
}

/** True when `recommend` should pick the file up while walking a folder: source code, not data or docs. */
export function isSourceLanguage(language: Language): boolean {
	return language !== 'text';
}

/**
 * Non-blank, non-comment lines. A line counts when it holds at least one character of code or of a string
 * literal outside comments. A small lexer per language family, so comment markers inside strings stay code:
 * - C family (TypeScript, JavaScript, Rust, Go, Java, C, C++): `//` and `/* *\/` (nested in Rust), a JS/TS hashbang;
 *   strings "…", '…' (Rust: char literals only, so lifetimes like `'a` stay code), `…` (JS/TS template
 *   literals and Go raw strings, multi-line), Rust raw strings r#"…"#.
 * - Python: `#` comments; '…', "…" and triple-quoted strings. A triple-quoted string that stands alone
 *   (nothing but whitespace or a comment around it on its first and last lines) is a docstring and counts as comment.
 * - Shell: `#` at the start of a word; '…' and "…" strings.
 * Known simplifications: JS regex literals, C++ raw strings and shell heredocs are lexed as plain code,
 * and `${…}` inside a template literal is read as part of the string.
 */
export function countLinesOfCode(text: string, language: Language): number {
	switch (language) {
		case 'python':
			return countHashLanguage(text, true);
		case 'shell':
			return countHashLanguage(text, false);
		case 'text':
			return text.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '').length;
		default:
			return countCFamily(text, language);
	}
}

const isSpace = (ch: string) =>
	ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v' || ch === '\uFEFF';

/** A counting pass over one file: the position, the lines of code so far, and whether the current line has code. */
type Lexer = {readonly text: string; i: number; count: number; code: boolean};

function endLine(lx: Lexer): void {
	if (lx.code) lx.count++;
	lx.code = false;
}

function skipToLineEnd(lx: Lexer): void {
	while (lx.i < lx.text.length && lx.text[lx.i] !== '\n') lx.i++;
}

/** From the opening slash-star, past its close (Rust nests them); newlines inside end lines. */
function skipBlockComment(lx: Lexer, nested: boolean): void {
	const {text} = lx;
	let depth = 1;
	lx.i += 2;
	while (lx.i < text.length && depth > 0) {
		if (text[lx.i] === '\n') endLine(lx);
		if (text[lx.i] === '*' && text[lx.i + 1] === '/') {
			depth--;
			lx.i += 2;
		} else if (nested && text[lx.i] === '/' && text[lx.i + 1] === '*') {
			depth++;
			lx.i += 2;
		} else lx.i++;
	}
}

function skipCString(lx: Lexer, quote: string, escapes: boolean): void {
	lx.i = skipString(
		lx.text,
		lx.i + 1,
		quote,
		escapes,
		() => endLine(lx),
		() => (lx.code = true),
	);
}

/** A char literal ('x', '\n', '\u{1F600}') or a lifetime/label ('a): only the former is a string. */
function skipRustQuote(lx: Lexer): void {
	lx.code = true;
	const m = /^'(?:\\(?:u\{[0-9a-fA-F]{1,6}\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'/u.exec(lx.text.slice(lx.i, lx.i + 12));
	lx.i += m ? m[0].length : 1;
}

/** r"…", r#"…"#, br#"…"#: no escapes, closed by a quote and the same number of hashes. Else an identifier letter. */
function skipRustRawString(lx: Lexer): void {
	const {text} = lx;
	lx.code = true;
	const m = /^b?r(#*)"/.exec(text.slice(lx.i, lx.i + 260));
	if (!m) {
		lx.i++;
		return;
	}
	const close = `"${m[1]}`;
	lx.i += m[0].length;
	while (lx.i < text.length && !text.startsWith(close, lx.i)) {
		if (text[lx.i] === '\n') endLine(lx);
		else if (!isSpace(text[lx.i]!)) lx.code = true;
		lx.i++;
	}
	lx.i += close.length;
}

type CFamily = {readonly rust: boolean; readonly backtick: boolean; readonly go: boolean};

/** Lexes one token (or skips one comment or string) at lx.i. */
function cFamilyStep(lx: Lexer, family: CFamily): void {
	const {text} = lx;
	const ch = text[lx.i]!;
	const next = text[lx.i + 1];
	if (ch === '\n') {
		endLine(lx);
		lx.i++;
	} else if (isSpace(ch)) lx.i++;
	else if (ch === '/' && next === '/') skipToLineEnd(lx);
	else if (ch === '/' && next === '*') skipBlockComment(lx, family.rust);
	else if (ch === '"' || (ch === '`' && family.backtick)) skipCString(lx, ch, !(ch === '`' && family.go));
	else if (ch === "'" && family.rust) skipRustQuote(lx);
	else if (ch === "'") skipCString(lx, "'", true);
	else if (family.rust && (ch === 'r' || ch === 'b') && !isIdentChar(text[lx.i - 1])) skipRustRawString(lx);
	else {
		lx.code = true;
		lx.i++;
	}
}

function countCFamily(text: string, language: Language): number {
	const family: CFamily = {
		rust: language === 'rust',
		backtick: language === 'typescript' || language === 'javascript' || language === 'go',
		go: language === 'go',
	};
	const lx: Lexer = {text, i: 0, count: 0, code: false};
	// A hashbang line (node scripts) is a comment to JavaScript engines.
	if (family.backtick && !family.go && text.startsWith('#!')) skipToLineEnd(lx);
	while (lx.i < text.length) cFamilyStep(lx, family);
	endLine(lx);
	return lx.count;
}

function isIdentChar(ch: string | undefined): boolean {
	return ch !== undefined && /[A-Za-z0-9_]/.test(ch);
}

/**
 * Skips a string body from `i` (just after the opening quote) to just after the closing quote.
 * Newlines inside call `onNewline` (multi-line strings and unterminated single-line ones alike: a broken
 * string must not swallow the rest of the file's counting). Non-space content marks the line as code.
 */
function skipString(
	text: string,
	i: number,
	quote: string,
	escapes: boolean,
	onNewline: () => void,
	onContent: () => void,
): number {
	onContent();
	return skipQuoted(text, i, quote, escapes, quote !== '`', onNewline, onContent);
}

/** Past the closing quote (or the line end, for single-line strings); reports newlines and content inside. */
function skipQuoted(
	text: string,
	i: number,
	quote: string,
	escapes: boolean,
	singleLine: boolean,
	onNewline: () => void,
	onContent: () => void,
): number {
	while (i < text.length) {
		const ch = text[i]!;
		if (escapes && ch === '\\') {
			if (text[i + 1] === '\n') {
				onNewline();
				onContent();
			}
			i += 2;
			continue;
		}
		if (ch === quote) return i + 1;
		if (ch === '\n') {
			onNewline();
			if (singleLine) return i + 1;
		} else if (!isSpace(ch)) onContent();
		i++;
	}
	return i;
}

/** Python's docstring candidate: lines it covered that had content, waiting to learn whether it was standalone. */
type HashLexer = Lexer & {docPending: number; afterDoc: boolean};

function endHashLine(lx: HashLexer): void {
	endLine(lx);
	lx.afterDoc = false;
	lx.docPending = 0;
}

/** Code after a docstring on its closing line makes it an expression: its lines count after all. */
function markCode(lx: HashLexer): void {
	if (lx.afterDoc) {
		lx.count += lx.docPending;
		lx.docPending = 0;
		lx.afterDoc = false;
	}
	lx.code = true;
}

const TRIPLE_OPENING = /^(?:[rRbBuUfF]{1,2})?("""|''')/;

function tripleQuoteAt(text: string, i: number): RegExpExecArray | null {
	const ch = text[i]!;
	if (!(ch === '"' || ch === "'" || 'rRbBuUfF'.includes(ch)) || isIdentChar(text[i - 1])) return null;
	return TRIPLE_OPENING.exec(text.slice(i, i + 5));
}

/** A triple-quoted string; one that stands alone stays a docstring candidate until its line shows otherwise. */
function skipTripleString(lx: HashLexer, opening: RegExpExecArray): void {
	const {text} = lx;
	const close = opening[1]!;
	const standalone = !lx.code;
	lx.i += opening[0].length;
	// Walk the body line by line; `lineHas` tracks whether the current line had string content.
	let lineHas = true;
	let lines = 0;
	if (!standalone) markCode(lx);
	while (lx.i < text.length && !text.startsWith(close, lx.i)) {
		const c = text[lx.i]!;
		if (c === '\\') {
			// Skip the escaped character, but leave a newline to the line accounting below.
			lx.i += text[lx.i + 1] === '\n' ? 1 : 2;
			lineHas = true;
			if (!standalone) lx.code = true;
			continue;
		}
		if (c === '\n') {
			if (!standalone) endHashLine(lx);
			else if (lineHas) lines++;
			lineHas = false;
		} else if (!isSpace(c)) {
			lineHas = true;
			if (!standalone) lx.code = true;
		}
		lx.i++;
	}
	lx.i += close.length;
	if (standalone) {
		// Until proven otherwise, the lines it spanned are a docstring; the closing line counts
		// only if code follows on it (markCode then adds the earlier ones too).
		lx.docPending = lines;
		lx.afterDoc = true;
	} else lx.code = true;
}

function hashStep(lx: HashLexer, python: boolean): void {
	const {text} = lx;
	const ch = text[lx.i]!;
	const triple = python ? tripleQuoteAt(text, lx.i) : null;
	if (ch === '\n') {
		endHashLine(lx);
		lx.i++;
	} else if (isSpace(ch)) lx.i++;
	else if (ch === '#' && (python || lx.i === 0 || /[\s;&|()]/.test(text[lx.i - 1]!))) skipToLineEnd(lx);
	else if (triple) skipTripleString(lx, triple);
	else if (ch === '"' || ch === "'") {
		markCode(lx);
		// Shell strings may span lines; Python's single-quoted ones end at a newline.
		const escapes = python || ch === '"';
		lx.i = skipQuoted(
			text,
			lx.i + 1,
			ch,
			escapes,
			python,
			() => endHashLine(lx),
			() => markCode(lx),
		);
	} else {
		markCode(lx);
		lx.i++;
	}
}

function countHashLanguage(text: string, python: boolean): number {
	const lx: HashLexer = {text, i: 0, count: 0, code: false, docPending: 0, afterDoc: false};
	while (lx.i < text.length) hashStep(lx, python);
	endHashLine(lx);
	return lx.count;
}

export type Category = 'small' | 'medium' | 'large';

/** small < smallLines ≤ medium < mediumLines ≤ large. */
export function categorize(lines: number, routing: RoutingThresholds): Category {
	if (lines < routing.smallLines) return 'small';
	if (lines < routing.mediumLines) return 'medium';
	return 'large';
}

/** Lines × tokens per line (4 by default), rounded to a whole token. */
export function estimateTokens(lines: number, routing: RoutingThresholds): number {
	return Math.round(Math.max(0, lines) * routing.tokensPerLine);
}

export type ConcreteMode = Exclude<AuthMode, 'auto'>;

/** The default auth mode for a plan: the comparison screen's recommendation (core/tiers.ts), one rule for both. */
export function defaultModeForTier(provider: ProviderId, tier: string, holdings: Holdings = {}): AuthMode {
	return recommendForTier(provider, tier, holdings).mode;
}

export type Recommendation = {
	readonly category: Category;
	readonly mode: ConcreteMode;
	readonly reason: string;
};

export type RecommendInput = {
	readonly lines: number;
	readonly mode: AuthMode;
	readonly routing: RoutingThresholds;
	readonly provider: ProviderId;
	/** Whether a subscription login exists; undefined when unknown (assume it does). */
	readonly hasSubscription?: boolean;
	/** Whether an API key exists; undefined when unknown (assume it does). */
	readonly hasApiKey?: boolean;
};

/**
 * Which mode a module of this size goes to. Auto: small and medium → subscription, large → api for the
 * larger context. A fixed mode is kept. Either way, when the wanted credential is missing and the other
 * exists, the other is used and the reason says so.
 */
export function recommendMode(input: RecommendInput): Recommendation {
	const {lines, routing, provider} = input;
	const category = categorize(lines, routing);
	const name = PROVIDER_NAMES[provider];
	let wanted: ConcreteMode;
	let why: string;
	if (input.mode === 'auto') {
		if (category === 'large') {
			wanted = 'api';
			why = `auto: ${lines} lines ≥ ${routing.mediumLines} is large, so the API for its larger context`;
		} else {
			wanted = 'subscription';
			why =
				category === 'small'
					? `auto: ${lines} lines < ${routing.smallLines} is small, so the subscription (no per-token charge)`
					: `auto: ${lines} lines < ${routing.mediumLines} is medium, so the subscription (fits its context, no per-token charge)`;
		}
	} else {
		wanted = input.mode;
		why = `${name} is set to ${input.mode} mode`;
	}
	const has = (mode: ConcreteMode) => (mode === 'api' ? input.hasApiKey : input.hasSubscription) !== false;
	const other: ConcreteMode = wanted === 'api' ? 'subscription' : 'api';
	const label = (mode: ConcreteMode) => (mode === 'api' ? 'API key' : 'subscription login');
	if (!has(wanted) && has(other)) {
		return {category, mode: other, reason: `${why}; no ${name} ${label(wanted)}, so the ${label(other)}`};
	}
	if (!has(wanted)) return {category, mode: wanted, reason: `${why}; no ${name} credentials yet`};
	return {category, mode: wanted, reason: why};
}
