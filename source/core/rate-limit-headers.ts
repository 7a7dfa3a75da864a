// Rate-limit and quota facts from response headers (docs/providers.md). Field by field: a missing or garbage
// value is left out, and nothing here ever throws on provider input.
import type {QuotaWindow, UsageCredits} from './quota.js';
import type {ProviderId} from './schemas.js';

export type HeaderBag =
	Readonly<Record<string, string | readonly string[] | undefined>> | {get(name: string): string | null};

export type RateLimitBucket = {limit?: number; remaining?: number; resetsAt?: number};

export type RateLimitSnapshot = {
	provider: ProviderId;
	observedAt: number;
	requests?: RateLimitBucket;
	tokens?: RateLimitBucket;
	inputTokens?: RateLimitBucket;
	outputTokens?: RateLimitBucket;
	/** From `retry-after` (seconds or an HTTP date), as epoch ms. */
	retryAt?: number;
	/** Subscription windows: Anthropic unified 5h/7d. */
	windows: QuotaWindow[];
	credits?: UsageCredits;
	/** Anthropic unified status: allowed | allowed_warning | rejected (kept as sent when unknown). */
	unifiedStatus?: string;
	/** When the caller may send again, if the headers say it is blocked now. */
	rateLimitedUntil?: number;
};

function getter(headers: HeaderBag): (name: string) => string | undefined {
	if (typeof (headers as {get?: unknown}).get === 'function') {
		const h = headers as {get(name: string): string | null};
		return (name) => {
			try {
				return h.get(name) ?? undefined;
			} catch {
				return undefined;
			}
		};
	}
	const lower = new Map<string, string>();
	for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
		const first = Array.isArray(value) ? value[0] : value;
		if (typeof first === 'string') lower.set(key.toLowerCase(), first);
	}
	return (name) => lower.get(name);
}

const NUMBER = /^-?\d+(?:\.\d+)?$/;

function num(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const v = value.trim();
	if (!NUMBER.test(v)) return undefined;
	const n = Number(v);
	return Number.isFinite(n) ? n : undefined;
}

function count(value: string | undefined): number | undefined {
	const n = num(value);
	return n !== undefined && n >= 0 ? n : undefined;
}

const DURATION_UNITS: Readonly<Record<string, number>> = {h: 3_600_000, m: 60_000, s: 1000, ms: 1};

/** OpenAI reset durations: "6m0s", "1s", "20ms", "1h2m3.5s", "0.5s". */
export function parseOpenAIDuration(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const v = value.trim();
	if (!/^(?:\d+(?:\.\d+)?(?:ms|h|m|s))+$/.test(v)) return undefined;
	let total = 0;
	for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
	return Number.isFinite(total) ? Math.round(total) : undefined;
}

function rfc3339(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const v = value.trim();
	if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/.test(v)) return undefined;
	const ms = Date.parse(v);
	return Number.isFinite(ms) ? ms : undefined;
}

/** Unix seconds (what Anthropic's unified headers send) to epoch ms; nonsense years are dropped. */
function epochSeconds(value: string | undefined): number | undefined {
	const n = count(value);
	if (n === undefined || n <= 0 || n > 32_503_680_000) return undefined;
	return Math.round(n * 1000);
}

/** `retry-after`: delay seconds or an HTTP date. */
function retryAfter(value: string | undefined, now: number): number | undefined {
	if (value === undefined) return undefined;
	const seconds = count(value);
	if (seconds !== undefined) return now + Math.round(seconds * 1000);
	const v = value.trim();
	if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(v)) return undefined;
	const ms = Date.parse(v);
	return Number.isFinite(ms) ? ms : undefined;
}

function bucket(parts: RateLimitBucket): RateLimitBucket | undefined {
	const out: RateLimitBucket = {};
	if (parts.limit !== undefined) out.limit = parts.limit;
	if (parts.remaining !== undefined) out.remaining = parts.remaining;
	if (parts.resetsAt !== undefined) out.resetsAt = parts.resetsAt;
	return Object.keys(out).length > 0 ? out : undefined;
}

