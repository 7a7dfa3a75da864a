// Claude Code's status line (docs/claude-code-status-line.md): the JSON it pipes to a status-line command,
// read into quota windows, and the surgical text edit of its settings.json that installs our command.
// Pure: no fs, no process.
import type {QuotaWindow} from './quota.js';
import {safeLine} from './text.js';

export const STATUS_LINE_SOURCE_NAME = 'Claude Code status line';

const HOUR = 3600;
const STATUS_LINE_WINDOWS: ReadonlyArray<readonly [string, string, number]> = [
	['five_hour', '5h', 5 * HOUR],
	['seven_day', 'weekly', 7 * 24 * HOUR],
];

export type StatusLineInput = {
	/** Empty when the document has no usable rate_limits. */
	readonly windows: QuotaWindow[];
	readonly version?: string;
	/** model.display_name, made safe for a terminal. */
	readonly model?: string;
	/** Why no windows were read (for --debug only). */
	readonly reasons: readonly string[];
};

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The version that first sends rate_limits; older ones are read, but have no windows to record. */
export const RATE_LIMITS_SINCE = [2, 1, 80] as const;

/** One rate_limits window, or why it cannot be read; undefined when the document does not have it. */
function readWindow(
	limits: Record<string, unknown>,
	[key, name, windowSeconds]: readonly [string, string, number],
	now: number,
): QuotaWindow | string | undefined {
	const w = limits[key];
	if (!isObject(w)) return undefined;
	const used = w.used_percentage;
	if (typeof used !== 'number' || !Number.isFinite(used) || used < 0 || used > 1000)
		return `rate_limits.${key}.used_percentage is not a percentage`;
	const reset = w.resets_at;
	// Unix seconds; anything that is not a plausible instant is left out rather than guessed.
	const resetsAt =
		typeof reset === 'number' && Number.isFinite(reset) && reset > 1e9 && reset < 1e11 ? reset * 1000 : undefined;
	return {
		name,
		usedPercent: used,
		windowSeconds,
		...(resetsAt !== undefined ? {resetsAt} : {}),
		source: 'status-line',
		observedAt: now,
	};
}

function readWindows(limits: unknown, now: number, reasons: string[]): QuotaWindow[] {
	if (!isObject(limits)) {
		reasons.push(
			`no rate_limits (Claude Code older than ${RATE_LIMITS_SINCE.join('.')}, not a claude.ai subscription, or before the first response)`,
		);
		return [];
	}
	const before = reasons.length;
	const windows: QuotaWindow[] = [];
	for (const spec of STATUS_LINE_WINDOWS) {
		const read = readWindow(limits, spec, now);
		if (typeof read === 'string') reasons.push(read);
		else if (read) windows.push(read);
	}
	if (windows.length === 0 && reasons.length === before)
		reasons.push('rate_limits has no five_hour or seven_day window');
	return windows;
}

function parseJson(text: string): {json: unknown} | undefined {
	try {
		return {json: JSON.parse(text)};
	} catch {
		return undefined;
	}
}

/** Never throws: whatever comes in, the status line still prints. */
export function parseStatusLineInput(text: string, now: number): StatusLineInput {
	const parsed = parseJson(text);
	if (!parsed) return {windows: [], reasons: [text.trim() ? 'stdin is not JSON' : 'stdin was empty']};
	const {json} = parsed;
	if (!isObject(json)) return {windows: [], reasons: ['stdin is not a JSON object']};
	const reasons: string[] = [];
	const version =
		typeof json.version === 'string' && /^\d+\.\d+\.\d+/.test(json.version) ? safeLine(json.version, 32) : undefined;
	if (!version) reasons.push('unknown Claude Code version');
	const model =
		isObject(json.model) && typeof json.model.display_name === 'string'
			? safeLine(json.model.display_name, 40) || undefined
			: undefined;
	const windows = readWindows(json.rate_limits, now, reasons);
	return {windows, ...(version ? {version} : {}), ...(model ? {model} : {}), reasons};
}

/** A status-line window is stale once older than its own length, or once its reset time has passed. */
export function statusLineWindowStale(w: QuotaWindow, now: number): boolean {
	if (w.resetsAt !== undefined && w.resetsAt <= now) return true;
	return w.windowSeconds !== undefined && now - w.observedAt > w.windowSeconds * 1000;
}

/** A window that has reset says nothing about the quota now: selection must not block on it. */
export function windowStillCounts(w: Pick<QuotaWindow, 'resetsAt' | 'source'>, now: number): boolean {
	return !(w.source === 'status-line' && w.resetsAt !== undefined && w.resetsAt <= now);
}

/** POSIX shell single quotes: the command Claude Code runs through `sh -c`. */
export function shellQuote(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

// ---- settings.json, edited as text ----

type Member = {
	/** Offset of the key's opening quote. */
	readonly keyStart: number;
	readonly key: string;
	readonly valueStart: number;
	/** Offset just past the value. */
	readonly valueEnd: number;
};

type ObjectScan = {readonly open: number; readonly close: number; readonly members: readonly Member[]};

function skipSpace(text: string, i: number): number {
	while (i < text.length && /\s/.test(text[i]!)) i++;
	return i;
}

function stringEnd(text: string, i: number): number {
	// i is at the opening quote.
	for (let j = i + 1; j < text.length; j++) {
		if (text[j] === '\\') j++;
		else if (text[j] === '"') return j + 1;
	}
	throw new SyntaxError('unterminated string');
}

function valueEnd(text: string, i: number): number {
	const c = text[i];
	if (c === '"') return stringEnd(text, i);
	if (c === '{' || c === '[') {
		let depth = 0;
		for (let j = i; j < text.length; j++) {
			const d = text[j];
			if (d === '"') j = stringEnd(text, j) - 1;
			else if (d === '{' || d === '[') depth++;
			else if (d === '}' || d === ']') {
				depth--;
				if (depth === 0) return j + 1;
			}
		}
		throw new SyntaxError('unbalanced brackets');
	}
	let j = i;
	while (j < text.length && !/[\s,}\]]/.test(text[j]!)) j++;
	return j;
}

