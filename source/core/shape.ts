// Shapes of the auth file, as plain data with one small checker. The auth file is read at the start of most
// commands and by a host's first resolveCredential(); checking it with zod meant building the schemas first,
// about 5 ms in a fresh process, most of it compiling zod itself (docs/auth-file-schema.md, "Checking").
// Messages and the output follow zod's: unknown keys are dropped, the first issue names its path.
interface StringShape {
	readonly type: 'string';
	readonly min?: number;
	readonly max?: number;
	readonly pattern?: RegExp;
	readonly patternMessage?: string;
}
interface IsoDateShape {
	readonly type: 'iso-datetime';
}
interface IntShape {
	readonly type: 'int';
	readonly min: number;
}
interface BooleanShape {
	readonly type: 'boolean';
}
interface LiteralShape<V extends string | number = string | number> {
	readonly type: 'literal';
	readonly value: V;
}
interface NullableShape<S extends Shape = Shape> {
	readonly type: 'nullable';
	readonly of: S;
}
interface ArrayShape<S extends Shape = Shape> {
	readonly type: 'array';
	readonly of: S;
	readonly max?: number;
}
interface OptionalShape<S extends Shape = Shape> {
	readonly type: 'optional';
	readonly of: S;
}
interface Fields {
	readonly [key: string]: Shape | OptionalShape;
}
interface Members {
	readonly [tag: string]: ObjectShape;
}
export interface ObjectShape<F extends Fields = Fields> {
	readonly type: 'object';
	readonly shape: F;
	/** A check of the whole object once its fields passed: the message of the first problem, or undefined. */
	readonly refine?: (value: never) => string | undefined;
}
interface UnionShape<M extends Members = Members> {
	readonly type: 'union';
	readonly key: string;
	readonly members: M;
}
export type Shape =
	| StringShape
	| IsoDateShape
	| IntShape
	| BooleanShape
	| LiteralShape
	| NullableShape
	| ArrayShape
	| ObjectShape
	| UnionShape;

type Simplify<T> = {[K in keyof T]: T[K]} & {};
type InferFields<F extends Fields> = Simplify<
	{-readonly [K in keyof F as F[K] extends OptionalShape ? never : K]: Infer<F[K]>} & {
		-readonly [K in keyof F as F[K] extends OptionalShape ? K : never]?: F[K] extends OptionalShape<infer S>
			? Infer<S> | undefined
			: never;
	}
>;
/** The value a shape accepts, as zod's `infer` gives it. */
export type Infer<S> = S extends StringShape | IsoDateShape
	? string
	: S extends IntShape
		? number
		: S extends BooleanShape
			? boolean
			: S extends LiteralShape<infer V>
				? V
				: S extends NullableShape<infer I>
					? Infer<I> | null
					: S extends ArrayShape<infer I>
						? Array<Infer<I>>
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
	boolean: (): BooleanShape => ({type: 'boolean'}),
	literal: <const V extends string | number>(value: V): LiteralShape<V> => ({type: 'literal', value}),
	nullable: <S extends Shape>(of: S): NullableShape<S> => ({type: 'nullable', of}),
	array: <S extends Shape>(of: S, max?: number): ArrayShape<S> => ({
		type: 'array',
		of,
		...(max === undefined ? {} : {max}),
	}),
	optional: <S extends Shape>(of: S): OptionalShape<S> => ({type: 'optional', of}),
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

export type ShapeIssue = {readonly path: ReadonlyArray<string | number>; readonly message: string};
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
		? {success: false, error: {issues: [{path: out.path, message: out.message}]}}
		: {success: true, data: out as Infer<S>};
}

export function parseShape<S extends Shape>(s: S, value: unknown): Infer<S> {
	const out = check(s, value, []);
	if (out instanceof Issue) throw new ShapeError([{path: out.path, message: out.message}]);
	return out as Infer<S>;
}

class Issue {
	constructor(
		readonly path: ReadonlyArray<string | number>,
		readonly message: string,
	) {}
}

