// Quota maths: window labels, reset times, bars, alert levels, staleness, and the two usage bodies.
import {TuiError} from './errors.js';
import {DEFAULT_ALERT_PERCENTS} from './schemas.js';
import {PROVIDERS} from './provider-registry.js';
import {safeLine} from './text.js';

export type QuotaSource = 'usage-endpoint' | 'headers' | 'ledger' | 'status-line';

/** One quota window, whatever it was read from. Times are epoch ms. */
export type QuotaWindow = {
	/** "5h", "weekly", "weekly opus", "primary"… */
	name: string;
	/** 0–100 (may exceed 100 when a provider reports overage). */
	usedPercent: number;
	windowSeconds?: number;
	resetsAt?: number;
	source: QuotaSource;
	observedAt: number;
};

const HOUR = 3600;
const DAY = 24 * HOUR;
const NAMED_WINDOWS: ReadonlyArray<readonly [string, number]> = [
	['5h', 5 * HOUR],
	['daily', DAY],
	['weekly', 7 * DAY],
	['monthly', 30 * DAY],
];

/** A window's name by its length, within 5%: 5h, daily, weekly, monthly; else "90m", "2h", "3d", "45s". */
export function labelWindow(seconds: number): string {
	if (!Number.isFinite(seconds) || seconds <= 0) return 'unknown';
	for (const [name, length] of NAMED_WINDOWS) {
		if (Math.abs(seconds - length) <= length * 0.05) return name;
	}
	if (seconds % DAY === 0) return `${seconds / DAY}d`;
	if (seconds % HOUR === 0) return `${seconds / HOUR}h`;
	if (seconds % 60 === 0) return `${seconds / 60}m`;
	return `${Math.round(seconds)}s`;
}

/** "2 h 14 m", "3 d 4 h", "14 m", "45 s"; floored to the shown unit. */
export function formatDuration(ms: number): string {
	const total = Math.max(0, Math.floor(ms / 1000));
	const d = Math.floor(total / DAY);
	const h = Math.floor((total % DAY) / HOUR);
	const m = Math.floor((total % HOUR) / 60);
	const s = total % 60;
	if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
	if (h > 0) return m > 0 ? `${h} h ${m} m` : `${h} h`;
	if (m > 0) return `${m} m`;
	return `${s} s`;
}

type DateParts = {year: string; month: string; day: string; hour: string; minute: string; monthShort: string};

// Formatters are costly to build; cache per time zone ('' = the host's zone).
const formatters = new Map<string, {numeric: Intl.DateTimeFormat; short: Intl.DateTimeFormat}>();

function partsIn(ms: number, timeZone?: string): DateParts {
	const key = timeZone ?? '';
	let f = formatters.get(key);
	if (!f) {
		// An unknown zone name falls back to the host's zone rather than failing a status line.
		if (timeZone !== undefined) {
			try {
				new Intl.DateTimeFormat('en-US', {timeZone});
			} catch {
				return partsIn(ms, undefined);
			}
		}
		f = {
			numeric: new Intl.DateTimeFormat('en-US', {
				timeZone,
				year: 'numeric',
				month: '2-digit',
				day: '2-digit',
				hour: '2-digit',
				minute: '2-digit',
				hourCycle: 'h23',
			}),
			short: new Intl.DateTimeFormat('en-US', {timeZone, month: 'short'}),
		};
		formatters.set(key, f);
	}
	const get = (parts: Intl.DateTimeFormatPart[], type: string) => parts.find((p) => p.type === type)?.value ?? '';
	const numeric = f.numeric.formatToParts(ms);
	const hour = get(numeric, 'hour');
	return {
		year: get(numeric, 'year'),
		month: get(numeric, 'month'),
		day: get(numeric, 'day'),
		// Some ICU versions print midnight as "24" even with h23.
		hour: hour === '24' ? '00' : hour,
		minute: get(numeric, 'minute'),
		monthShort: get(f.short.formatToParts(ms), 'month'),
	};
}

/** "14:30" when the instant is on today's date in that zone, else "23:12 on 11 Jun". */
export function formatClock(atMs: number, now: number, timeZone?: string): string {
	const at = partsIn(atMs, timeZone);
	const today = partsIn(now, timeZone);
	const clock = `${at.hour}:${at.minute}`;
	const sameDay = at.year === today.year && at.month === today.month && at.day === today.day;
	return sameDay ? clock : `${clock} on ${Number(at.day)} ${at.monthShort}`;
}

/** "resets in 2 h 14 m (14:30)"; "resets in 1 d 2 h (23:12 on 11 Jun)"; "resets now (09:00)" once passed. */
export function formatResetIn(resetAtMs: number, now: number, timeZone?: string): string {
	const clock = formatClock(resetAtMs, now, timeZone);
	if (resetAtMs <= now) return `resets now (${clock})`;
	return `resets in ${formatDuration(resetAtMs - now)} (${clock})`;
}

/** A bar of `width` cells: █ for used, ░ for the rest. Out-of-range and NaN percents are clamped. */
export function progressBar(percent: number, width = 20): string {
	const cells = Math.max(0, Math.floor(width));
	const p = Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
	const filled = Math.round((p / 100) * cells);
	return '█'.repeat(filled) + '░'.repeat(cells - filled);
}

