import {describe, expect, it, vi} from 'vitest';
import * as real from '@alcalzone/ansi-tokenize';
import {styledCharsFromTokens, styledCharsToString, tokenize} from '../../source/ui/ansi-tokenize-fast.js';

// The build aliases this name to the real package; the test does the same.
vi.mock('ansi-tokenize-real', async () => import('@alcalzone/ansi-tokenize'));

const red = (text: string) => `\u001B[31m${text}\u001B[39m`;
const bold = (text: string) => `\u001B[1m${text}\u001B[22m`;
const dim = (text: string) => `\u001B[2m${text}\u001B[22m`;
const inverse = (text: string) => `\u001B[7m${text}\u001B[27m`;
const rgb = (text: string) => `\u001B[38;2;10;20;30m${text}\u001B[39m`;
const link = (text: string) => `\u001B]8;;https://example.test\u0007${text}\u001B]8;;\u0007`;

const lines = [
	'',
	'plain ascii',
	'› 1. OpenAI · Plus ★ ✓',
	red('› coloured'),
	bold(red('nested · codes')),
	`${red('a')}b${bold('c')}`,
	bold(dim('bold and dim')) + dim('dim only'),
	`${inverse(' key ')} ${red(bold('x'))}${rgb('true colour')}`,
	'漢字 wide',
	red('emoji 🙂 in colour'),
	link('a link') + ' after',
	`\u001B[0m${red('after a reset')}`,
];

describe('ansi-tokenize fast path', () => {
	it.each(lines)('turns %j into the same characters and back into the same text', (line) => {
		const chars = styledCharsFromTokens(tokenize(line));
		expect(chars).toEqual(real.styledCharsFromTokens(real.tokenize(line)));
		expect(styledCharsToString(chars)).toBe(real.styledCharsToString(real.styledCharsFromTokens(real.tokenize(line))));
	});

	it('joins a row as Ink builds it (blank cells, pieces of several lines) into the same text', () => {
		const blank = () => ({type: 'char' as const, value: ' ', fullWidth: false, styles: []});
		for (const left of lines) {
			for (const right of lines) {
				const row = [
					blank(),
					...styledCharsFromTokens(tokenize(left)),
					blank(),
					blank(),
					...styledCharsFromTokens(tokenize(right)),
					blank(),
				];
				expect(styledCharsToString(row)).toBe(real.styledCharsToString(row));
			}
		}
	});

	it('gives the same characters for a line seen again, also after many other lines', () => {
		const first = styledCharsFromTokens(tokenize(red('› 2. Plus')));
		expect(styledCharsFromTokens(tokenize(red('› 2. Plus')))).toBe(first);
		for (let i = 0; i < 600; i++) tokenize(`line ${i} ${'x'.repeat(i % 50)}`);
		const again = styledCharsFromTokens(tokenize(red('› 2. Plus')));
		expect(again).toEqual(first);
		expect(styledCharsToString(again)).toBe(
			real.styledCharsToString(real.styledCharsFromTokens(real.tokenize(red('› 2. Plus')))),
		);
	});

	it('passes an end character through to the real tokenizer', () => {
		expect(tokenize('abcdef', 3)).toEqual(real.tokenize('abcdef', 3));
	});
});
