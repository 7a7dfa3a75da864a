// Ink measures every string it draws. string-width sends any non-ASCII string through Intl.Segmenter and an
// emoji regex, which costs ~35 ms on first use and more on every frame. Our glyphs (›, ·, ↑↓, ★, ✓, box and
// block drawing, braille spinners) are all narrow and never emoji, so those strings skip the slow path.
// Aliased for `string-width` in scripts/build.mjs; anything else goes to the real package.
import realStringWidth from 'string-width-real';
import {OWN_GLYPHS} from './own-glyphs.js';

type Options = {readonly ambiguousIsNarrow?: boolean; readonly countAnsiEscapeCodes?: boolean};

// Printable ASCII and our own glyphs: each one column wide, none of them emoji presentation.
const NARROW_ONLY = new RegExp(`^[\\u0020-\\u007E${OWN_GLYPHS}]*$`);
// Ink measures coloured text too: SGR colour codes (ESC [ … m) have no width, so they are dropped before the test.
const SGR = /\u001B\[[\d;]*m/g;

export default function stringWidth(input: string, options: Options = {}): number {
	if (typeof input === 'string' && options.ambiguousIsNarrow !== false) {
		const plain = !options.countAnsiEscapeCodes && input.includes('\u001B') ? input.replace(SGR, '') : input;
		if (NARROW_ONLY.test(plain)) return plain.length;
	}
	return realStringWidth(input, options);
}