export type AlertLevel = 'ok' | 'warning' | 'critical' | 'exhausted';

/** ok below the lowest alert; warning from it; critical from the highest; exhausted at 100%. */
export function alertLevel(percent: number, alertPercents: readonly number[] = DEFAULT_ALERT_PERCENTS): AlertLevel {
	if (!Number.isFinite(percent)) return 'ok';
	if (percent >= 100) return 'exhausted';
	const levels = [...alertPercents].filter(Number.isFinite).sort((a, b) => a - b);
	if (levels.length === 0) return 'ok';
	if (percent >= levels[levels.length - 1]!) return 'critical';
	if (percent >= levels[0]!) return 'warning';
	return 'ok';
}

/** Codex marks usage older than this as stale; so do we. */
export const STALE_AFTER_MS = 15 * 60 * 1000;

export function isStale(observedAt: number, now: number, maxAgeMs = STALE_AFTER_MS): boolean {
	return now - observedAt > maxAgeMs;
}

/** "just now", "4 m ago", "2 h 3 m ago": every figure shows its age. */
export function formatAge(observedAt: number, now: number): string {
	const age = now - observedAt;
	return age < 60_000 ? 'just now' : `${formatDuration(age)} ago`;
}

export type UsageCredits = {hasCredits?: boolean; unlimited?: boolean; balance?: number};

export type NormalizedUsage = {
	windows: QuotaWindow[];
	plan?: string;
	credits?: UsageCredits;
	/** Claude's `extra_usage` (pay-as-you-go beyond the plan), when present. */
	extraUsage?: {enabled?: boolean; usedPercent?: number; monthlyLimit?: number; usedCredits?: number};
};

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** A finite number, or a numeric string; undefined for null/missing; 'bad' for anything else. */
function numberField(value: unknown): number | undefined | 'bad' {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'number') return Number.isFinite(value) ? value : 'bad';
	if (typeof value === 'string' && /^\s*-?\d+(?:\.\d+)?\s*$/.test(value)) return Number(value);
	return 'bad';
}

function malformed(provider: string, what: string): TuiError {
	return new TuiError(`${provider} usage response is malformed: ${safeLine(what, 120)}`);
}

function optionalNumber(provider: string, value: unknown, where: string): number | undefined {
	const n = numberField(value);
	if (n === 'bad') throw malformed(provider, `${where} is not a number`);
	return n;
}

const CLAUDE_WINDOWS: ReadonlyArray<readonly [string, string, number]> = [
	['five_hour', '5h', 5 * HOUR],
	['seven_day', 'weekly', 7 * DAY],
	['seven_day_opus', 'weekly opus', 7 * DAY],
	['seven_day_sonnet', 'weekly sonnet', 7 * DAY],
];

function isoTime(value: unknown): number | undefined {
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
	const ms = Date.parse(value);
	return Number.isFinite(ms) ? ms : undefined;
}

/** The body of GET api.anthropic.com/api/oauth/usage (undocumented; tolerant of nulls and missing windows). */
export function normalizeClaudeUsage(json: unknown, now: number): NormalizedUsage {
	const P = PROVIDERS.claude.name;
	if (!isObject(json)) throw malformed(P, 'expected a JSON object');
	const windows: QuotaWindow[] = [];
	for (const [key, name, windowSeconds] of CLAUDE_WINDOWS) {
		const w = json[key];
		if (w === null || w === undefined) continue;
		if (!isObject(w)) throw malformed(P, `${key} is not an object`);
		const used = optionalNumber(P, w.utilization, `${key}.utilization`);
		if (used === undefined) continue;
		const resetsAt = isoTime(w.resets_at);
		windows.push({
			name,
			usedPercent: used,
			windowSeconds,
			...(resetsAt !== undefined ? {resetsAt} : {}),
			source: 'usage-endpoint',
			observedAt: now,
		});
	}
	const result: NormalizedUsage = {windows};
	const extra = json.extra_usage;
	if (extra !== null && extra !== undefined) {
		if (!isObject(extra)) throw malformed(P, 'extra_usage is not an object');
		const e: NonNullable<NormalizedUsage['extraUsage']> = {};
		if (typeof extra.is_enabled === 'boolean') e.enabled = extra.is_enabled;
		const used = optionalNumber(P, extra.utilization, 'extra_usage.utilization');
		if (used !== undefined) e.usedPercent = used;
		const limit = optionalNumber(P, extra.monthly_limit, 'extra_usage.monthly_limit');
		if (limit !== undefined) e.monthlyLimit = limit;
		const usedCredits = optionalNumber(P, extra.used_credits, 'extra_usage.used_credits');
		if (usedCredits !== undefined) e.usedCredits = usedCredits;
		result.extraUsage = e;
	}
	return result;
}

/** The fullest window: what a one-line status shows and what selection compares to the threshold. */
export function worstWindow(windows: readonly QuotaWindow[]): QuotaWindow | undefined {
	let worst: QuotaWindow | undefined;
	for (const w of windows) if (!worst || w.usedPercent > worst.usedPercent) worst = w;
	return worst;
}
