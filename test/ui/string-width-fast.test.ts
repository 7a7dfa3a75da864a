import {describe, expect, it, vi} from 'vitest';
import realStringWidth from 'string-width';
import stringWidth from '../../source/ui/string-width-fast.js';

// The build aliases this name to the real package; the test does the same.
vi.mock('string-width-real', async () => import('string-width'));

const red = (text: string) => `\u001B[31m${text}\u001B[39m`;
const bold = (text: string) => `\u001B[1m${text}\u001B[22m`;

describe('string-width fast path', () => {
	const samples = [
		'',
		'plain ascii',
		'› 1. OpenAI · Plus ★ ✓',
		'┌──┐│█▌⠋⠙',
		red('› coloured'),
		bold(red('nested · codes')),
		`${red('a')}b${bold('c')}`,
		'漢字 wide',
		red('漢字 wide in colour'),
		'emoji 🙂',
		red('emoji 🙂'),
		'\u001B]8;;https://example.test\u0007link\u001B]8;;\u0007',
	];
	it.each(samples)('agrees with string-width for %j', (sample) => {
		expect(stringWidth(sample)).toBe(realStringWidth(sample));
	});
	it('agrees when escape codes are counted', () => {
		for (const sample of samples)
			expect(stringWidth(sample, {countAnsiEscapeCodes: true})).toBe(
				realStringWidth(sample, {countAnsiEscapeCodes: true}),
			);
	});
});
