// The real services behind the UI (source/ui/services.tsx): store, providers and the OAuth engine,
// wired in this one place. Screens get them through <ServicesProvider>; nothing here renders.
import {execFile, spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {access, readFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {addAccount, setActive} from '../core/accounts.js';
import {claudeCodeEnv} from '../core/child-env.js';
import {TuiError, UsageError} from '../core/errors.js';
import {claudeLoginArgs, parseClaudeAuthStatus, type ClaudeAuthStatus} from '../oauth/claude-code.js';
import type {Account, AuthFile, ProviderId} from '../core/schemas.js';
import type {AccountsApi} from '../app/accounts.js';
import {colorFromEnv} from '../ui/theme.js';
import type {Detected, DetectedEnvKey, KeyValidation, LoginEvent, LoginHandle, SavedAccount, Services, StartLoginOptions} from '../ui/services.js';
import {watchResize, type CommandContext} from './context.js';

/** Environment variables holding an API key, in precedence order (CLAUDE_API_KEY aliases ANTHROPIC_API_KEY). */
const KEY_VARIABLES: ReadonlyArray<readonly [ProviderId, string]> = [
	['openai', 'OPENAI_API_KEY'],
	['claude', 'ANTHROPIC_API_KEY'],
	['claude', 'CLAUDE_API_KEY'],
];

/** Claude Code has `claude auth login|status|logout` since this version. */
const CLAUDE_AUTH_SINCE = [2, 1, 41] as const;

export function toSavedAccount(provider: ProviderId, account: Account): SavedAccount {
	return {
		provider,
		id: account.id,
		label: account.label,
		kind: account.kind,
		plan: account.kind === 'api-key' ? undefined : account.plan,
		email: account.kind === 'api-key' ? undefined : account.email,
	};
}

function newAccountId(): string {
	return `acc_${randomBytes(9).toString('base64url')}`;
}

/** "api-key", else "api-key-2", …: the first label no account uses (case-insensitively). */
export function freeLabel(file: AuthFile, base: string): string {
	const taken = new Set(file.accounts.map((account) => account.label.toLowerCase()));
	if (!taken.has(base.toLowerCase())) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`.toLowerCase())) return `${base}-${n}`;
}

export function versionAtLeast(version: string, minimum: readonly number[]): boolean {
	const parts = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
	for (let i = 0; i < minimum.length; i++) {
		const have = parts[i] ?? 0;
		const want = minimum[i] ?? 0;
		if (have !== want) return have > want;
	}
	return true;
}

/** The plan from a Codex auth.json's id_token claims, when it has one (no signature check: it only preselects a tier). */
export function codexPlan(authJson: string): string | undefined {
	try {
		const parsed = JSON.parse(authJson) as {tokens?: {id_token?: unknown}};
		const idToken = parsed.tokens?.id_token;
		if (typeof idToken !== 'string') return undefined;
		const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
		const auth = payload['https://api.openai.com/auth'] as {chatgpt_plan_type?: unknown} | undefined;
		return typeof auth?.chatgpt_plan_type === 'string' && /^[a-z0-9-]{1,32}$/.test(auth.chatgpt_plan_type) ? auth.chatgpt_plan_type : undefined;
	} catch {
		return undefined;
	}
}

function claudeVersion(env: CommandContext['env']): Promise<string | undefined> {
	return new Promise((resolve) => {
		execFile('claude', ['--version'], {env: claudeCodeEnv(env), timeout: 3000, windowsHide: true}, (error, stdout) => {
			if (error) return resolve(undefined);
			resolve(/(\d+\.\d+\.\d+)/.exec(String(stdout))?.[1]);
		});
	});
}

/** What the welcome step offers to reuse: env keys, a Codex login, an installed `claude` CLI. */
export async function detectExisting(env: CommandContext['env']): Promise<Detected> {
	const envKeys: DetectedEnvKey[] = [];
	for (const [provider, variable] of KEY_VARIABLES) {
		const key = env[variable]?.trim();
		if (key) envKeys.push({provider, variable, key});
	}
	const codexHome = env.CODEX_HOME || path.join(env.HOME || os.homedir(), '.codex');
	const codexFile = path.join(codexHome, 'auth.json');
	const [codexText, version] = await Promise.all([
		access(codexFile).then(
			() => readFile(codexFile, 'utf8').catch(() => ''),
			() => undefined,
		),
		claudeVersion(env),
	]);
	return {
		envKeys,
		codexLogin: codexText === undefined ? undefined : {path: codexFile, plan: codexPlan(codexText)},
		claudeCli: version ? {version, supportsAuth: versionAtLeast(version, CLAUDE_AUTH_SINCE)} : undefined,
	};
}

export type RealServicesOptions = {
	/** --no-browser: print the URL instead of opening a browser. */
	readonly noBrowser?: boolean;
	readonly label?: string;
};

/** The accounts API over the store, loaded on first use (the wizard's first frame needs none of it). */
function lazyAccountsApi(home: string, now: () => number): AccountsApi {
	const api = import('../app/accounts.js').then(({createAccountsApi}) => createAccountsApi(home, now));
	void api.catch(() => undefined);
	return {
		list: async () => (await api).list(),
		switchTo: async (provider, idOrLabel) => (await api).switchTo(provider, idOrLabel),
		remove: async (provider, id) => (await api).remove(provider, id),
		rename: async (provider, id, label) => (await api).rename(provider, id, label),
	};
}

export function createRealServices(ctx: CommandContext, options: RealServicesOptions = {}): Services {
	const {home, env} = ctx;
	return {
		home,
		env,
		now: ctx.now,
		color: colorFromEnv(env, Boolean(ctx.stdout.isTTY)),
		columns: ctx.stdout.columns ?? (Number(env.COLUMNS) || 80),
		rows: (ctx.stdout as {rows?: number}).rows ?? (Number(env.LINES) || undefined),
		onResize: watchResize(ctx.stdout),
		links: Boolean(ctx.stdout.isTTY) && env.TERM !== 'dumb',
		// OSC 52: the terminal sets its clipboard, over SSH too; nothing is drawn.
		copyToClipboard: (text) => void ctx.stdout.write(`\u001B]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`),
		async openUrl(provider, url) {
			const [{oauthSetup}, {openBrowserSafely, shouldPrintInsteadOfOpen}] = await Promise.all([import('../oauth/setup.js'), import('../oauth/browser.js')]);
			if (options.noBrowser || shouldPrintInsteadOfOpen(env, process.platform)) return false;
			const setup = oauthSetup(provider, env);
			return openBrowserSafely(url, {allowedHosts: setup.browserHosts, allowLoopbackHttp: setup.allowInsecure}).catch(() => false);
		},
		animate: true,
		...(ctx.sandboxHome ? {sandbox: {home: ctx.sandboxHome.label, throwaway: ctx.sandboxHome.throwaway}} : {}),
		claudeOAuthConfigured: Boolean(env.TUI_CLAUDE_OAUTH_CLIENT_ID),
		accounts: lazyAccountsApi(home, ctx.now),
		async loadHomeSummary() {
			return (await import('../app/home-summary.js')).loadHomeSummary(home, env, ctx.now);
		},
		async detect() {
			const {readAuthFile} = await import('../store/auth-file.js');
			const stored = async (provider: ProviderId) => (await readAuthFile(home, provider).catch(() => undefined))?.accounts.map((account) => toSavedAccount(provider, account)) ?? [];
			const [found, openai, claude] = await Promise.all([detectExisting(env), stored('openai'), stored('claude')]);
			return {...found, accounts: [...openai, ...claude]};
		},
		async validateApiKey(provider, key, signal): Promise<KeyValidation> {
			const {validateApiKey} = await import('../providers/validate-key.js');
			try {
				const result = await validateApiKey(provider, key, {env, fetch: ctx.fetch, signal});
				return result.ok ? {ok: true} : {ok: false, reason: result.message};
			} catch (error) {
				// Shape errors (empty, whitespace, too short) are one-line and never quote the key.
				if (error instanceof TuiError) return {ok: false, reason: error.message};
				throw error;
			}
		},
		async saveApiKeyAccount(provider, raw, label) {
			const {updateAuthFile} = await import('../store/auth-file.js');
			// The same rule as validateApiKey applied, so the stored key is the validated one.
			const key = (await import('../providers/validate-key.js')).normalizeApiKey(raw);
			return updateAuthFile(home, provider, (file) => {
				const existing = file.accounts.find((account) => account.kind === 'api-key' && account.key === key);
				if (existing) return {file: setActive(file, existing.id), result: toSavedAccount(provider, existing)};
				const added = addAccount(file, {kind: 'api-key', label: label ?? options.label ?? freeLabel(file, 'api-key'), key}, {now: ctx.now(), newId: newAccountId});
				return {file: added.file, result: toSavedAccount(provider, added.account)};
			});
		},
		async startLogin(provider, login: StartLoginOptions): Promise<LoginHandle> {
			const {startLogin} = await import('../oauth/login.js');
			const handle = await startLogin(provider, {
				method: login.method,
				env,
				home,
				fetch: ctx.fetch,
				now: ctx.now,
				label: login.label ?? options.label,
				signal: login.signal,
				openBrowser: options.noBrowser ? async () => false : undefined,
				onEvent: (event) => login.onEvent?.(toUiEvent(event)),
			});
			return {
				authUrl: handle.authUrl,
				remoteHint: handle.remoteHint,
				expiresAt: handle.expiresAt,
				done: handle.done.then((account) => toSavedAccount(provider, account)),
				cancel: () => handle.cancel(),
				submitPaste: handle.submitPaste ? (input: string) => handle.submitPaste!(input) : undefined,
			};
		},
		delegateToClaudeCode(signal) {
			return delegateToClaudeCode(ctx, {signal, label: options.label, interactive: Boolean(ctx.stdin.isTTY)});
		},
		async offerClaudeStatusLine() {
			return (await import('./statusline.js')).statusLineOffer(ctx);
		},
		async savePreferences(mutate) {
			const {updatePreferences} = await import('../store/preferences.js');
			return updatePreferences(home, mutate);
		},
		async readPreferences() {
			const {readPreferences} = await import('../store/preferences.js');
			return readPreferences(home);
		},
	};
}

function toUiEvent(event: {readonly type: LoginEvent['type']; readonly reason?: string; readonly message?: string}): LoginEvent {
	return {type: event.type, message: event.reason ?? event.message};
}

// ------------------------------------------------------------------ Claude Code delegation

// One reader of `claude auth status` (from the first `{`) and one place for the login's flags: oauth/claude-code.ts.
export {parseClaudeAuthStatus, type ClaudeAuthStatus} from '../oauth/claude-code.js';

function runClaude(env: CommandContext['env'], args: readonly string[], signal: AbortSignal): Promise<string> {
	return new Promise((resolve) => {
		// A non-zero exit (e.g. "not logged in") still prints the status JSON.
		execFile('claude', [...args], {env: claudeCodeEnv(env), timeout: 15_000, windowsHide: true, signal}, (_error, stdout) => resolve(String(stdout ?? '')));
	});
}

export async function claudeAuthStatus(env: CommandContext['env'], signal: AbortSignal): Promise<ClaudeAuthStatus> {
	const status = parseClaudeAuthStatus(await runClaude(env, ['auth', 'status'], signal)) ?? parseClaudeAuthStatus(await runClaude(env, ['auth', 'status', '--json'], signal));
	if (!status) throw new TuiError('could not read `claude auth status`; is Claude Code up to date?');
	return status;
}

/** Hands the terminal to `claude auth login` (Ink has released stdin: the step's input is off meanwhile). */
async function runInteractiveLogin(ctx: CommandContext, signal: AbortSignal): Promise<void> {
	const args = await claudeLoginArgs({env: ctx.env});
	return new Promise((resolve, reject) => {
		(ctx.stdin as {pause?: () => void}).pause?.();
		const child = spawn('claude', [...args], {env: claudeCodeEnv(ctx.env), stdio: 'inherit', signal});
		child.on('error', (error) => reject(signal.aborted ? new TuiError('Claude Code sign-in cancelled') : new TuiError(`could not start claude: ${error.message.split('\n')[0]}`)));
		child.on('exit', (code) => (code === 0 ? resolve() : reject(new TuiError(`\`claude auth login\` exited with ${code ?? 'a signal'}; nothing was saved`))));
	});
}

