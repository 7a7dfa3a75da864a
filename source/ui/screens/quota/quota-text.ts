// Quota as plain strings: the one-line status, the plain-text block, and the pieces the Ink panel shows.
// No ink, no react: `tui quota --line` and `--json` import this and must start fast (status bars run them often).
import {formatClock, formatDuration, formatResetIn, progressBar, type AlertLevel} from '../../../core/quota.js';
import {PROVIDER_IDS, type ProviderId} from '../../../core/schemas.js';
import {STATUS_LINE_SOURCE_NAME} from '../../../core/status-line.js';
import {formatUsd} from '../../../core/prices.js';
import type {AccountQuota, ProviderQuota, QuotaReport, WindowView} from '../../../store/quota.js';

/** The text marker that says what the colour says, so nothing is lost without colour. */
/** The fullest window of the account selection would use (or the provider's active one): for one-line status. */
export function headlineAccount(report: QuotaReport, provider: ProviderId): AccountQuota | undefined {
	const p = report.providers.find((x) => x.provider === provider);
	if (!p) return undefined;
	const chosen =
		report.selection?.provider === provider && report.selection.account
			? p.accounts.find((a) => a.id === report.selection!.account)
			: undefined;
	return chosen ?? p.accounts.find((a) => a.active) ?? p.accounts.find((a) => a.windows.length > 0) ?? p.accounts[0];
}

export function levelMarker(level: AlertLevel): string {
	switch (level) {
		case 'warning':
			return '! high';
		case 'critical':
			return '!! critical';
		case 'exhausted':
			return '✖ limit reached';
		default:
			return '';
	}
}

/** Short window names for the one-line form. */
export function shortWindowName(name: string): string {
	return name
		.replace(/\bweekly\b/, 'wk')
		.replace(/\bdaily\b/, 'day')
		.replace(/\bmonthly\b/, 'mo');
}

const SOURCE_WORDS: Readonly<Record<string, string>> = {
	'usage-endpoint': 'usage endpoint',
	headers: 'headers',
	ledger: 'ledger',
	'status-line': STATUS_LINE_SOURCE_NAME,
};

/** "from headers 12 s ago", "from usage endpoint just now". */
export function describeAge(source: string, ageMs: number): string {
	const age = ageMs < 1000 ? 'just now' : `${formatDuration(ageMs)} ago`;
	return `from ${SOURCE_WORDS[source] ?? source} ${age}`;
}

export function percentText(percent: number): string {
	return `${Math.round(percent)}%`;
}

/** Bar width by terminal width: full at 80+ columns, half below. */
export function barWidth(columns: number): number {
	return columns >= 80 ? 20 : 10;
}

export type WindowLines = {
	readonly name: string;
	readonly bar: string;
	readonly used: string;
	readonly marker: string;
	/** "resets in 2 h 14 m (14:30) · from headers 12 s ago · stale" */
	readonly detail: string;
};

export function windowLines(w: WindowView, now: number, columns: number, timeZone?: string): WindowLines {
	const parts = [
		w.resetsAt !== undefined ? formatResetIn(w.resetsAt, now, timeZone) : undefined,
		describeAge(w.source, w.ageMs),
		w.stale ? 'stale' : undefined,
	];
	return {
		name: w.name,
		bar: progressBar(w.usedPercent, barWidth(columns)),
		used: `${percentText(w.usedPercent)} used`,
		marker: levelMarker(w.level),
		detail: parts.filter(Boolean).join(' · '),
	};
}

const KIND_WORDS: Readonly<Record<AccountQuota['kind'], string>> = {
	oauth: 'subscription',
	'api-key': 'API key',
	delegated: 'delegated',
};

/** "work (subscription, plus) · active" */
export function accountHeading(a: AccountQuota): string {
	const kind = [KIND_WORDS[a.kind], a.plan, a.origin !== 'file' ? 'environment' : undefined].filter(Boolean).join(', ');
	return `${a.label} (${kind})${a.active ? ' · active' : ''}`;
}

