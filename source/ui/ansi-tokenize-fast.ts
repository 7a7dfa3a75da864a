// Ink turns every frame into a grid of styled characters and back: each line of text is tokenized (through
// Intl.Segmenter) into per-character objects, and every row is joined again by diffing the styles of each pair
// of neighbours (three Sets and four arrays per character). A keystroke changes one or two lines, yet the
// whole screen went through both, and that garbage was most of the keystroke-to-frame time and its GC pauses.
// Aliased for Ink's `@alcalzone/ansi-tokenize` in scripts/build.mjs; output is the same, character for character.
import {
	ansiCodesToString,
	diffAnsiCodes,
	styledCharsFromTokens as realStyledCharsFromTokens,
	tokenize as realTokenize,
} from 'ansi-tokenize-real';
import type {AnsiCode, StyledChar, Token} from 'ansi-tokenize-real';

export * from 'ansi-tokenize-real';

// Lines seen lately keep their tokens: two generations, the older dropped once the newer holds this many
// characters, so memory stays bounded (a few hundred KB) while a redraw of unchanged lines costs a lookup.
const GENERATION_CHARS = 8000;
let current = new Map<string, Token[]>();
let previous = new Map<string, Token[]>();
let currentChars = 0;
const styled = new WeakMap<Token[], StyledChar[]>();

export function tokenize(text: string, endChar?: number): Token[] {
	if (endChar !== undefined) return realTokenize(text, endChar);
	let tokens = current.get(text);
	if (tokens) return tokens;
	tokens = previous.get(text) ?? realTokenize(text);
	if (currentChars + text.length > GENERATION_CHARS) {
		previous = current;
		current = new Map();
		currentChars = 0;
	}
	current.set(text, tokens);
	currentChars += text.length;
	return tokens;
}

/** The same characters for the same tokens: Ink only reads them, so the array is shared between frames. */
export function styledCharsFromTokens(tokens: Token[]): StyledChar[] {
	let chars = styled.get(tokens);
	if (!chars) {
		chars = realStyledCharsFromTokens(tokens);
		styled.set(tokens, chars);
	}
	return chars;
}

function sameStyles(a: readonly AnsiCode[], b: readonly AnsiCode[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i]!.code !== b[i]!.code || a[i]!.endCode !== b[i]!.endCode) return false;
	return true;
}

/** The real one diffs every pair of neighbours; equal styles diff to nothing, so only changes are diffed. */
export function styledCharsToString(chars: StyledChar[]): string {
	let text = '';
	let styles: AnsiCode[] = [];
	for (const char of chars) {
		if (!sameStyles(styles, char.styles)) text += ansiCodesToString(diffAnsiCodes(styles, char.styles));
		text += char.value;
		styles = char.styles;
	}
	if (styles.length > 0) text += ansiCodesToString(diffAnsiCodes(styles, []));
	return text;
}
