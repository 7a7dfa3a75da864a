// `tui statusline claude`: Claude Code's status-line command. It reads the JSON Claude Code pipes in, records
// the subscription windows for the delegated account Claude Code is signed in to, and prints one line in the
// `quota --line` format. It never fails Claude Code's status bar: any trouble still prints a line and exits 0
// (the reason goes to stderr with --debug only). Never touches the network.
// `--install` / `--uninstall` edit Claude Code's settings.json, with consent.
import {errorLine, TuiError, UsageError} from '../core/errors.js';
import {CLAUDE_CODE_NAME, PROVIDERS} from '../core/provider-registry.js';
import {DEFAULT_ALERT_PERCENTS} from '../core/schemas.js';
import {alertLevel} from '../core/quota.js';
import {parseStatusLineInput, type StatusLineInput} from '../core/status-line.js';
import {safeLine} from '../core/text.js';
import type {AccountQuota, ProviderQuota, QuotaReport} from '../store/quota.js';
import {dayKey} from '../store/usage-ledger.js';
import {isInteractive, type CommandContext} from '../app/context.js';
import {describeInstall, statusLineCommand} from '../app/status-line-install.js';

export type StatusLineOptions = {
	readonly debug?: boolean;
	readonly install?: boolean;
	readonly yes?: boolean;
	readonly uninstall?: boolean;
};

/** Claude Code waits for the line; input beyond this is not a status-line document. */
const MAX_INPUT = 1 << 20;
const INPUT_WAIT_MS = 3000;
const CHAIN_TIMEOUT_MS = 5000;
/** Same figures within this: not written again (their age shows at most this much too old). */
const UNCHANGED_WRITE_MS = 60_000;

function readInput(ctx: CommandContext): Promise<string> {
	if (ctx.stdin.isTTY) return Promise.resolve('');
	return new Promise((resolve) => {
		let text = '';
		const done = () => {
			clearTimeout(timer);
			ctx.stdin.off('data', onData);
			ctx.stdin.off('end', done);
			ctx.stdin.off('error', done);
			ctx.stdin.pause();
			resolve(text);
		};
		const onData = (chunk: Buffer | string) => {
			text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
			if (text.length > MAX_INPUT) done();
		};
		// A writer that never closes stdin must not hang the status bar.
		const timer = setTimeout(done, INPUT_WAIT_MS);
		ctx.stdin.on('data', onData);
		ctx.stdin.once('end', done);
		ctx.stdin.once('error', done);
	});
}

/** The status line that was there before ours, fed the same document; its output is printed after ours, as is. */
async function runChained(ctx: CommandContext, command: string, input: string, reasons: string[]): Promise<string> {
	// Loaded only with a chained command: most status lines spawn nothing.
	const {spawn} = await import('node:child_process');
	return new Promise((resolve) => {
		let out = '';
		let child;
		try {
			child = spawn('/bin/sh', ['-c', command], {
				env: ctx.env as NodeJS.ProcessEnv,
				stdio: ['pipe', 'pipe', 'ignore'],
				timeout: CHAIN_TIMEOUT_MS,
				killSignal: 'SIGKILL',
			});
		} catch {
			reasons.push('the chained status line could not start');
			return resolve('');
		}
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			if (out.length < 65_536) out += chunk;
		});
		child.stdin.on('error', () => {});
		child.stdin.end(input);
		child.once('error', () => {
			reasons.push('the chained status line could not start');
			resolve('');
		});
		child.once('close', (code) => {
			if (code !== 0) reasons.push(`the chained status line exited ${code ?? 'on a signal'}`);
			resolve(out.replace(/\n+$/, ''));
		});
	});
}

