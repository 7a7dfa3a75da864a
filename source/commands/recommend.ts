// `tui recommend FILE|DIR...`: per module, its size category, the auth mode the strategy picks and why,
// and the estimated cost. Folders are walked honouring .gitignore files (those above the folder up to its
// repository root too); only source files are picked up there, and .git and node_modules are never entered.
import fs from 'node:fs/promises';
import path from 'node:path';
import ignore, {type Ignore} from 'ignore';
import {defaultModel, estimateCost, formatUsd, priceFor, PRICES_AS_OF} from '../core/prices.js';
import {PROVIDER_NAMES, type AuthMode, type ProviderId, type RoutingThresholds} from '../core/schemas.js';
import {
	countLinesOfCode,
	defaultModeForTier,
	estimateTokens,
	isSourceLanguage,
	languageFromPath,
	recommendMode,
	type Category,
	type ConcreteMode,
	type Language,
} from '../core/strategy.js';
import {safeLine} from '../core/text.js';
import type {Holdings} from '../core/tiers.js';
import {reportedErrorBlocks} from '../core/provider-errors.js';
import {resolveCredential} from '../store/resolve-credential.js';
import {readReportedErrorsOrNone, reportedState} from '../store/provider-errors.js';
import {readPreferences} from '../store/preferences.js';
import type {CommandContext} from '../app/context.js';

type Options = {json?: boolean};

/** Output tokens are assumed to be this fraction of input tokens (a module in, a change or review out). */
export const OUTPUT_RATIO = 0.25;
const BINARY_SNIFF_BYTES = 8192;

export type FileReport = {
	path: string;
	language: Language;
	lines: number;
	category: Category;
	estimatedTokens: number;
	mode: ConcreteMode;
	reason: string;
	cost: {usd: number; model?: string; inputTokens: number; outputTokens: number; quotaTokens: number};
};

type Failure = {path: string; error: string};

type Matcher = {base: string; ig: Ignore};

function errorText(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (code === 'ENOENT') return 'no such file or directory';
	if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
	if (code === 'EISDIR') return 'is a directory';
	if (code === 'ELOOP') return 'too many symbolic links';
	return safeLine(error instanceof Error ? error.message : String(error), 120);
}

async function readGitignore(dir: string): Promise<Matcher | undefined> {
	try {
		const text = await fs.readFile(path.join(dir, '.gitignore'), 'utf8');
		return {base: dir, ig: ignore().add(text)};
	} catch {
		return undefined;
	}
}

const exists = (p: string) =>
	fs.stat(p).then(
		() => true,
		() => false,
	);

/** The .gitignore files above `dir` up to its repository root (the folder holding .git), outermost first. */
async function ancestorMatchers(dir: string): Promise<Matcher[]> {
	if (await exists(path.join(dir, '.git'))) return [];
	const chain: string[] = [];
	for (let current = path.dirname(dir); ; current = path.dirname(current)) {
		chain.push(current);
		if (await exists(path.join(current, '.git'))) break;
		// Outside a repository, no rules from above apply.
		if (path.dirname(current) === current) return [];
	}
	const matchers: Matcher[] = [];
	for (const ancestor of chain.reverse()) {
		const m = await readGitignore(ancestor);
		if (m) matchers.push(m);
	}
	return matchers;
}

/** Any matcher whose folder holds the path ignores it. (Simplification: a negation cannot undo an outer file's rule.) */
function isIgnored(matchers: readonly Matcher[], absolute: string, isDir: boolean): boolean {
	for (const {base, ig} of matchers) {
		const rel = path.relative(base, absolute);
		if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) continue;
		const posix = rel.split(path.sep).join('/');
		if (ig.ignores(isDir ? `${posix}/` : posix)) return true;
	}
	return false;
}

