// `tui auth status [--json]`: for each provider, the credential that resolves, where from, whether it is usable,
// the stored accounts, and what it shadows. No secret is shown: keys appear as …last4. Exit 0 when the active
// provider is usable. Hot path (benchmarked): no ink, no SDK, no conf.
import {PROVIDER_IDS, PROVIDER_NAMES, type ProviderId} from '../core/schemas.js';
import {lastFour, stripTerminalEscapes} from '../core/text.js';
import {CHATGPT_MANAGE_USAGE_URL} from '../core/tiers.js';
import type {PublicAccount} from '../store/public-account.js';
import type {ResolvedCredential} from '../store/resolve-credential.js';
import {stateWarnings} from '../store/state-warnings.js';
import {refreshHook} from '../app/credential-hooks.js';
import {currentSelection, selectionJson} from '../app/selection.js';
import type {CommandContext} from '../app/context.js';

export type StatusOptions = {readonly json?: boolean};

export type ProviderStatus = {
	readonly name: string;
	readonly usable: boolean;
	readonly source: ResolvedCredential['source'];
	readonly kind: ResolvedCredential['kind'] | null;
	readonly envVar: string | null;
	/** …last4 of an explicit or environment key. */
	readonly key: string | null;
	readonly reason: string;
	/** The stored active account, whether or not it won. */
	readonly activeAccount: PublicAccount | null;
	readonly accounts: readonly PublicAccount[];
	readonly shadowed: ResolvedCredential['shadowed'];
	readonly fileError: string | null;
};

export type StatusReport = {
	/** The provider selection prefers: the saved one, else the first usable in the fallback order. */
	readonly activeProvider: ProviderId | null;
	/** Which provider and account to use now: the same answer as `tui quota --json` and the library's selectProvider. */
	readonly selection: ReturnType<typeof selectionJson>;
	readonly providers: Readonly<Record<ProviderId, ProviderStatus>>;
	readonly warnings: readonly string[];
};

function providerStatus(provider: ProviderId, resolved: ResolvedCredential): ProviderStatus {
	return {
		name: PROVIDER_NAMES[provider],
		usable: resolved.usable,
		source: resolved.source,
		kind: resolved.kind ?? null,
		envVar: resolved.envVar ?? null,
		key:
			(resolved.source === 'env' || resolved.source === 'flag') && resolved.secret ? lastFour(resolved.secret) : null,
		reason: resolved.reason,
		activeAccount: resolved.accounts.find((a) => a.active) ?? null,
		accounts: resolved.accounts,
		shadowed: resolved.shadowed,
		fileError: resolved.fileError ?? null,
	};
}

export async function statusReport(ctx: CommandContext): Promise<StatusReport> {
	const [selection, state] = await Promise.all([
		currentSelection({home: ctx.home, env: ctx.env, now: ctx.now, refresh: refreshHook()}),
		stateWarnings(ctx.home),
	]);
	const resolved = selection.resolved as Record<ProviderId, ResolvedCredential>;
	// A problem already given as a provider's reason is not repeated.
	const said = new Set(PROVIDER_IDS.flatMap((p) => [resolved[p].reason, resolved[p].fileError]));
	return {
		activeProvider: selection.preferred ?? null,
		selection: selectionJson(selection),
		providers: {openai: providerStatus('openai', resolved.openai), claude: providerStatus('claude', resolved.claude)},
		warnings: [
			...(selection.preferencesWarning ? [selection.preferencesWarning] : []),
			...state.filter((line) => !said.has(line)),
		],
	};
}

type Paint = {
	readonly ok: (s: string) => string;
	readonly bad: (s: string) => string;
	readonly bold: (s: string) => string;
	readonly dim: (s: string) => string;
};

function paint(ctx: CommandContext): Paint {
	const colour = Boolean(ctx.stdout.isTTY) && ctx.env.NO_COLOR === undefined && ctx.env.TERM !== 'dumb';
	const wrap = (open: number, close: number) => (s: string) => (colour ? `\u001B[${open}m${s}\u001B[${close}m` : s);
	return {ok: wrap(32, 39), bad: wrap(31, 39), bold: wrap(1, 22), dim: wrap(2, 22)};
}