/** Finds the account, records the windows; every failure is a reason, never an exception. */
async function record(
	ctx: CommandContext,
	input: StatusLineInput,
	now: number,
	reasons: string[],
): Promise<string | undefined> {
	const store = await import('../store/claude-status-line.js');
	let identity;
	try {
		identity = await store.claudeCodeIdentity({env: ctx.env, home: ctx.home, now});
	} catch (error) {
		reasons.push(`could not ask \`claude auth status\`: ${errorLine(error)}`);
		return undefined;
	}
	if (!identity.loggedIn || !identity.email) {
		reasons.push('Claude Code reports no signed-in account with an email; nothing recorded');
		return undefined;
	}
	let account;
	try {
		account = await store.delegatedAccountFor(ctx.home, identity.email);
	} catch (error) {
		reasons.push(`could not read the Claude accounts: ${errorLine(error)}`);
		return undefined;
	}
	if (!account) {
		reasons.push(
			'no tui account matches the Claude Code login; run tui auth login --provider claude --method claude-code',
		);
		return undefined;
	}
	try {
		await store.recordStatusLineWindows(
			ctx.home,
			{
				accountId: account.id,
				email: identity.email,
				windows: input.windows,
				observedAt: now,
				...(input.version ? {version: input.version} : {}),
			},
			{unchangedWithinMs: UNCHANGED_WRITE_MS},
		);
	} catch (error) {
		reasons.push(`windows not recorded: ${errorLine(error)}`);
	}
	return account.id;
}

/** The `quota --line` report cut to what this bar shows: Claude, and the other provider only when fallback is on. */
function lineReport(
	report: QuotaReport,
	input: StatusLineInput,
	accountId: string | undefined,
	fallbackOn: boolean,
	now: number,
): QuotaReport {
	const fresh = input.windows.map((w) => ({...w, stale: false, level: alertLevel(w.usedPercent), ageMs: 0}));
	const providers: ProviderQuota[] = [];
	for (const p of report.providers) {
		if (p.provider !== 'claude') {
			if (fallbackOn) providers.push(p);
			continue;
		}
		if (fresh.length === 0) {
			providers.push(p);
			continue;
		}
		// The windows just read are the truth for this bar, recorded or not (a locked store, an unknown login).
		const known = p.accounts.find((a) => a.id === accountId);
		const shown: AccountQuota = known
			? {...known, windows: fresh, status: 'fresh'}
			: {
					provider: 'claude',
					id: 'claude-code',
					label: CLAUDE_CODE_NAME,
					kind: 'delegated',
					origin: 'file',
					active: true,
					status: 'fresh',
					windows: fresh,
					spend: p.accounts[0]?.spend ?? emptySpend(now),
				};
		providers.push({...p, accounts: [shown]});
	}
	return {...report, providers};
}

function emptySpend(now: number): AccountQuota['spend'] {
	return {
		day: dayKey(now),
		today: {inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0, unpricedCalls: 0},
		level: 'ok',
		alertPercents: DEFAULT_ALERT_PERCENTS,
	};
}

async function statusLine(ctx: CommandContext, options: StatusLineOptions): Promise<number> {
	const reasons: string[] = [];
	let line = 'claude –';
	let chained: Promise<string> | undefined;
	try {
		const raw = await readInput(ctx);
		const now = ctx.now();
		const {readInstallState} = await import('../store/claude-status-line.js');
		const install = await readInstallState(ctx.home);
		if (install?.previousCommand) chained = runChained(ctx, install.previousCommand, raw, reasons);
		const input = parseStatusLineInput(raw, now);
		reasons.push(...input.reasons);
		const accountId = input.windows.length > 0 ? await record(ctx, input, now, reasons) : undefined;
		const [{gatherQuota}, {formatQuotaLine}, {readPreferences}] = await Promise.all([
			import('../app/quota.js'),
			import('../ui/screens/quota/quota-text.js'),
			import('../store/preferences.js'),
		]);
		const fallbackOn = await readPreferences(ctx.home).then(
			(p) => p.fallback.enabled,
			() => false,
		);
		// Fresh windows and no fallback: the line is those windows alone, so the full gathering is skipped.
		const report: QuotaReport =
			input.windows.length > 0 && !fallbackOn
				? {
						generatedAt: now,
						providers: [{provider: 'claude', name: PROVIDERS.claude.name, accounts: []}],
						alerts: [],
						notes: [],
						thresholdPercent: 0,
					}
				: await gatherQuota({home: ctx.home, env: ctx.env, now, offline: true});
		for (const note of report.notes) reasons.push(note);
		const body = formatQuotaLine(lineReport(report, input, accountId, fallbackOn, now), {color: colorWanted(ctx)});
		line = input.model ? `${input.model} │ ${body}` : body;
	} catch (error) {
		reasons.push(errorLine(error));
	}
	const after = chained ? await chained : '';
	ctx.stdout.write(`${line}\n${after ? `${after}\n` : ''}`);
	if (options.debug) for (const reason of reasons) ctx.stderr.write(`tui statusline: ${safeLine(reason, 300)}\n`);
	return 0;
}

