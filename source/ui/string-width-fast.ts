// Ink measures every string it draws. string-width sends any non-ASCII string through Intl.Segmenter and an
// emoji regex, which costs ~35 ms on first use and more on every frame. Our glyphs (›, ·, ↑↓, ★, ✓, box and
// block drawing, braille spinners) are all narrow and never emoji, so those strings skip the slow path.
// Aliased for `string-width` in scripts/build.mjs; anything else goes to the real package.
import realStringWidth from 'string-width-real';

type Options = {readonly ambiguousIsNarrow?: boolean; readonly countAnsiEscapeCodes?: boolean};

// Printable ASCII and Latin-1, general punctuation, arrows, box drawing, block elements, the few geometric
// and dingbat glyphs we use, and braille: each one column wide, none of them emoji presentation.
const NARROW_ONLY =
	/^[\u0020-\u007E\u00A0-\u00FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2500-\u259F\u25CB\u25CF\u2605\u2606\u2713\u2717\u2800-\u28FF]*$/;
// Ink measures coloured text too: SGR colour codes (ESC [ … m) have no width, so they are dropped before the test.
const SGR = /\u001B\[[\d;]*m/g;

export default function stringWidth(input: string, options: Options = {}): number {
	if (typeof input === 'string' && options.ambiguousIsNarrow !== false) {
		const plain = !options.countAnsiEscapeCodes && input.includes('\u001B') ? input.replace(SGR, '') : input;
		if (NARROW_ONLY.test(plain)) return plain.length;
	}
	return realStringWidth(input, options);
}