function accountSummary(account: PublicAccount): string {
	const parts: string[] = [account.kind];
	if (account.key) parts.push(`key ${account.key}`);
	if (account.plan) parts.push(account.plan);
	if (account.email) parts.push(account.email);
	if (account.tool) parts.push(`via ${account.tool}`);
	if (account.expiresAt)
		parts.push(`expires ${account.expiresAt.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC')}`);
	if (account.needsLogin) parts.push('needs login');
	return parts.join(', ');
}

/** The active ChatGPT sign-in: who, which plan, whether apps may use it, and where its usage is managed. */
function chatgptLine(account: PublicAccount): string | undefined {
	if (account.kind !== 'oauth') return undefined;
	const who = account.email ?? account.label;
	const plan = account.plan ? `${account.plan} plan` : 'plan not known';
	const usage = account.planEnabled
		? 'plan usage on'
		: account.planEnabled === false
			? 'plan usage off (identity only)'
			: 'needs a new sign-in (Continue with ChatGPT)';
	return `${who} · ${plan} · ${usage} · Manage usage: ${CHATGPT_MANAGE_USAGE_URL}`;
}

function sourceLine(status: ProviderStatus): string {
	switch (status.source) {
		case 'flag':
			return `flag (key ${status.key ?? '?'})`;
		case 'env':
			return `environment: ${status.envVar ?? '?'} (key ${status.key ?? '?'})`;
		case 'file':
			return status.activeAccount
				? `file: ${JSON.stringify(status.activeAccount.label)} (${accountSummary(status.activeAccount)})`
				: 'file';
		case 'none':
			return 'none';
	}
}

export function formatStatus(report: StatusReport, p: Paint): string {
	const lines: string[] = [];
	const field = (name: string, value: string) => `  ${name.padEnd(9)} ${value}`;
	for (const provider of PROVIDER_IDS) {
		const status = report.providers[provider];
		lines.push(`${p.bold(status.name)}${report.activeProvider === provider ? p.dim('  (active provider)') : ''}`);
		lines.push(field('usable', status.usable ? p.ok('yes') : `${p.bad('no')}: ${status.reason}`));
		lines.push(field('source', sourceLine(status)));
		if (provider === 'openai' && status.activeAccount) {
			const chatgpt = chatgptLine(status.activeAccount);
			if (chatgpt) lines.push(field('chatgpt', chatgpt));
		}
		for (const [index, shadow] of status.shadowed.entries())
			lines.push(field(index === 0 ? 'shadowed' : '', shadow.detail));
		if (status.fileError) lines.push(field('problem', status.fileError));
		if (status.accounts.length === 0) lines.push(field('accounts', p.dim('none stored')));
		const width = Math.max(0, ...status.accounts.map((a) => a.label.length));
		for (const [index, account] of status.accounts.entries()) {
			const row = `${account.active ? '*' : ' '} ${account.label.padEnd(width)}  ${accountSummary(account)}  ${p.dim(account.id)}`;
			lines.push(field(index === 0 ? 'accounts' : '', row));
		}
	}
	lines.push(`${p.bold('Selection')} ${report.selection.summary}`);
	for (const warning of report.warnings) lines.push(`warning: ${warning}`);
	// Labels and provider text are checked on the way in; strip escapes again on the way out all the same.
	return `${lines.map(sanitizeKeepingColour).join('\n')}\n`;
}

/** Keeps our own SGR codes, strips anything else. */
function sanitizeKeepingColour(line: string): string {
	return line
		.split(/(\u001B\[(?:1|2|22|31|32|39)m)/)
		.map((part, index) => (index % 2 === 1 ? part : stripTerminalEscapes(part)))
		.join('');
}

export async function run(ctx: CommandContext, options: StatusOptions = {}): Promise<number> {
	const report = await statusReport(ctx);
	if (options.json) {
		ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
	} else {
		ctx.stdout.write(formatStatus(report, paint(ctx)));
	}
	const active = report.activeProvider;
	return active && report.providers[active].usable ? 0 : 1;
}
