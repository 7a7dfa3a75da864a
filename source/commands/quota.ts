// `tui quota [--json | --line] [--watch [--interval S]]`: the quota screen, its JSON, or one line for status bars.
// --json and --line never load ink or react (status bars run them every few seconds); the screen is imported
// only when it renders. Without a terminal the screen's plain-text form is printed instead of hanging.
import {UsageError} from '../core/errors.js';
import type {OAuthAccount, ProviderId} from '../core/schemas.js';
import {gatherQuota, quotaReportToJson} from '../app/quota.js';
import type {GatherOptions, QuotaRefresh, QuotaReport} from '../store/quota.js';
import {formatQuotaLine, formatQuotaPlain} from '../ui/screens/quota/quota-text.js';
import {isInteractive, watchResize, type CommandContext} from '../app/context.js';

export type QuotaOptions = {
	readonly json?: boolean;
	readonly line?: boolean;
	readonly watch?: boolean;
	/** Seconds, as typed. */
	readonly interval?: string | number;
};

/** The one-line form reuses a fetch younger than this, so a status bar polling every few seconds stays cheap. */
export const LINE_REUSE_MS = 60_000;

function parseInterval(value: QuotaOptions['interval']): number {
	if (value === undefined) return 30;
	const n = typeof value === 'number' ? value : Number(String(value).trim());
	if (!Number.isFinite(n) || n < 1 || n > 86_400)
		throw new UsageError('--interval must be a number of seconds between 1 and 86400');
	return n;
}

/** Same rules as the theme (NO_COLOR, FORCE_COLOR, TERM=dumb), without importing the UI. */
function colorWanted(ctx: CommandContext, isTTY: boolean): boolean {
	if (ctx.env.NO_COLOR) return false;
	if (ctx.env.FORCE_COLOR === '0') return false;
	if (ctx.env.FORCE_COLOR) return isTTY;
	if (ctx.env.TERM === 'dumb') return false;
	return isTTY;
}

function columnsOf(ctx: CommandContext): number {
	const fromEnv = Number(ctx.env.COLUMNS);
	return ctx.stdout.columns ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 80);
}

/** The OAuth refresher, loaded only when a token must be refreshed. 'rejected' (a 401) forces a refresh. */
function refresher(ctx: CommandContext): QuotaRefresh {
	return async (account: OAuthAccount, context: {provider: ProviderId; reason?: 'expiring' | 'rejected'}) => {
		const {refreshIfNeeded} = await import('../oauth/refresh.js');
		return refreshIfNeeded(context.provider, account.id, {
			home: ctx.home,
			env: ctx.env,
			fetch: ctx.fetch,
			now: ctx.now,
			force: context.reason === 'rejected',
		});
	};
}

function gatherOptions(ctx: CommandContext, extra: Partial<GatherOptions> = {}): GatherOptions {
	return {
		home: ctx.home,
		env: ctx.env,
		now: ctx.now,
		fetch: ctx.fetch,
		refresh: refresher(ctx),
		signal: ctx.signal,
		...extra,
	};
}

/** What the quota screen shows, gathered afresh on each call (the home screen opens it in place too). */
export function quotaLoader(ctx: CommandContext): () => Promise<QuotaReport> {
	return () => gatherQuota(gatherOptions(ctx));
}

function write(ctx: CommandContext, text: string): void {
	ctx.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Resolves after `ms`, or early when the command is interrupted. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal.aborted) return resolve();
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}
		signal.addEventListener('abort', done, {once: true});
	});
}

/** Prints `render(report)` now and then every interval until SIGINT/SIGTERM (ctx.signal). */
async function loop(
	ctx: CommandContext,
	watch: boolean,
	intervalS: number,
	gather: () => Promise<QuotaReport>,
	render: (report: QuotaReport) => string,
): Promise<void> {
	for (;;) {
		const report = await gather();
		if (ctx.signal.aborted) return;
		write(ctx, render(report));
		if (!watch) return;
		await pause(intervalS * 1000, ctx.signal);
		if (ctx.signal.aborted) return;
	}
}

export async function run(ctx: CommandContext, options: QuotaOptions = {}): Promise<number> {
	if (options.json && options.line) throw new UsageError('use --json or --line, not both');
	const intervalS = parseInterval(options.interval);
	const watch = Boolean(options.watch);

	if (options.json) {
		// One JSON document; with --watch, one document per line (NDJSON) each interval.
		await loop(
			ctx,
			watch,
			intervalS,
			() => gatherQuota(gatherOptions(ctx)),
			(r) => JSON.stringify(quotaReportToJson(r), null, watch ? undefined : 2),
		);
		return 0;
	}
	if (options.line) {
		const color = colorWanted(ctx, Boolean(ctx.stdout.isTTY));
		await loop(
			ctx,
			watch,
			intervalS,
			() => gatherQuota(gatherOptions(ctx, {reuseCacheMs: LINE_REUSE_MS, timeoutMs: 5000})),
			(r) => formatQuotaLine(r, {color}),
		);
		return 0;
	}
	if (!isInteractive(ctx)) {
		// No terminal: the plain-text form, once (or a fresh block each interval with --watch).
		const columns = columnsOf(ctx);
		let first = true;
		await loop(
			ctx,
			watch,
			intervalS,
			() => gatherQuota(gatherOptions(ctx)),
			(r) => {
				const stamp = watch ? `— ${new Date(r.generatedAt).toISOString()} —\n` : '';
				const text = `${first || !watch ? '' : '\n'}${stamp}${formatQuotaPlain(r, {columns})}`;
				first = false;
				return text;
			},
		);
		return 0;
	}
	return renderScreen(ctx, watch ? intervalS : undefined);
}

async function renderScreen(ctx: CommandContext, intervalS: number | undefined): Promise<number> {
	const {runQuotaScreen} = await import('../ui/screens/quota/run-quota-screen.js');
	await runQuotaScreen(
		{stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr, signal: ctx.signal},
		{
			load: quotaLoader(ctx),
			columns: columnsOf(ctx),
			...((ctx.stdout as {rows?: number}).rows ? {rows: (ctx.stdout as {rows?: number}).rows} : {}),
			onResize: watchResize(ctx.stdout),
			color: colorWanted(ctx, true),
			...(ctx.sandboxHome ? {sandbox: {home: ctx.sandboxHome.label, throwaway: ctx.sandboxHome.throwaway}} : {}),
			...(intervalS ? {intervalMs: intervalS * 1000} : {}),
		},
	);
	return 0;
}