/** "spent $1.23 of $5.00 today (25%)", or "spent $0.0630 today (no budget)". */
export function spendLine(a: AccountQuota): string {
	const s = a.spend;
	const cost = formatUsd(s.today.costUsd);
	const tokens = `${compactCount(s.today.inputTokens + s.today.outputTokens)} tokens`;
	if (s.maxCostPerDay === undefined) return `spent ${cost} today, ${tokens} (no budget)`;
	const marker = levelMarker(s.level);
	return `spent ${cost} of ${formatUsd(s.maxCostPerDay)} today (${percentText(s.percent ?? 0)}), ${tokens}${marker ? `  ${marker}` : ''}`;
}

/** 999, 12.3k, 450k, 1.2M. */
export function compactCount(n: number): string {
	if (n < 1000) return String(n);
	if (n < 1_000_000) return `${n < 10_000 ? (n / 1000).toFixed(1) : Math.round(n / 1000)}k`;
	return `${(n / 1_000_000).toFixed(1)}M`;
}

/** API-key request/token buckets from the last headers: "requests 49/50 left · tokens 29k/30k left". */
export function bucketsLine(a: AccountQuota): string | undefined {
	const r = a.rateLimits;
	if (!r) return undefined;
	const fmt = (n: number) => (n >= 10_000 ? compactCount(n) : String(n));
	const parts: string[] = [];
	for (const [name, b] of [
		['requests', r.requests],
		['tokens', r.tokens],
		['input tokens', r.inputTokens],
		['output tokens', r.outputTokens],
	] as const) {
		if (b?.remaining === undefined) continue;
		parts.push(`${name} ${fmt(b.remaining)}${b.limit !== undefined ? `/${fmt(b.limit)}` : ''} left`);
	}
	if (parts.length === 0) return undefined;
	return parts.join(' · ');
}

/** An OSC 8 hyperlink where the terminal gets escapes; "text: url" everywhere else (pipes, NO_COLOR). */
export function hyperlink(text: string, url: string, enabled: boolean): string {
	return enabled ? `\u001B]8;;${url}\u0007${text}\u001B]8;;\u0007` : `${text}: ${url}`;
}

const ago = (at: number, now: number) => (now - at < 1000 ? 'just now' : `${formatDuration(now - at)} ago`);

/**
 * A ChatGPT sign-in's lines: plan usage on or off and the plan, the last limit hit, the terms, Manage usage.
 * Apps get no usage numbers from OpenAI, so there are no bars here.
 */
export function chatgptLines(
	a: AccountQuota,
	now: number,
	options: {readonly link: boolean; readonly timeZone?: string},
): string[] {
	const c = a.chatgpt;
	if (!c) return [];
	const plan = c.plan ? ` (${c.plan})` : '';
	const lines = [
		c.planEnabled
			? `ChatGPT plan usage: on${plan}`
			: `ChatGPT plan usage: off${plan}, identity only: sign in again to allow it, or add an API key`,
	];
	if (c.eligible === false) lines.push('this plan is not one apps may use (Plus and Pro only): use an API key');
	if (c.notEligibleAt !== undefined)
		lines.push(
			`plan usage unavailable for this account (since ${formatClock(c.notEligibleAt, now, options.timeZone)}): use an API key`,
		);
	if (c.lastLimitAt !== undefined) {
		const when = `${formatClock(c.lastLimitAt, now, options.timeZone)}, ${ago(c.lastLimitAt, now)}`;
		lines.push(
			`last limit hit: ${when}${c.lastLimitMidStream ? ' (mid-stream)' : ''}${c.limited ? ' · plan paused; no reset time is given' : ''}`,
		);
	} else lines.push('last limit hit: none recorded');
	lines.push(...c.terms);
	lines.push(hyperlink('Manage usage', c.manageUsageUrl, options.link));
	return lines;
}

/** The one-line form of a ChatGPT sign-in: "plus plan on", "plus plan limit 14:02", "plan off". */
function chatgptSegment(a: AccountQuota, now: number, options: LineOptions): string {
	const c = a.chatgpt!;
	const state = !c.planEnabled
		? 'plan off'
		: c.limited && c.lastLimitAt !== undefined
			? `plan limit ${formatClock(c.lastLimitAt, now)} ✖`
			: 'plan on';
	const body = `${c.plan ? `${c.plan} ` : ''}${state}`;
	const painted = options.color && (c.limited || !c.planEnabled) ? `${ANSI.red}${body}${ANSI.reset}` : body;
	return options.color ? `${painted} · ${hyperlink('Manage usage', c.manageUsageUrl, true)}` : painted;
}

