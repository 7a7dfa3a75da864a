// Shapes of the files read on the hot paths, as plain data with one small checker: the auth file (at the start of
// most commands and by a host's first resolveCredential()), the preferences (config.json, on every start once a
// user has onboarded) and the usage files `tui statusline claude` reads on each of Claude Code's refreshes.
// Checking them with zod meant building the schemas first, about 5 ms in a fresh process, most of it compiling
// zod itself (docs/auth-file-schema.md, "Checking").
// Messages and the output follow zod's: unknown keys are dropped, the first issue names its path.
import {isIsoDatetime} from './iso-datetime.js';

export interface StringShape {
	readonly type: 'string';
	readonly min?: number;
	readonly max?: number;
	readonly pattern?: RegExp;
	readonly patternMessage?: string;
}
export interface IsoDateShape {
	readonly type: 'iso-datetime';
}
export interface IntShape {
	readonly type: 'int';
	readonly min: number;
}
export interface NumberShape {
	readonly type: 'number';
	readonly int?: boolean;
	/** At least this. */
	readonly min?: number;
	/** More than this. */
	readonly above?: number;
	/** At most this. */
	readonly max?: number;
}
export interface EnumShape<V extends string = string> {
	readonly type: 'enum';
	readonly values: readonly V[];
}
export interface RecordShape<S extends Shape = Shape> {
	readonly type: 'record';
	readonly of: S;
}
export interface BooleanShape {
	readonly type: 'boolean';
}
export interface LiteralShape<V extends string | number = string | number> {
	readonly type: 'literal';
	readonly value: V;
}
export interface NullableShape<S extends Shape = Shape> {
	readonly type: 'nullable';
	readonly of: S;
}
export interface ArrayShape<S extends Shape = Shape> {
	readonly type: 'array';
	readonly of: S;
	readonly min?: number;
	readonly max?: number;
}
export interface OptionalShape<S extends Shape = Shape> {
	readonly type: 'optional';
	readonly of: S;
}
/** A field that may be missing, and is then this value (a copy of it). */
export interface DefaultShape<S extends Shape = Shape> {
	readonly type: 'default';
	readonly of: S;
	readonly value: unknown;
}
export interface Fields {
	readonly [key: string]: Shape | OptionalShape | DefaultShape;
}
export interface Members {
	readonly [tag: string]: ObjectShape;
}
export interface ObjectShape<F extends Fields = Fields> {
	readonly type: 'object';
	readonly shape: F;
	/** A check of the whole object once its fields passed: the message of the first problem, or undefined. */
	readonly refine?: (value: never) => string | undefined;
}
export interface UnionShape<M extends Members = Members> {
	readonly type: 'union';
	readonly key: string;
	readonly members: M;
}
export type Shape =
	| StringShape
	| IsoDateShape
	| IntShape
	| NumberShape
	| EnumShape
	| RecordShape
	| BooleanShape
	| LiteralShape
	| NullableShape
	| ArrayShape
	| ObjectShape
	| UnionShape;

type Simplify<T> = {[K in keyof T]: T[K]} & {};
type InferFields<F extends Fields> = Simplify<
	{
		-readonly [K in keyof F as F[K] extends OptionalShape ? never : K]: F[K] extends DefaultShape<infer S>
			? Infer<S>
			: Infer<F[K]>;
	} & {
		-readonly [K in keyof F as F[K] extends OptionalShape ? K : never]?: F[K] extends OptionalShape<infer S>
			? Infer<S> | undefined
			: never;
	}
>;
/** The value a shape accepts, as zod's `infer` gives it. */
export type Infer<S> = S extends StringShape | IsoDateShape
	? string
	: S extends IntShape | NumberShape
		? number
		: S extends BooleanShape
			? boolean
			: S extends LiteralShape<infer V>
				? V
				: S extends NullableShape<infer I>
					? Infer<I> | null
					: S extends ArrayShape<infer I>
						? Array<Infer<I>>
						: S extends EnumShape<infer V>
							? V
							: S extends RecordShape<infer I>
								? Record<string, Infer<I>>
								: S extends ObjectShape<infer F>
									? string extends keyof F
										? Record<string, unknown> // Shape itself, not a shape written down: stop here.
										: InferFields<F>
									: S extends UnionShape<infer M>
										? {[K in keyof M]: Infer<M[K]>}[keyof M]
										: never;