/** Colour only when asked for: Claude Code reads the line from a pipe. */
function colorWanted(ctx: CommandContext): boolean {
	return !ctx.env.NO_COLOR && Boolean(ctx.env.FORCE_COLOR) && ctx.env.FORCE_COLOR !== '0';
}

/**
 * The consent offer: shows the change and asks, or (with `yes`) writes it. Returns whether it was installed.
 * Without a terminal and without `yes` it only prints how to install.
 */
export async function offerStatusLineInstall(
	ctx: CommandContext,
	options: {readonly yes?: boolean; readonly out?: NodeJS.WritableStream} = {},
): Promise<boolean> {
	const out = options.out ?? ctx.stdout;
	const store = await import('../store/claude-status-line.js');
	const command = statusLineCommand(ctx.home);
	const state = await store.readInstallState(ctx.home);
	const plan = await store.planStatusLineInstall(ctx.env, command);
	if (state && plan.edit.previous === state.installed) {
		out.write(`The tui status line is already in ${plan.settingsFile}.\n`);
		return true;
	}
	if (plan.ours)
		throw new TuiError(
			`${plan.settingsFile} already runs a tui status line from another home (${plan.edit.previousCommand}); remove it with its own --uninstall first`,
		);
	if (!options.yes && !isInteractive(ctx)) {
		out.write(
			'To show your Claude 5-hour and weekly windows in Claude Code and in tui: tui statusline claude --install\n',
		);
		return false;
	}
	out.write(`${describeInstall(plan)}\n`);
	if (!options.yes) {
		const {askYesNo} = await import('./ask.js');
		if (!(await askYesNo(ctx, 'Add it? [y/N] '))) {
			out.write('Nothing was changed.\n');
			return false;
		}
	}
	await store.applyStatusLineInstall(ctx.home, plan);
	out.write(`Installed in ${plan.settingsFile}.\n`);
	return true;
}

export async function run(
	ctx: CommandContext,
	target: string | undefined,
	options: StatusLineOptions = {},
): Promise<number> {
	if (target !== 'claude')
		throw new UsageError(`unknown status line "${safeLine(String(target ?? ''), 40)}"; use: tui statusline claude`);
	if (options.install && options.uninstall) throw new UsageError('use --install or --uninstall, not both');
	if (options.yes && !options.install) throw new UsageError('--yes goes with --install');
	if (options.uninstall) {
		const {uninstallStatusLineSetting} = await import('../store/claude-status-line.js');
		const result = await uninstallStatusLineSetting(ctx.home);
		ctx.stdout.write(
			`${safeLine(`Removed the tui status line from ${result.settingsFile}${result.restored ? '; your previous status line is back' : ''}.`, 1000)}\n`,
		);
		return 0;
	}
	if (options.install) {
		if (!options.yes && !isInteractive(ctx))
			throw new UsageError('stdin is not a terminal: give --install --yes to install without asking');
		return (await offerStatusLineInstall(ctx, {yes: options.yes})) ? 0 : 1;
	}
	return statusLine(ctx, options);
}

/** After a Claude Code login: the offer, on `out` (stderr by default). Never fails the login. */
export async function offerAfterLogin(
	ctx: CommandContext,
	yes: boolean,
	out: NodeJS.WritableStream = ctx.stderr,
): Promise<void> {
	try {
		await offerStatusLineInstall(ctx, {yes, out});
	} catch (error) {
		out.write(`note: the Claude status line was not installed: ${errorLine(error)}\n`);
	}
}
