import {describe, expect, it} from 'vitest';
import {iso} from 'zod/mini';
import {isoTime} from '../../source/core/clock.js';
import {
	apiKeyAccountSchema,
	authFileSchema,
	delegatedAccountSchema,
	oauthAccountSchema,
} from '../../source/core/schemas.js';
import {checkShape, parseShape, shape, type ShapeResult} from '../../source/core/shape.js';

const CREATED = '2026-01-02T03:04:05.678Z';
const oauth = {
	id: 'a1',
	label: 'work',
	createdAt: CREATED,
	kind: 'oauth',
	tokens: {access: 'at', refresh: 'rt', expiresAt: 1_800_000_000_000},
	plan: 'plus',
	scopes: ['openid'],
	planEnabled: true,
};

function issue(result: ShapeResult<unknown>): string {
	if (result.success) throw new Error('expected a failure');
	const first = result.error.issues[0];
	return `${first?.path.join('.')}: ${first?.message}`;
}

describe('shape checker (the auth file, without zod)', () => {
	it('accepts each account kind and returns a copy without unknown keys', () => {
		const input = {...oauth, futureField: 1, tokens: {...oauth.tokens, futureToken: 'x'}};
		const result = parseShape(oauthAccountSchema, input);
		expect(result).toEqual(oauth);
		expect(result).not.toBe(input);
		expect(
			parseShape(apiKeyAccountSchema, {id: 'k', label: 'key', createdAt: CREATED, kind: 'api-key', key: 'sk-x'}),
		).toEqual({id: 'k', label: 'key', createdAt: CREATED, kind: 'api-key', key: 'sk-x'});
		expect(
			checkShape(delegatedAccountSchema, {
				id: 'd',
				label: 'cc',
				createdAt: CREATED,
				kind: 'delegated',
				tool: 'claude-code',
			}).success,
		).toBe(true);
	});

	it('names the path and the rule of the first problem, in zod’s words, without quoting the value', () => {
		const cases: Array<[unknown, string]> = [
			[{...oauth, tokens: {...oauth.tokens, expiresAt: -1}}, 'tokens.expiresAt: Too small: expected number to be >=0'],
			[
				{...oauth, tokens: {...oauth.tokens, expiresAt: 1.5}},
				'tokens.expiresAt: Invalid input: expected int, received number',
			],
			[
				{...oauth, tokens: {...oauth.tokens, access: ''}},
				'tokens.access: Too small: expected string to have >=1 characters',
			],
			[{...oauth, tokens: undefined}, 'tokens: Invalid input: expected object, received undefined'],
			[{...oauth, id: 'x'.repeat(65)}, 'id: Too big: expected string to have <=64 characters'],
			[{...oauth, label: 'a/b'}, 'label: label: 1-64 letters, digits, space, . _ @ + -; starts with a letter or digit'],
			[{...oauth, createdAt: '2026-02-30T00:00:00Z'}, 'createdAt: Invalid ISO datetime'],
			[{...oauth, kind: 'api-key'}, 'kind: Invalid input: expected "oauth"'],
			[{...oauth, scopes: Array.from({length: 65}, () => 's')}, 'scopes: Too big: expected array to have <=64 items'],
			[{...oauth, scopes: ['ok', 7]}, 'scopes.1: Invalid input: expected string, received number'],
			[{...oauth, planEnabled: 'yes'}, 'planEnabled: Invalid input: expected boolean, received string'],
			[{...oauth, clientId: 'bad id'}, 'clientId: Invalid string: must match pattern /^[A-Za-z0-9_-]{1,200}$/'],
			[[], ': Invalid input: expected object, received array'],
		];
		for (const [input, expected] of cases) expect(issue(checkShape(oauthAccountSchema, input))).toBe(expected);
		// Lengths count code points, as zod does: one emoji is one character.
		expect(checkShape(shape.string({max: 1}), '😀').success).toBe(true);
		expect(checkShape(shape.string({max: 1}), '😀😀').success).toBe(false);
		expect(checkShape(shape.string({min: 2}), '😀').success).toBe(false);
		expect(checkShape(shape.string({min: 2}), '😀a').success).toBe(true);
	});

	it('checks the whole file: the kind picks the shape, and duplicates or a missing active account fail', () => {
		const file = {version: 1, active: 'a1', accounts: [oauth]};
		expect(parseShape(authFileSchema, file)).toEqual(file);
		expect(issue(checkShape(authFileSchema, {...file, accounts: [{...oauth, kind: 'new'}]}))).toBe(
			'accounts.0.kind: Invalid input',
		);
		expect(issue(checkShape(authFileSchema, {...file, accounts: [oauth, {...oauth, label: 'other'}]}))).toBe(
			': duplicate id "a1"',
		);
		expect(issue(checkShape(authFileSchema, {...file, active: 'gone'}))).toBe(': active account "gone" does not exist');
		expect(() => parseShape(authFileSchema, {...file, version: 2})).toThrow('version: Invalid input: expected 1');
	});

	it('accepts exactly the ISO date-times zod’s iso.datetime({offset: true}) accepts', () => {
		const zodIso = iso.datetime({offset: true});
		const fixed = [
			CREATED,
			'2024-02-29T00:00:00Z',
			'2023-02-29T00:00:00Z',
			'2000-02-29T23:59:59+05:30',
			'1900-02-29T00:00:00Z',
			'2026-04-31T00:00:00Z',
			'2026-12-31T24:00:00Z',
			'2026-12-31T23:60:00Z',
			'2026-12-31T23:59:60Z',
			'2026-12-31T23:59Z',
			'2026-12-31t23:59:59z',
			'2026-12-31T23:59:59.123456789-23:59',
			'2026-12-31T23:59:59+24:00',
			'2026-00-10T00:00:00Z',
			'0000-02-29T00:00:00Z',
			' 2026-12-31T23:59:59Z',
			'2026-12-31T23:59:59',
		];
		// Random strings built from plausible and implausible parts, so both verdicts are common.
		let seed = 17;
		const next = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
		const pad = (v: number, w = 2) => String(v).padStart(w, '0');
		const random = Array.from({length: 3000}, () => {
			const zone = ['Z', '+00:00', `-${pad(next(26))}:${pad(next(62))}`, '', 'z'][next(5)];
			const fraction = ['', '.5', `.${next(1000)}`, '.'][next(4)];
			return `${pad([next(10_000), 2000, 1900, 2024][next(4)]!, 4)}-${pad(next(14))}-${pad(next(33))}T${pad(next(26))}:${pad(next(62))}:${pad(next(62))}${fraction}${zone}`;
		});
		let accepted = 0;
		for (const value of [...fixed, ...random]) {
			const ours = checkShape(shape.isoDatetime(), value).success;
			expect([value, ours]).toEqual([value, zodIso.safeParse(value).success]);
			if (ours) accepted++;
		}
		expect(accepted).toBeGreaterThan(100);
	});
});

describe('isoTime', () => {
	it('formats epoch milliseconds as Date#toISOString does', () => {
		const edges = [0, 1, -1, 951_782_400_000, 253_402_300_799_999, -62_167_219_200_000, 1_800_000_000_123];
		let seed = 5;
		const random = Array.from({length: 2000}, () => ((seed = (seed * 48_271) % 2_147_483_647), seed * 117_000));
		for (const ms of [...edges, ...random]) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
		// Outside years 0-9999 it is toISOString itself, extended years included; an invalid time throws as it does.
		expect(isoTime(253_402_300_800_000)).toBe('+010000-01-01T00:00:00.000Z');
		expect(isoTime(-62_167_219_200_001)).toBe('-000001-12-31T23:59:59.999Z');
		expect(() => isoTime(Number.NaN)).toThrow(RangeError);
	});
});