async function walk(
	display: string,
	absolute: string,
	matchers: Matcher[],
	files: Array<{display: string; absolute: string}>,
	failures: Failure[],
): Promise<void> {
	let entries: import('node:fs').Dirent[];
	try {
		entries = await fs.readdir(absolute, {withFileTypes: true});
	} catch (error) {
		failures.push({path: display, error: errorText(error)});
		return;
	}
	const own = await readGitignore(absolute);
	const active = own ? [...matchers, own] : matchers;
	entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	for (const entry of entries) {
		// Never modules of ours: git's own folder, and installed dependencies even without a .gitignore.
		if (entry.name === '.git' || entry.name === 'node_modules') continue;
		const abs = path.join(absolute, entry.name);
		const shown = path.join(display, entry.name);
		let isDir = entry.isDirectory();
		let isFile = entry.isFile();
		if (entry.isSymbolicLink()) {
			// Follow links to files; never links to folders (cycles).
			const target = await fs.stat(abs).catch(() => undefined);
			isFile = Boolean(target?.isFile());
			isDir = false;
		}
		if (isIgnored(active, abs, isDir)) continue;
		if (isDir) await walk(shown, abs, active, files, failures);
		else if (isFile && isSourceLanguage(languageFromPath(entry.name))) files.push({display: shown, absolute: abs});
	}
}

type Plan = {provider: ProviderId; mode: AuthMode; tier?: string; routing: RoutingThresholds; model: string};

async function analyze(display: string, absolute: string, plan: Plan): Promise<FileReport> {
	const buffer = await fs.readFile(absolute);
	if (buffer.subarray(0, BINARY_SNIFF_BYTES).includes(0))
		throw new Error('binary file (NUL byte in the first 8 KB), skipped');
	const language = languageFromPath(absolute);
	const lines = countLinesOfCode(buffer.toString('utf8'), language);
	const estimatedTokens = estimateTokens(lines, plan.routing);
	const rec = recommendMode({lines, mode: plan.mode, routing: plan.routing, provider: plan.provider});
	const outputTokens = Math.round(estimatedTokens * OUTPUT_RATIO);
	const cost =
		rec.mode === 'api'
			? {
					usd: estimateCost({model: plan.model, inputTokens: estimatedTokens, outputTokens}).usd,
					model: plan.model,
					inputTokens: estimatedTokens,
					outputTokens,
					quotaTokens: 0,
				}
			: {usd: 0, inputTokens: estimatedTokens, outputTokens, quotaTokens: estimatedTokens + outputTokens};
	return {
		path: display,
		language,
		lines,
		category: rec.category,
		estimatedTokens,
		mode: rec.mode,
		reason: rec.reason,
		cost,
	};
}

const n = (value: number) => value.toLocaleString('en-US');

type Missing = {readonly credential: 'api-key' | 'subscription'; readonly adds: string};

/**
 * The credentials of the provider the user holds now: a usable API key, a usable plan or subscription login.
 * Errors a host reported count too: a plan limit or "not eligible" holds the plan back (with the reason).
 */
async function holdingsOf(ctx: CommandContext, provider: ProviderId): Promise<Holdings & {blocked?: string}> {
	const resolved = await resolveCredential(provider, {home: ctx.home, env: ctx.env});
	const apiKey = resolved.source === 'env' || resolved.accounts.some((a) => a.kind === 'api-key' && !a.needsLogin);
	// A stored login counts when it resolves usable, or is any stored login other than the active one (it may be switched to).
	const usableLogin = resolved.source === 'file' && resolved.usable && resolved.kind !== 'api-key';
	const otherLogin = resolved.accounts.some(
		(a) => !a.active && a.kind !== 'api-key' && !a.needsLogin && a.planEnabled !== false,
	);
	const active = resolved.source === 'file' && resolved.kind !== 'api-key' ? resolved.account : undefined;
	if (active && usableLogin) {
		const all = await readReportedErrorsOrNone(ctx.home);
		const state = reportedState(all, provider, active.id, resolved);
		const blocks = reportedErrorBlocks(PROVIDER_NAMES[provider], state.reported, state.accountFacts ?? {}, Date.now());
		const block = blocks.find((b) => b.kind === 'plan-limit' || b.kind === 'not-eligible');
		if (block) return {apiKey, subscription: otherLogin, blocked: block.short};
	}
	return {apiKey, subscription: usableLogin || otherLogin};
}

