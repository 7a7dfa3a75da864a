import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {DEFAULT_PREFERENCES} from '../../source/core/schemas.js';
import {
	categorize,
	countLinesOfCode,
	defaultModeForTier,
	estimateTokens,
	languageFromPath,
	recommendMode,
} from '../../source/core/strategy.js';

const routing = DEFAULT_PREFERENCES.routing;
const fixture = (name: string) =>
	readFileSync(fileURLToPath(new URL(`../fixtures/loc/${name}`, import.meta.url)), 'utf8');

describe('languageFromPath', () => {
	it.each([
		['a/b/c.ts', 'typescript'],
		['x.TSX', 'typescript'],
		['x.mjs', 'javascript'],
		['src/m.py', 'python'],
		['lib.rs', 'rust'],
		['main.go', 'go'],
		['A.java', 'java'],
		['x.h', 'c'],
		['x.hpp', 'cpp'],
		['C:\\dir\\run.sh', 'shell'],
		['README.md', 'text'],
		['.bashrc', 'text'],
		['Makefile', 'text'],
	] as const)('%s → %s', (path, language) => {
		expect(languageFromPath(path)).toBe(language);
	});
});

describe('countLinesOfCode on fixtures', () => {
	// Expected counts were worked out line by line; each fixture has comment markers inside strings.
	it.each([
		['sample.ts', 10],
		['sample.js', 3],
		['sample.py', 8],
		['sample.rs', 6],
		['sample.go', 7],
		['Sample.java', 4],
		['sample.c', 5],
		['sample.cpp', 3],
		['sample.sh', 5],
	] as const)('%s has %i lines of code', (name, expected) => {
		expect(countLinesOfCode(fixture(name), languageFromPath(name))).toBe(expected);
	});
});

describe('countLinesOfCode details', () => {
	it('ignores blank and whitespace-only lines, CRLF included', () => {
		expect(countLinesOfCode('a\r\n\r\n   \r\n\tb\r\n', 'typescript')).toBe(2);
		expect(countLinesOfCode('', 'python')).toBe(0);
		expect(countLinesOfCode('x\n\n  \ny', 'text')).toBe(2);
	});
	it('a comment marker inside a string does not start a comment, in every family', () => {
		expect(countLinesOfCode('const s = "/*";\nconst t = 1;\n/* real */', 'javascript')).toBe(2);
		expect(countLinesOfCode("s = '#'\nt = 1", 'python')).toBe(2);
		expect(countLinesOfCode("echo '#'\necho ok", 'shell')).toBe(2);
	});
	it('a Python docstring is a comment, an expression string is code', () => {
		expect(countLinesOfCode('"""a\nb"""\nx = 1', 'python')).toBe(1);
		expect(countLinesOfCode('"""a\nb""".strip()\n', 'python')).toBe(2);
		expect(countLinesOfCode('r"""raw doc"""  # comment\n', 'python')).toBe(0);
		expect(countLinesOfCode('x = 1\n"""a\n\nb\n"""\n', 'python')).toBe(1);
	});
	it('Rust block comments nest, lifetimes are not strings', () => {
		expect(countLinesOfCode("/* a /* b */ c */\nfn f<'a>(x: &'a str) {}\n", 'rust')).toBe(1);
	});
	it('an unterminated string does not swallow the rest of the file', () => {
		expect(countLinesOfCode('const s = "oops\n// comment\nconst t = 1;\n', 'typescript')).toBe(2);
	});
	it('shell # is a comment only at the start of a word', () => {
		expect(countLinesOfCode('echo a#b\necho $# ${#x}\n # c', 'shell')).toBe(2);
	});
});

describe('categorize and estimateTokens', () => {
	it.each([
		[0, 'small'],
		[499, 'small'],
		[500, 'medium'],
		[1999, 'medium'],
		[2000, 'large'],
		[100_000, 'large'],
	] as const)('%i lines → %s', (lines, category) => {
		expect(categorize(lines, routing)).toBe(category);
	});
	it('follows the configured thresholds', () => {
		expect(categorize(99, {smallLines: 100, mediumLines: 200, tokensPerLine: 4})).toBe('small');
		expect(categorize(100, {smallLines: 100, mediumLines: 200, tokensPerLine: 4})).toBe('medium');
		expect(categorize(200, {smallLines: 100, mediumLines: 200, tokensPerLine: 4})).toBe('large');
	});
	it('tokens are lines × tokensPerLine', () => {
		expect(estimateTokens(2000, routing)).toBe(8000);
		expect(estimateTokens(3, {...routing, tokensPerLine: 3.5})).toBe(11);
	});
});

describe('defaultModeForTier', () => {
	it.each([
		['claude', 'pro', 'api'],
		['claude', 'max-5x', 'auto'],
		['claude', 'Max 20x', 'auto'],
		['claude', 'team', 'auto'],
		['claude', 'enterprise', 'auto'],
		['claude', 'free', 'api'],
		['claude', 'api', 'api'],
		['openai', 'free', 'api'],
		['openai', 'plus', 'auto'],
		['openai', 'pro', 'subscription'],
		['openai', 'business', 'api'],
		['openai', 'team', 'api'],
		['openai', 'enterprise', 'api'],
		['openai', 'edu', 'api'],
		['openai', 'api', 'api'],
		['openai', 'something-new', 'api'],
	] as const)('%s %s → %s', (provider, tier, mode) => {
		expect(defaultModeForTier(provider, tier)).toBe(mode);
	});
});

describe('recommendMode', () => {
	const base = {routing, provider: 'claude' as const};
	it('auto: small and medium go to the subscription, large to the API', () => {
		expect(recommendMode({...base, lines: 499, mode: 'auto'})).toMatchObject({category: 'small', mode: 'subscription'});
		expect(recommendMode({...base, lines: 1999, mode: 'auto'})).toMatchObject({
			category: 'medium',
			mode: 'subscription',
		});
		const large = recommendMode({...base, lines: 2000, mode: 'auto'});
		expect(large).toMatchObject({category: 'large', mode: 'api'});
		expect(large.reason).toContain('larger context');
	});
	it('a fixed mode is kept whatever the size', () => {
		expect(recommendMode({...base, lines: 10, mode: 'api'})).toMatchObject({
			mode: 'api',
			reason: 'Claude is set to api mode',
		});
		expect(recommendMode({...base, lines: 5000, mode: 'subscription'})).toMatchObject({
			category: 'large',
			mode: 'subscription',
		});
	});
	it('falls back to the credential that exists', () => {
		const r = recommendMode({...base, lines: 5000, mode: 'auto', hasApiKey: false, hasSubscription: true});
		expect(r.mode).toBe('subscription');
		expect(r.reason).toContain('no Claude API key');
		const s = recommendMode({...base, lines: 10, mode: 'auto', hasApiKey: true, hasSubscription: false});
		expect(s.mode).toBe('api');
		expect(s.reason).toContain('no Claude subscription login');
		const none = recommendMode({...base, lines: 10, mode: 'auto', hasApiKey: false, hasSubscription: false});
		expect(none.mode).toBe('subscription');
		expect(none.reason).toContain('no Claude credentials yet');
	});
});
