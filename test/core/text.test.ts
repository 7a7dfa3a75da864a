import {describe, expect, it} from 'vitest';
import {cleanOutsideText, looksLikeSecret, safeLine, stripTerminalEscapes} from '../../source/core/text.js';

describe('text from outside', () => {
	it('strips OSC, CSI (7- and 8-bit), single ESC sequences, C0/C1 controls and bidi controls; keeps the text', () => {
		expect(
			stripTerminalEscapes('plus\u001B]0;title\u0007\u001B[2J\u001B[31m\u009B31m\u202Eok\u2066x\u2069\u200F'),
		).toBe('plusokx');
		expect(stripTerminalEscapes('a\u001BPdcs\u001B\\b\u001B7c')).toBe('abc');
		expect(stripTerminalEscapes('Zürich — 東京 ✓')).toBe('Zürich — 東京 ✓');
	});

	it('cleanOutsideText makes one line; safeLine also bounds it', () => {
		expect(cleanOutsideText('  max\n\tplan\r\n')).toBe('max plan');
		expect(safeLine('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
	});

	it('recognises key-shaped arguments, and not labels, ids or paths', () => {
		for (const text of [
			'sk-test-abcdefgh1234',
			'openai/sk-abcdefghijkl',
			'--label=sk-ant-test-xyz12345',
			'eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.abc',
		])
			expect(looksLikeSecret(text), text).toBe(true);
		for (const text of [
			'work',
			'openai/work',
			'claude/Claude Code',
			'5b3c9e2a-1d4f-4c8e-9a7b-2f6e8d1c3a5b',
			'/tmp/sk-notes.txt',
			'sk-1',
		])
			expect(looksLikeSecret(text), text).toBe(false);
	});
});
