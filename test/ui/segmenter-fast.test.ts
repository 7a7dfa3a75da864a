// The stand-in for Intl.Segmenter that the build gives Ink's tokenizer and slice-ansi: for every string, the same
// graphemes at the same indexes as the real one, whether it answers itself or hands the string on.
import {expect, it} from 'vitest';
import {graphemeSegmenter} from '../../source/ui/segmenter-fast.js';

const real = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
const stand = graphemeSegmenter(undefined, {granularity: 'grapheme'});

function same(text: string): void {
	const plain = (segments: Iterable<{segment: string; index: number}>) =>
		[...segments].map(({segment, index}) => [segment, index]);
	expect(plain(stand.segment(text)), JSON.stringify(text)).toEqual(plain(real.segment(text)));
	for (let index = -1; index <= text.length; index++) {
		const mine = stand.segment(text).containing(index);
		const theirs = real.segment(text).containing(index);
		expect(mine && [mine.segment, mine.index], `${JSON.stringify(text)} at ${index}`).toEqual(
			theirs && [theirs.segment, theirs.index],
		);
	}
}

it('answers the strings a screen draws as the real segmenter does', () => {
	for (const text of [
		'',
		'plain ASCII',
		'\u001B[36m › 2. Claude\u001B[39m',
		'↑↓ select · enter confirm · esc back',
		'╭──────╮ ▁▂▃ ⠋ ✓ ✗ ★ ● ○ … “quoted” café',
		'\u001B]8;;https://example.com\u0007link\u001B]8;;\u0007',
		'tab\there and a bell \u0007',
	])
		same(text);
});

it('hands on what joins units into one grapheme: CR LF, combining marks, emoji, flags, Hangul', () => {
	for (const text of ['a\r\nb', 'e\u0301cole', '👍🏽 ok', '🇫🇷', 'a\u200Db', '한국어', '❤️', 'x\uFE0F']) same(text);
});

it('matches the real segmenter on random strings of every unit it answers itself and some it does not', () => {
	const units = [
		...'\u0000\u0007\u001B\r\n\t [m;0123456789abcXYZ~',
		'\u00A0',
		'é',
		'\u2014',
		'…',
		'→',
		'─',
		'█',
		'⠿',
		'✓',
		'\u0301',
		'\u200D',
		'\uFE0F',
		'👍',
	];
	let seed = 7;
	const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
	for (let round = 0; round < 2000; round++) {
		let text = '';
		const length = next() % 12;
		for (let i = 0; i < length; i++) text += units[next() % units.length];
		same(text);
	}
});