/** Parses every documented rate-limit header of a provider's response. Never throws. */
export function parseRateLimitHeaders(
	provider: ProviderId,
	headers: HeaderBag | null | undefined,
	now: number,
): RateLimitSnapshot {
	const snapshot: RateLimitSnapshot = {provider, observedAt: now, windows: []};
	if (!headers || typeof headers !== 'object') return snapshot;
	const get = getter(headers);
	const retryAt = retryAfter(get('retry-after'), now);
	if (retryAt !== undefined) snapshot.retryAt = retryAt;
	if (provider === 'openai') parseOpenAI(get, now, snapshot);
	else parseAnthropic(get, now, snapshot);
	const until = blockedUntil(snapshot, now);
	if (until !== undefined) snapshot.rateLimitedUntil = until;
	return snapshot;
}

function parseOpenAI(get: (name: string) => string | undefined, now: number, out: RateLimitSnapshot): void {
	for (const kind of ['requests', 'tokens'] as const) {
		const reset = parseOpenAIDuration(get(`x-ratelimit-reset-${kind}`));
		const b = bucket({
			limit: count(get(`x-ratelimit-limit-${kind}`)),
			remaining: count(get(`x-ratelimit-remaining-${kind}`)),
			resetsAt: reset !== undefined ? now + reset : undefined,
		});
		if (b) out[kind] = b;
	}
	// No quota headers exist for ChatGPT plan tokens (there are none to parse); plan limits arrive as errors.
}

function parseAnthropic(get: (name: string) => string | undefined, now: number, out: RateLimitSnapshot): void {
	const kinds = [
		['requests', 'requests'],
		['tokens', 'tokens'],
		['input-tokens', 'inputTokens'],
		['output-tokens', 'outputTokens'],
	] as const;
	for (const [header, field] of kinds) {
		const b = bucket({
			limit: count(get(`anthropic-ratelimit-${header}-limit`)),
			remaining: count(get(`anthropic-ratelimit-${header}-remaining`)),
			resetsAt: rfc3339(get(`anthropic-ratelimit-${header}-reset`)),
		});
		if (b) out[field] = b;
	}
	const status = get('anthropic-ratelimit-unified-status')?.trim().toLowerCase();
	if (status && /^[a-z_]{1,32}$/.test(status)) out.unifiedStatus = status;
	for (const [key, name, windowSeconds] of [
		['5h', '5h', 5 * 3600],
		['7d', 'weekly', 7 * 86400],
	] as const) {
		const fraction = num(get(`anthropic-ratelimit-unified-${key}-utilization`));
		if (fraction === undefined || fraction < 0) continue;
		const resetsAt = epochSeconds(get(`anthropic-ratelimit-unified-${key}-reset`));
		out.windows.push({
			name,
			// A 0–1 fraction on the wire; percent everywhere else.
			usedPercent: Math.round(fraction * 10_000) / 100,
			windowSeconds,
			...(resetsAt !== undefined ? {resetsAt} : {}),
			source: 'headers',
			observedAt: now,
		});
	}
	// The unified reset of the claim that decided the status, when sent.
	const unifiedReset = epochSeconds(get('anthropic-ratelimit-unified-reset'));
	if (out.unifiedStatus === 'rejected' && unifiedReset !== undefined && out.retryAt === undefined && unifiedReset > now)
		out.retryAt = unifiedReset;
}

/** retry-after first; then a rejected/exhausted window's reset; then an exhausted request or token bucket. */
function blockedUntil(s: RateLimitSnapshot, now: number): number | undefined {
	if (s.retryAt !== undefined && s.retryAt > now) return s.retryAt;
	const full = s.windows.filter((w) => w.usedPercent >= 100 && w.resetsAt !== undefined && w.resetsAt > now);
	if (full.length > 0 || s.unifiedStatus === 'rejected') {
		const resets = (full.length > 0 ? full : s.windows.filter((w) => w.resetsAt !== undefined && w.resetsAt > now)).map(
			(w) => w.resetsAt!,
		);
		if (resets.length > 0) return Math.max(...resets);
	}
	const empty = [s.requests, s.tokens, s.inputTokens, s.outputTokens].filter(
		(b) => b?.remaining === 0 && b.resetsAt !== undefined && b.resetsAt > now,
	);
	if (empty.length > 0) return Math.max(...empty.map((b) => b!.resetsAt!));
	return undefined;
}
