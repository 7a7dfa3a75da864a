// ISO date-times as the stored files write them, read by hand: a regular expression is compiled on its first use
// (~0.3 ms of a host's first resolveCredential()), and no code cache keeps that.

const SEPARATORS = [
	[4, '-'],
	[7, '-'],
	[10, 'T'],
	[13, ':'],
	[16, ':'],
] as const;
// Year, month, day, hour, minute, second: where each starts and how many digits it has.
const FIELDS = [
	[0, 4],
	[5, 2],
	[8, 2],
	[11, 2],
	[14, 2],
	[17, 2],
] as const;
const SECONDS_END = 19;

/** The number written by `count` ASCII digits at `from`, or -1. */
function digitsAt(value: string, from: number, count: number): number {
	let number = 0;
	for (let i = from; i < from + count; i++) {
		const code = value.charCodeAt(i);
		if (code < 48 || code > 57) return -1;
		number = number * 10 + code - 48;
	}
	return number;
}

function inRange(value: number, min: number, max: number): boolean {
	return value >= min && value <= max;
}

/** Where an optional fraction of a second ends, or -1 for a dot without digits. */
function fractionEnd(value: string): number {
	if (value[SECONDS_END] !== '.') return SECONDS_END;
	let at = SECONDS_END + 1;
	while (digitsAt(value, at, 1) >= 0) at++;
	return at === SECONDS_END + 1 ? -1 : at;
}

/** Z, or ±HH:MM, ending the text at `at`. */
function endsWithOffset(value: string, at: number): boolean {
	if (value[at] === 'Z') return at + 1 === value.length;
	if (value[at] !== '+' && value[at] !== '-') return false;
	return (
		at + 6 === value.length &&
		value[at + 3] === ':' &&
		inRange(digitsAt(value, at + 1, 2), 0, 23) &&
		inRange(digitsAt(value, at + 4, 2), 0, 59)
	);
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * YYYY-MM-DDTHH:MM:SS, an optional fraction, then Z or ±HH:MM, on a real calendar day: what zod's
 * iso.datetime({offset: true}) accepts.
 */
export function isIsoDatetime(value: string): boolean {
	if (value.length < SECONDS_END + 1 || SEPARATORS.some(([index, char]) => value[index] !== char)) return false;
	const [year, month, day, hour, minute, second] = FIELDS.map(([from, count]) => digitsAt(value, from, count)) as [
		number,
		number,
		number,
		number,
		number,
		number,
	];
	if (year < 0 || !inRange(month, 1, 12) || !inRange(hour, 0, 23)) return false;
	if (!inRange(minute, 0, 59) || !inRange(second, 0, 59)) return false;
	const end = fractionEnd(value);
	return end > 0 && endsWithOffset(value, end) && inRange(day, 1, daysInMonth(year, month));
}