/**
 * The Claude subscription by delegation (docs/providers.md "Policy"): tui never sees Claude Code's tokens.
 * Already signed in → recorded at once; otherwise `claude auth login --claudeai` runs at the terminal.
 */
export async function delegateToClaudeCode(
	ctx: CommandContext,
	options: {readonly signal: AbortSignal; readonly label?: string; readonly interactive: boolean},
): Promise<SavedAccount> {
	const version = await claudeVersion(ctx.env);
	if (!version) throw new TuiError('the `claude` CLI was not found; install Claude Code, or use an API key');
	if (!versionAtLeast(version, CLAUDE_AUTH_SINCE)) throw new TuiError(`update Claude Code: \`claude auth\` needs v${CLAUDE_AUTH_SINCE.join('.')} or later (found ${version})`);
	let status = await claudeAuthStatus(ctx.env, options.signal);
	if (!status.loggedIn) {
		if (!options.interactive) throw new UsageError('Claude Code is not signed in, and signing in needs a terminal: run `claude auth login` first');
		await runInteractiveLogin(ctx, options.signal);
		status = await claudeAuthStatus(ctx.env, options.signal);
		if (!status.loggedIn) throw new TuiError('Claude Code still reports it is not signed in; nothing was saved');
	}
	options.signal.throwIfAborted();
	const {updateAuthFile} = await import('../store/auth-file.js');
	return updateAuthFile(ctx.home, 'claude', (file) => {
		const existing = file.accounts.find((account) => account.kind === 'delegated' && account.tool === 'claude-code');
		if (existing) return {file: setActive(file, existing.id), result: toSavedAccount('claude', existing)};
		const added = addAccount(
			file,
			{kind: 'delegated', tool: 'claude-code', label: options.label ?? freeLabel(file, 'claude-code'), ...(status.plan ? {plan: status.plan} : {}), ...(status.email ? {email: status.email} : {})},
			{now: ctx.now(), newId: newAccountId},
		);
		return {file: added.file, result: toSavedAccount('claude', added.account)};
	});
}