/**
 * Narrows the mode to what the user holds (never a subscription they lack, never a key they lack), and says what
 * a missing credential would add. With nothing held at all the plan's mode stands: both are missing.
 */
function fitToHoldings(
	provider: ProviderId,
	mode: AuthMode,
	has: Holdings & {blocked?: string},
): {mode: AuthMode; missing: Missing[]; note?: string} {
	const subscriptionName =
		provider === 'openai'
			? 'a ChatGPT sign-in (Continue with ChatGPT, Plus or Pro)'
			: 'a Claude subscription through Claude Code';
	const keyAdds: Missing = {
		credential: 'api-key',
		adds: 'an API key would add modules over 2,000 lines on the API (its bigger context) and a fallback when the plan limit hits',
	};
	const subAdds: Missing = {
		credential: 'subscription',
		adds: `${subscriptionName} would take small and medium modules at no per-token charge`,
	};
	const missing = [...(has.apiKey ? [] : [keyAdds]), ...(has.subscription ? [] : [subAdds])];
	if (has.blocked && !has.apiKey && !has.subscription)
		return {mode, missing: [keyAdds], note: `${mode}, but ${has.blocked}`};
	if (!has.apiKey && !has.subscription) return {mode, missing};
	if (mode !== 'api' && !has.subscription && has.blocked)
		return {
			mode: 'api',
			missing: missing.filter((m) => m.credential !== 'subscription'),
			note: `api, not ${mode}: ${has.blocked}`,
		};
	if (mode !== 'api' && !has.subscription)
		return {
			mode: 'api',
			missing,
			note: `api, not ${mode}: there is no ${provider === 'openai' ? 'ChatGPT plan sign-in' : 'subscription login'} here`,
		};
	if (mode !== 'subscription' && !has.apiKey)
		return {mode: 'subscription', missing, note: `subscription, not ${mode}: there is no API key here`};
	return {mode, missing};
}

type Target = {display: string; absolute: string};

/** The files to read: given files as they are, folders walked; what cannot be read goes to `failures`. */
async function collectTargets(paths: readonly string[], failures: Failure[]): Promise<Target[]> {
	const targets: Target[] = [];
	for (const given of paths) {
		const absolute = path.resolve(given);
		const stat = await fs.stat(absolute).catch((error: unknown) => error as Error);
		if (stat instanceof Error) {
			failures.push({path: given, error: errorText(stat)});
		} else if (stat.isDirectory()) {
			const before = targets.length;
			await walk(given, absolute, await ancestorMatchers(absolute), targets, failures);
			if (targets.length === before) failures.push({path: given, error: 'no source files found (after .gitignore)'});
		} else if (stat.isFile()) {
			targets.push({display: given, absolute});
		} else {
			// A FIFO or device would block or never end; only regular files are read.
			failures.push({path: given, error: 'not a regular file'});
		}
	}
	return targets;
}

async function analyzeAll(targets: readonly Target[], plan: Plan, failures: Failure[]): Promise<FileReport[]> {
	const reports: FileReport[] = [];
	for (const target of targets) {
		try {
			reports.push(await analyze(target.display, target.absolute, plan));
		} catch (error) {
			failures.push({path: target.display, error: errorText(error)});
		}
	}
	return reports;
}

type Totals = {files: number; lines: number; estimatedTokens: number; apiUsd: number; quotaTokens: number};

function totalsOf(reports: readonly FileReport[]): Totals {
	return {
		files: reports.length,
		lines: reports.reduce((s, r) => s + r.lines, 0),
		estimatedTokens: reports.reduce((s, r) => s + r.estimatedTokens, 0),
		apiUsd: reports.reduce((s, r) => s + r.cost.usd, 0),
		quotaTokens: reports.reduce((s, r) => s + r.cost.quotaTokens, 0),
	};
}

type Fitted = ReturnType<typeof fitToHoldings>;
type Outcome = {
	plan: Plan;
	has: Holdings;
	fitted: Fitted;
	reports: FileReport[];
	totals: Totals;
	assumption: string;
	failures: Failure[];
};