function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
	return typeof value;
}

function expected(what: string, value: unknown, path: ReadonlyArray<string | number>): Issue {
	return new Issue([...path], `Invalid input: expected ${what}, received ${typeName(value)}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// zod's iso.datetime({offset: true}): seconds required, any fraction, Z or ±hh:mm. zod checks the calendar in one
// large pattern that costs about 1 ms to build and compile on first use; here the day is checked by arithmetic.
const ISO_DATETIME =
	/^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

function isIsoDatetime(value: string): boolean {
	const match = ISO_DATETIME.exec(value);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
	return day <= days;
}

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

function checkString(s: StringShape, value: unknown, path: Array<string | number>): unknown {
	if (typeof value !== 'string') return expected('string', value, path);
	if (s.min !== undefined && tooShort(value, s.min))
		return new Issue([...path], `Too small: expected string to have >=${s.min} characters`);
	if (s.max !== undefined && tooLong(value, s.max))
		return new Issue([...path], `Too big: expected string to have <=${s.max} characters`);
	if (s.pattern && !s.pattern.test(value))
		return new Issue([...path], s.patternMessage ?? `Invalid string: must match pattern ${String(s.pattern)}`);
	return value;
}

function checkObject(s: ObjectShape, value: unknown, path: Array<string | number>): unknown {
	if (!isRecord(value)) return expected('object', value, path);
	const out: Record<string, unknown> = {};
	for (const [key, field] of Object.entries(s.shape)) {
		const item = value[key];
		path.push(key);
		const checked = field.type === 'optional' && item === undefined ? undefined : check(unwrap(field), item, path);
		path.pop();
		if (checked instanceof Issue) return checked;
		if (checked !== undefined || key in value) out[key] = checked;
	}
	const problem = s.refine?.(out as never);
	return problem === undefined ? out : new Issue([...path], problem);
}

function unwrap(field: Shape | OptionalShape): Shape {
	return field.type === 'optional' ? field.of : field;
}

function checkArray(s: ArrayShape, value: unknown, path: Array<string | number>): unknown {
	if (!Array.isArray(value)) return expected('array', value, path);
	if (s.max !== undefined && value.length > s.max)
		return new Issue([...path], `Too big: expected array to have <=${s.max} items`);
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

function checkUnion(s: UnionShape, value: unknown, path: Array<string | number>): unknown {
	if (!isRecord(value)) return expected('object', value, path);
	const tag = value[s.key];
	const member = typeof tag === 'string' && Object.hasOwn(s.members, tag) ? s.members[tag] : undefined;
	if (!member) return new Issue([...path, s.key], 'Invalid input');
	return check(member, value, path);
}

function check(s: Shape, value: unknown, path: Array<string | number>): unknown {
	switch (s.type) {
		case 'string':
			return checkString(s, value, path);
		case 'iso-datetime':
			if (typeof value !== 'string') return expected('string', value, path);
			return isIsoDatetime(value) ? value : new Issue([...path], 'Invalid ISO datetime');
		case 'int':
			if (typeof value !== 'number' || !Number.isFinite(value)) return expected('number', value, path);
			if (!Number.isSafeInteger(value)) return new Issue([...path], 'Invalid input: expected int, received number');
			return value < s.min ? new Issue([...path], `Too small: expected number to be >=${s.min}`) : value;
		case 'boolean':
			return typeof value === 'boolean' ? value : expected('boolean', value, path);
		case 'literal':
			return value === s.value ? value : new Issue([...path], `Invalid input: expected ${JSON.stringify(s.value)}`);
		case 'nullable':
			return value === null ? null : check(s.of, value, path);
		case 'array':
			return checkArray(s, value, path);
		case 'object':
			return checkObject(s, value, path);
		case 'union':
			return checkUnion(s, value, path);
		default: {
			const never: never = s;
			throw new Error(`unknown shape ${String(never)}`);
		}
	}
}
