// The quota picture as the commands, screens and hosts see it: every figure (store/quota.ts) plus which
// account selection would use now (the one selection, app/selection.ts), and the `tui quota --json` document.
import {gatherQuotaFigures, type GatherOptions, type QuotaReport} from '../store/quota.js';
import {readClock} from '../core/clock.js';
import {currentSelection, quotaBlocksOf, selectionJson} from './selection.js';

/** Gathers the whole quota picture. Never throws for provider or file trouble: that lands in `error`/`notes`. */
export async function gatherQuota(options: GatherOptions): Promise<QuotaReport> {
	const now = readClock(options.now);
	const report = await gatherQuotaFigures({...options, now});
	try {
		// No refresh here: the figures pass already refreshed what it fetched; this only reads.
		const selection = await currentSelection({
			home: options.home,
			env: options.env,
			now,
			quota: quotaBlocksOf(report, now),
		});
		const json = selectionJson(selection);
		return {
			...report,
			selection: {
				ok: json.ok,
				...(json.provider ? {provider: json.provider} : {}),
				...(selection.preferred ? {preferred: selection.preferred} : {}),
				...(json.account ? {account: json.account} : {}),
				summary: json.summary,
				decision: selection.decision,
			},
		};
	} catch (error) {
		return {
			...report,
			notes: [...report.notes, `selection: ${error instanceof Error ? error.message : String(error)}`],
		};
	}
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** The `tui quota --json` document. Field names are a contract for scripts; add, never rename. */
export function quotaReportToJson(report: QuotaReport) {
	return {
		version: 1,
		generatedAt: iso(report.generatedAt),
		thresholdPercent: report.thresholdPercent,
		selection: report.selection ? selectionJson(report.selection) : null,
		alerts: report.alerts.map((a) => ({
			provider: a.provider,
			account: a.account,
			label: a.label,
			kind: a.kind,
			name: a.name,
			percent: round(a.percent),
			level: a.level,
			threshold: a.threshold,
			message: a.message,
		})),
		providers: report.providers.map((p) => ({
			provider: p.provider,
			name: p.name,
			error: p.error ?? null,
			accounts: p.accounts.map((a) => ({
				id: a.id,
				label: a.label,
				kind: a.kind,
				origin: a.origin,
				active: a.active,
				plan: a.plan ?? null,
				status: a.status,
				error: a.error ?? null,
				note: a.note ?? null,
				chatgpt: a.chatgpt
					? {
							planEnabled: a.chatgpt.planEnabled,
							plan: a.chatgpt.plan ?? null,
							eligible: a.chatgpt.eligible ?? null,
							limited: a.chatgpt.limited,
							lastLimitAt: iso(a.chatgpt.lastLimitAt),
							lastLimitMidStream: a.chatgpt.lastLimitMidStream ?? null,
							notEligibleAt: iso(a.chatgpt.notEligibleAt),
							unavailableAt: iso(a.chatgpt.unavailableAt),
							terms: a.chatgpt.terms,
							manageUsageUrl: a.chatgpt.manageUsageUrl,
						}
					: null,
				windows: a.windows.map((w) => ({
					name: w.name,
					usedPercent: round(w.usedPercent),
					windowSeconds: w.windowSeconds ?? null,
					resetsAt: iso(w.resetsAt),
					source: w.source,
					observedAt: iso(w.observedAt),
					ageSeconds: Math.round(w.ageMs / 1000),
					stale: w.stale,
					level: w.level,
				})),
				credits: a.credits ?? null,
				rateLimits: a.rateLimits
					? {
							observedAt: iso(a.rateLimits.observedAt),
							requests: bucketJson(a.rateLimits.requests),
							tokens: bucketJson(a.rateLimits.tokens),
							inputTokens: bucketJson(a.rateLimits.inputTokens),
							outputTokens: bucketJson(a.rateLimits.outputTokens),
							retryAt: iso(a.rateLimits.retryAt),
							rateLimitedUntil: iso(a.rateLimits.rateLimitedUntil),
							unifiedStatus: a.rateLimits.unifiedStatus ?? null,
						}
					: null,
				spend: {
					day: a.spend.day,
					costUsd: round(a.spend.today.costUsd, 6),
					inputTokens: a.spend.today.inputTokens,
					outputTokens: a.spend.today.outputTokens,
					calls: a.spend.today.calls,
					maxCostPerDay: a.spend.maxCostPerDay ?? null,
					percent: a.spend.percent === undefined ? null : round(a.spend.percent),
					level: a.spend.level,
				},
			})),
		})),
		notes: report.notes,
	};
}

function bucketJson(b: {limit?: number; remaining?: number; resetsAt?: number} | undefined) {
	return b ? {limit: b.limit ?? null, remaining: b.remaining ?? null, resetsAt: iso(b.resetsAt)} : null;
}

function round(n: number, digits = 2): number {
	const f = 10 ** digits;
	return Math.round(n * f) / f;
}