function jsonText({plan, has, fitted, reports, totals, assumption, failures}: Outcome): string {
	const body = {
		provider: plan.provider,
		...(plan.tier ? {tier: plan.tier} : {}),
		mode: plan.mode,
		has: {apiKey: Boolean(has.apiKey), subscription: Boolean(has.subscription)},
		...(fitted.note ? {modeNote: fitted.note} : {}),
		missing: fitted.missing,
		routing: plan.routing,
		model: plan.model,
		pricesAsOf: PRICES_AS_OF,
		outputRatio: OUTPUT_RATIO,
		assumption,
		files: reports,
		totals,
		errors: failures,
	};
	return `${JSON.stringify(body, null, 2)}\n`;
}

function reportLines(report: FileReport, width: number): string[] {
	const cost = report.mode === 'api' ? formatUsd(report.cost.usd) : `$0 (${n(report.cost.quotaTokens)} quota tokens)`;
	return [
		`${safeLine(report.path, 200).padEnd(width)}  ${report.category.padEnd(6)}  ${n(report.lines).padStart(6)} lines  ${n(report.estimatedTokens).padStart(8)} tokens  ${report.mode.padEnd(12)}  ${cost}`,
		`    ${report.reason}`,
	];
}

function plainText({plan, fitted, reports, totals, assumption}: Outcome): string {
	const r = plan.routing;
	const out: string[] = [];
	out.push(
		`${PROVIDER_NAMES[plan.provider]}${plan.tier ? ` ${plan.tier}` : ''}, mode ${plan.mode} (small < ${n(r.smallLines)} lines, medium < ${n(r.mediumLines)}, ${r.tokensPerLine} tokens per line)`,
	);
	const width = Math.min(60, Math.max(...reports.map((x) => safeLine(x.path, 200).length)));
	for (const report of reports) out.push(...reportLines(report, width));
	out.push(
		`Total: ${n(totals.files)} file${totals.files === 1 ? '' : 's'}, ${n(totals.lines)} lines, ${n(totals.estimatedTokens)} tokens; API ${formatUsd(totals.apiUsd)}; subscription quota ${n(totals.quotaTokens)} tokens.`,
	);
	out.push(assumption);
	if (fitted.note) out.push(`Mode ${fitted.note}.`);
	for (const m of fitted.missing) out.push(`Missing: ${m.adds}.`);
	return `${out.join('\n')}\n`;
}

export async function run(ctx: CommandContext, paths: string[], opts: Options = {}): Promise<number> {
	const prefs = await readPreferences(ctx.home);
	const provider: ProviderId = prefs.activeProvider ?? prefs.fallback.order[0] ?? 'claude';
	const providerPrefs = prefs.providers[provider];
	const tier = providerPrefs?.tier;
	const has = await holdingsOf(ctx, provider);
	// An explicit mode wins; else the tier's default; with neither, auto shows the strategy itself. Then what is held narrows it.
	const wanted: AuthMode = providerPrefs?.mode ?? (tier ? defaultModeForTier(provider, tier, has) : 'auto');
	const fitted = fitToHoldings(provider, wanted, has);
	const plan: Plan = {
		provider,
		mode: fitted.mode,
		routing: prefs.routing,
		model: defaultModel(provider),
		...(tier ? {tier} : {}),
	};

	const failures: Failure[] = [];
	const targets = await collectTargets(paths, failures);
	const reports = await analyzeAll(targets, plan, failures);
	const totals = totalsOf(reports);
	const price = priceFor(plan.model)!;
	const assumption = `API cost assumes output ≈ input / 4 tokens at ${plan.model} list prices ($${price.inputPerMillion} in / $${price.outputPerMillion} out per million tokens, as of ${PRICES_AS_OF}); subscription use costs $0 but spends quota.`;

	for (const failure of failures) ctx.stderr.write(`tui: ${safeLine(failure.path, 200)}: ${failure.error}\n`);
	const outcome: Outcome = {plan, has, fitted, reports, totals, assumption, failures};
	if (opts.json) ctx.stdout.write(jsonText(outcome));
	else if (reports.length > 0) ctx.stdout.write(plainText(outcome));
	return failures.length > 0 ? 1 : 0;
}