/** The top-level members of a JSON object text (already known to parse), with their offsets. */
function scanObject(text: string): ObjectScan {
	const open = skipSpace(text, 0);
	if (text[open] !== '{') throw new SyntaxError('not an object');
	const members: Member[] = [];
	let i = skipSpace(text, open + 1);
	while (text[i] !== '}') {
		const keyStart = i;
		const keyEnd = stringEnd(text, i);
		const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
		i = skipSpace(text, keyEnd);
		i = skipSpace(text, i + 1); // past ':'
		const end = valueEnd(text, i);
		members.push({keyStart, key, valueStart: i, valueEnd: end});
		i = skipSpace(text, end);
		if (text[i] === ',') i = skipSpace(text, i + 1);
	}
	return {open, close: i, members};
}

export type SettingsEdit = {
	/** The whole new file text. */
	readonly text: string;
	/** The statusLine value before, as it was written; undefined when there was none. */
	readonly previous?: string;
	/** The command of the previous statusLine, when it was a command: chained after ours. */
	readonly previousCommand?: string;
	/** The statusLine value written. */
	readonly value: string;
};

export class SettingsTextError extends Error {}

function parseSettings(text: string): Record<string, unknown> {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new SettingsTextError('is not valid JSON');
	}
	if (!isObject(json)) throw new SettingsTextError('is not a JSON object');
	return json;
}

function indentOf(text: string, offset: number): string {
	const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
	return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** {"type": "command", "command": …} laid out like the file's own members, keeping a previous padding. */
export function statusLineValue(command: string, indent: string, padding?: number): string {
	const inner = `${indent}${indent || '  '}`;
	const fields = [
		`"type": "command"`,
		`"command": ${JSON.stringify(command)}`,
		...(padding !== undefined ? [`"padding": ${padding}`] : []),
	];
	return `{\n${fields.map((f) => `${inner}${f}`).join(',\n')}\n${indent}}`;
}

/**
 * Sets statusLine to our command. Only the statusLine value changes (or one member is added before the
 * closing brace); every other byte of the file stays as it was.
 */
export function installStatusLine(text: string, command: string): SettingsEdit {
	if (text.trim() === '') {
		const value = statusLineValue(command, '  ');
		return {text: `{\n  "statusLine": ${value}\n}\n`, value};
	}
	const json = parseSettings(text);
	const scan = scanObject(text);
	const existing = scan.members.find((m) => m.key === 'statusLine');
	if (existing) {
		const previous = text.slice(existing.valueStart, existing.valueEnd);
		const old = json.statusLine;
		const previousCommand =
			isObject(old) && old.type === 'command' && typeof old.command === 'string' && old.command.trim()
				? old.command
				: undefined;
		const padding =
			isObject(old) && typeof old.padding === 'number' && Number.isFinite(old.padding) ? old.padding : undefined;
		const value = statusLineValue(command, indentOf(text, existing.keyStart), padding);
		return {
			text: text.slice(0, existing.valueStart) + value + text.slice(existing.valueEnd),
			previous,
			...(previousCommand ? {previousCommand} : {}),
			value,
		};
	}
	const last = scan.members[scan.members.length - 1];
	if (!last) {
		const value = statusLineValue(command, '  ');
		return {text: `${text.slice(0, scan.open + 1)}\n  "statusLine": ${value}\n${text.slice(scan.close)}`, value};
	}
	const indent = indentOf(text, last.keyStart);
	const value = statusLineValue(command, indent);
	const gap = text.slice(scan.open, scan.members[0]!.keyStart).includes('\n') ? `\n${indent}` : ' ';
	return {text: `${text.slice(0, last.valueEnd)},${gap}"statusLine": ${value}${text.slice(last.valueEnd)}`, value};
}

/**
 * Undoes installStatusLine: puts `previous` back as the statusLine value, or removes the member our install
 * added. Refuses (SettingsTextError) when statusLine is no longer `installed`: the user changed it since.
 */
export function uninstallStatusLine(text: string, installed: string, previous: string | undefined): string {
	parseSettings(text);
	const scan = scanObject(text);
	const index = scan.members.findIndex((m) => m.key === 'statusLine');
	const member = scan.members[index];
	if (!member) throw new SettingsTextError('has no statusLine any more; nothing to restore');
	if (text.slice(member.valueStart, member.valueEnd) !== installed)
		throw new SettingsTextError('has a statusLine changed since the install; edit it by hand');
	if (previous !== undefined) return text.slice(0, member.valueStart) + previous + text.slice(member.valueEnd);
	const before = scan.members[index - 1];
	const after = scan.members[index + 1];
	// Cut from the end of the member before (its comma goes with ours), else up to the member after.
	if (before) return text.slice(0, before.valueEnd) + text.slice(member.valueEnd);
	if (after) return text.slice(0, member.keyStart) + text.slice(after.keyStart);
	return `${text.slice(0, scan.open + 1)}${text.slice(scan.close)}`;
}

/** The statusLine command currently set, if any (for showing what an install would chain). */
export function currentStatusLineCommand(text: string): string | undefined {
	if (text.trim() === '') return undefined;
	try {
		const json = parseSettings(text);
		const s = json.statusLine;
		return isObject(s) && typeof s.command === 'string' ? s.command : undefined;
	} catch {
		return undefined;
	}
}
