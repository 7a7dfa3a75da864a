import {describe, expect, it} from 'vitest';
import * as z from 'zod/mini';
import {iso} from 'zod/mini';
import {isoTime} from '../../source/core/clock.js';
import {
	apiKeyAccountSchema,
	authFileSchema,
	DEFAULT_PREFERENCES,
	delegatedAccountSchema,
	oauthAccountSchema,
	preferencesShape,
} from '../../source/core/schemas.js';
import '../../source/core/zod.js';
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
			'2026-12-31T23:59:59Z\n',
			'2026-12-31T23:59:59+05:30\n',
			'2026-12-31T23:59:59+05:3',
			'2026-12-31T23:59:59+0530',
			'2026-12-31T23:59:59.Z',
			'2026-12-31T23:59:59ZZ',
			'2026-12-31 23:59:59Z',
			'２026-12-31T23:59:59Z',
			'2026-12-31T23:59:5９Z',
			'2026-1a-31T23:59:59Z',
			'-026-12-31T23:59:59Z',
			'2026-12-31T23:59:59.1.2Z',
			'2026-06-31T00:00:00Z',
			'2026-09-30T00:00:00.000+00:00',
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

// The preferences and usage files were zod schemas: each kind they use is checked against the zod rule it
// replaced, value by value (verdict, path, code and message of the first issue).
describe('shape checker (the preferences and usage files)', () => {
	const pairs: Array<[string, Parameters<typeof checkShape>[0], z.ZodMiniType]> = [
		['number', shape.number(), z.number()],
		['number 1..100', shape.number({min: 1, max: 100}), z.number().check(z.gte(1), z.lte(100))],
		['positive int', shape.number({int: true, above: 0}), z.number().check(z.int(), z.positive())],
		['positive', shape.number({above: 0}), z.number().check(z.positive())],
		['enum', shape.enum(['file', 'keyring']), z.enum(['file', 'keyring'])],
		[
			'array of 1..2',
			shape.array(shape.enum(['openai', 'claude']), {min: 1, max: 2}),
			z.array(z.enum(['openai', 'claude'])).check(z.minLength(1), z.maxLength(2)),
		],
		['record', shape.record(shape.number()), z.record(z.string(), z.number())],
		[
			'object with a default',
			shape.object({a: shape.withDefault(shape.array(shape.number()), [80, 95]), b: shape.optional(shape.string())}),
			z.object({a: z._default(z.array(z.number()), [80, 95]), b: z.optional(z.string())}),
		],
	];
	const values: unknown[] = [
		0,
		-1,
		0.5,
		1,
		1.5,
		42,
		100,
		101,
		Number.MAX_SAFE_INTEGER + 2,
		Infinity,
		Number.NaN,
		'1',
		'',
		'file',
		'keyring',
		'other',
		true,
		null,
		undefined,
		[],
		['openai'],
		['claude', 'openai'],
		['openai', 'claude', 'openai'],
		['x'],
		{},
		{x: 1},
		{x: 'y'},
		{a: [1]},
		{a: 'no'},
		{b: 2},
		{a: [50], b: 'z', extra: 1},
	];
	const first = (issues: ReadonlyArray<{path: readonly PropertyKey[]; message: string; code?: string}>) => {
		const issue = issues[0]!;
		return {path: issue.path.map(String), message: issue.message, code: issue.code};
	};

	for (const [name, ours, theirs] of pairs)
		it(`${name}: the same verdict, output and first issue as zod`, () => {
			for (const value of values) {
				const a = checkShape(ours as ReturnType<typeof shape.number>, value);
				const b = z.safeParse(theirs, value);
				expect({value, success: a.success}).toEqual({value, success: b.success});
				if (a.success && b.success) expect(a.data).toEqual(b.data);
				else if (!a.success && !b.success) expect(first(a.error.issues)).toEqual(first(b.error.issues));
			}
		});

	it('a default is a copy each time, a "__proto__" key stays a key, and the default preferences pass', () => {
		const withDefault = shape.object({a: shape.withDefault(shape.array(shape.number()), [80, 95])});
		const one = parseShape(withDefault, {}) as {a: number[]};
		one.a.push(1);
		expect(parseShape(withDefault, {})).toEqual({a: [80, 95]});
		const record = parseShape(shape.record(shape.number()), JSON.parse('{"__proto__": 1, "b": 2}')) as object;
		expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
		expect(Object.keys(record)).toEqual(['__proto__', 'b']);
		expect(parseShape(preferencesShape, DEFAULT_PREFERENCES)).toEqual(DEFAULT_PREFERENCES);
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