/** Selected provider first, then the fixed order. */
export function orderedProviders(report: QuotaReport): ProviderQuota[] {
	const first = report.selection?.provider;
	const order: ProviderId[] = first ? [first, ...PROVIDER_IDS.filter((p) => p !== first)] : [...PROVIDER_IDS];
	return order
		.map((id) => report.providers.find((p) => p.provider === id))
		.filter((p): p is ProviderQuota => p !== undefined);
}

export type LineOptions = {readonly color?: boolean};

const ANSI = {yellow: '\u001B[33m', red: '\u001B[31m', dim: '\u001B[2m', reset: '\u001B[0m'};

/**
 * The status-bar line: "claude 43% 5h · 71% wk │ openai 12% 5h". A window at or over 80% gets "!", a full
 * one "✖"; stale figures end in "?"; colour only when asked (a TTY).
 */
export function formatQuotaLine(report: QuotaReport, options: LineOptions = {}): string {
	const segments: string[] = [];
	for (const p of orderedProviders(report)) {
		if (p.accounts.length === 0) continue;
		const a = headlineAccount(report, p.provider);
		if (!a) continue;
		let body: string;
		if (a.status === 'delegated') body = 'via Claude Code';
		else if (a.chatgpt) body = chatgptSegment(a, report.generatedAt, options);
		else if (a.windows.length === 0) {
			const b = a.rateLimits?.requests;
			body = b?.remaining !== undefined && b.limit ? `${Math.round(100 - (b.remaining / b.limit) * 100)}% req` : '–';
		} else {
			body = a.windows
				.map((w) => {
					const mark = w.level === 'exhausted' ? '✖' : w.level === 'ok' ? '' : '!';
					const text = `${percentText(w.usedPercent)}${mark}${w.stale ? '?' : ''} ${shortWindowName(w.name)}`;
					if (!options.color || w.level === 'ok') return text;
					return `${w.level === 'warning' ? ANSI.yellow : ANSI.red}${text}${ANSI.reset}`;
				})
				.join(' · ');
		}
		segments.push(`${p.provider} ${body}`);
	}
	if (segments.length === 0) return 'no accounts: run tui auth login';
	return segments.join(' │ ');
}

export type PlainOptions = {readonly columns?: number; readonly timeZone?: string};

/** The whole screen as plain text, for a non-TTY stdin/stdout and for `--watch` into a pipe. */
export function formatQuotaPlain(report: QuotaReport, options: PlainOptions = {}): string {
	const columns = options.columns ?? 80;
	const now = report.generatedAt;
	const lines: string[] = [];
	for (const p of orderedProviders(report)) {
		lines.push(p.name);
		if (p.error) lines.push(`  ${p.error}`);
		if (p.accounts.length === 0 && !p.error) lines.push('  no account');
		for (const a of p.accounts) {
			lines.push(`  ${accountHeading(a)}`);
			if (a.note) lines.push(`    ${a.note}`);
			for (const line of chatgptLines(a, now, {link: false, ...(options.timeZone ? {timeZone: options.timeZone} : {})}))
				lines.push(`    ${line}`);
			for (const w of a.windows) {
				const l = windowLines(w, now, columns, options.timeZone);
				lines.push(`    ${l.name.padEnd(8)} ${l.bar} ${l.used}${l.marker ? `  ${l.marker}` : ''}`);
				lines.push(`    ${' '.repeat(8)} ${l.detail}`);
			}
			const buckets = bucketsLine(a);
			if (buckets) lines.push(`    ${buckets} (${describeAge('headers', now - a.rateLimits!.observedAt)})`);
			if (a.error) lines.push(`    ${a.status === 'stale' ? 'stale: ' : ''}${a.error}`);
			lines.push(`    ${spendLine(a)}`);
		}
	}
	if (report.selection) lines.push(`selection: ${report.selection.summary}`);
	for (const alert of report.alerts) lines.push(`alert: ${alert.message}`);
	for (const note of report.notes) lines.push(`note: ${note}`);
	return lines.join('\n');
}