export const shape = {
	string: (limits: Omit<StringShape, 'type'> = {}): StringShape => ({type: 'string', ...limits}),
	isoDatetime: (): IsoDateShape => ({type: 'iso-datetime'}),
	/** A safe integer of at least `min`. */
	int: (min = 0): IntShape => ({type: 'int', min}),
	/** A finite number, within the limits given. */
	number: (limits: Omit<NumberShape, 'type'> = {}): NumberShape => ({type: 'number', ...limits}),
	enum: <const V extends string>(values: readonly V[]): EnumShape<V> => ({type: 'enum', values}),
	/** An object of any keys, each value of `of`. */
	record: <S extends Shape>(of: S): RecordShape<S> => ({type: 'record', of}),
	boolean: (): BooleanShape => ({type: 'boolean'}),
	literal: <const V extends string | number>(value: V): LiteralShape<V> => ({type: 'literal', value}),
	nullable: <S extends Shape>(of: S): NullableShape<S> => ({type: 'nullable', of}),
	array: <S extends Shape>(of: S, limits: {readonly min?: number; readonly max?: number} = {}): ArrayShape<S> => ({
		type: 'array',
		of,
		...limits,
	}),
	optional: <S extends Shape>(of: S): OptionalShape<S> => ({type: 'optional', of}),
	/** `value` is not checked against `of` (TypeScript cannot follow that far): give one that passes. */
	withDefault: <S extends Shape>(of: S, value: unknown): DefaultShape<S> => ({type: 'default', of, value}),
	object: <const F extends Fields>(
		fields: F,
		refine?: (value: InferFields<F>) => string | undefined,
	): ObjectShape<F> => ({type: 'object', shape: fields, ...(refine ? {refine} : {})}),
	union: <const M extends Members>(key: string, members: M): UnionShape<M> => ({
		type: 'union',
		key,
		members,
	}),
};

type Origin = 'number' | 'int' | 'string' | 'array';
/** What went wrong, in zod's terms, so a caller can word it its own way (config.json does). */
export type IssueDetail =
	| {readonly code: 'invalid_type'; readonly expected: string}
	| {
			readonly code: 'too_small';
			readonly origin: Origin;
			readonly minimum: number;
			readonly inclusive: boolean;
	  }
	| {readonly code: 'too_big'; readonly origin: Origin; readonly maximum: number}
	| {readonly code: 'invalid_value'; readonly values: readonly unknown[]}
	| {readonly code: 'invalid_format'; readonly format: string}
	| {readonly code: 'invalid_union'}
	| {readonly code: 'custom'};
export type ShapeIssue = {readonly path: ReadonlyArray<string | number>; readonly message: string} & IssueDetail;
export type ShapeResult<T> =
	| {readonly success: true; readonly data: T}
	| {readonly success: false; readonly error: {readonly issues: readonly ShapeIssue[]}};

/** Thrown by `parseShape`: the first issue, as one line. */
export class ShapeError extends Error {
	constructor(readonly issues: readonly ShapeIssue[]) {
		const issue = issues[0];
		super(issue ? `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}` : 'invalid');
		this.name = 'ShapeError';
	}
}

/** Checks `value` against `s`: a copy without unknown keys, or the first issue. */
export function checkShape<S extends Shape>(s: S, value: unknown): ShapeResult<Infer<S>> {
	const path: Array<string | number> = [];
	const out = check(s, value, path);
	return out instanceof Issue
		? {success: false, error: {issues: [{path: out.path, message: out.message, ...out.detail}]}}
		: {success: true, data: out as Infer<S>};
}

export function parseShape<S extends Shape>(s: S, value: unknown): Infer<S> {
	const out = check(s, value, []);
	if (out instanceof Issue) throw new ShapeError([{path: out.path, message: out.message, ...out.detail}]);
	return out as Infer<S>;
}

class Issue {
	readonly path: ReadonlyArray<string | number>;
	constructor(
		path: ReadonlyArray<string | number>,
		readonly message: string,
		readonly detail: IssueDetail,
	) {
		this.path = [...path];
	}
}

function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
	return typeof value;
}

function expected(what: string, value: unknown, path: ReadonlyArray<string | number>): Issue {
	return new Issue(path, `Invalid input: expected ${what}, received ${typeName(value)}`, {
		code: 'invalid_type',
		expected: what,
	});
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// zod's iso.datetime({offset: true}): seconds required, any fraction, Z or ±hh:mm. zod checks the calendar in one
// large pattern that costs about 1 ms to build and compile on first use; here the day is checked by arithmetic.
/** zod counts characters in code points; `length` counts UTF-16 units, one or two per code point. */
function codePoints(value: string): number {
	let count = 0;
	for (const _ of value) count++;
	return count;
}

// Counted only when the units leave it open, so the common case costs nothing.
function tooShort(value: string, min: number): boolean {
	return value.length < min || (value.length < 2 * min && codePoints(value) < min);
}

function tooLong(value: string, max: number): boolean {
	return value.length > max && (value.length > 2 * max || codePoints(value) > max);
}

function tooSmall(
	path: ReadonlyArray<string | number>,
	origin: Origin,
	minimum: number,
	inclusive: boolean,
	message: string,
): Issue {
	return new Issue(path, message, {code: 'too_small', origin, minimum, inclusive});
}

function tooBig(path: ReadonlyArray<string | number>, origin: Origin, maximum: number, message: string): Issue {
	return new Issue(path, message, {code: 'too_big', origin, maximum});
}

function checkString(s: StringShape, value: unknown, path: Array<string | number>): unknown {
	if (typeof value !== 'string') return expected('string', value, path);
	if (s.min !== undefined && tooShort(value, s.min))
		return tooSmall(path, 'string', s.min, true, `Too small: expected string to have >=${s.min} characters`);
	if (s.max !== undefined && tooLong(value, s.max))
		return tooBig(path, 'string', s.max, `Too big: expected string to have <=${s.max} characters`);
	if (s.pattern && !s.pattern.test(value))
		return new Issue(path, s.patternMessage ?? `Invalid string: must match pattern ${String(s.pattern)}`, {
			code: 'invalid_format',
			format: 'regex',
		});
	return value;
}

function checkObject(s: ObjectShape, value: unknown, path: Array<string | number>): unknown {
	if (!isRecord(value)) return expected('object', value, path);
	const out: Record<string, unknown> = {};
	for (const [key, field] of Object.entries(s.shape)) {
		const item = value[key];
		if (item === undefined && field.type === 'default') {
			out[key] = structuredClone(field.value);
			continue;
		}
		path.push(key);
		const checked = field.type === 'optional' && item === undefined ? undefined : check(unwrap(field), item, path);
		path.pop();
		if (checked instanceof Issue) return checked;
		if (checked !== undefined || key in value) out[key] = checked;
	}
	const problem = s.refine?.(out as never);
	return problem === undefined ? out : new Issue(path, problem, {code: 'custom'});
}

function unwrap(field: Shape | OptionalShape | DefaultShape): Shape {
	return field.type === 'optional' || field.type === 'default' ? field.of : field;
}

function checkArray(s: ArrayShape, value: unknown, path: Array<string | number>): unknown {
	if (!Array.isArray(value)) return expected('array', value, path);
	if (s.min !== undefined && value.length < s.min)
		return tooSmall(path, 'array', s.min, true, `Too small: expected array to have >=${s.min} items`);
	if (s.max !== undefined && value.length > s.max)
		return tooBig(path, 'array', s.max, `Too big: expected array to have <=${s.max} items`);
	const out: unknown[] = [];
	for (const [index, item] of value.entries()) {
		path.push(index);
		const checked = check(s.of, item, path);
		path.pop();
		if (checked instanceof Issue) return checked;
		out.push(checked);
	}
	return out;
}

function checkEnum(s: EnumShape, value: unknown, path: Array<string | number>): unknown {
	if (s.values.includes(value as string)) return value;
	return new Issue(path, `Invalid option: expected one of ${s.values.map((v) => JSON.stringify(v)).join('|')}`, {
		code: 'invalid_value',
		values: s.values,
	});
}

function checkRecord(s: RecordShape, value: unknown, path: Array<string | number>): unknown {
	if (!isRecord(value)) return expected('record', value, path);
	const out: Array<[string, unknown]> = [];
	for (const [key, item] of Object.entries(value)) {
		path.push(key);
		const checked = check(s.of, item, path);
		path.pop();
		if (checked instanceof Issue) return checked;
		out.push([key, checked]);
	}
	// fromEntries defines each key, so a "__proto__" key from JSON stays a key.
	return Object.fromEntries(out);
}

function checkUnion(s: UnionShape, value: unknown, path: Array<string | number>): unknown {
	if (!isRecord(value)) return expected('object', value, path);
	const tag = value[s.key];
	const member = typeof tag === 'string' && Object.hasOwn(s.members, tag) ? s.members[tag] : undefined;
	if (!member) return new Issue([...path, s.key], 'Invalid input', {code: 'invalid_union'});
	return check(member, value, path);
}

function checkNumber(s: NumberShape | IntShape, value: unknown, path: Array<string | number>): unknown {
	if (typeof value !== 'number' || !Number.isFinite(value)) return expected('number', value, path);
	if (s.type === 'int' || s.int) {
		if (!Number.isInteger(value))
			return new Issue(path, 'Invalid input: expected int, received number', {code: 'invalid_type', expected: 'int'});
		const limit = Number.MAX_SAFE_INTEGER;
		if (value > limit) return tooBig(path, 'int', limit, `Too big: expected int to be <=${limit}`);
		if (value < -limit) return tooSmall(path, 'int', -limit, true, `Too small: expected int to be >=${-limit}`);
	}
	if (s.min !== undefined && value < s.min)
		return tooSmall(path, 'number', s.min, true, `Too small: expected number to be >=${s.min}`);
	if (s.type === 'number' && s.above !== undefined && value <= s.above)
		return tooSmall(path, 'number', s.above, false, `Too small: expected number to be >${s.above}`);
	if (s.type === 'number' && s.max !== undefined && value > s.max)
		return tooBig(path, 'number', s.max, `Too big: expected number to be <=${s.max}`);
	return value;
}

/** The shapes that hold one value. */
function checkScalar(
	s: StringShape | IsoDateShape | IntShape | NumberShape | EnumShape | BooleanShape | LiteralShape,
	value: unknown,
	path: Array<string | number>,
): unknown {
	switch (s.type) {
		case 'string':
			return checkString(s, value, path);
		case 'iso-datetime':
			if (typeof value !== 'string') return expected('string', value, path);
			return isIsoDatetime(value)
				? value
				: new Issue(path, 'Invalid ISO datetime', {code: 'invalid_format', format: 'datetime'});
		case 'int':
		case 'number':
			return checkNumber(s, value, path);
		case 'enum':
			return checkEnum(s, value, path);
		case 'boolean':
			return typeof value === 'boolean' ? value : expected('boolean', value, path);
		case 'literal':
			return value === s.value
				? value
				: new Issue(path, `Invalid input: expected ${JSON.stringify(s.value)}`, {
						code: 'invalid_value',
						values: [s.value],
					});
		default: {
			const never: never = s;
			throw new Error(`unknown shape ${String(never)}`);
		}
	}
}

function check(s: Shape, value: unknown, path: Array<string | number>): unknown {
	switch (s.type) {
		case 'nullable':
			return value === null ? null : check(s.of, value, path);
		case 'array':
			return checkArray(s, value, path);
		case 'record':
			return checkRecord(s, value, path);
		case 'object':
			return checkObject(s, value, path);
		case 'union':
			return checkUnion(s, value, path);
		default:
			return checkScalar(s, value, path);
	}
}
