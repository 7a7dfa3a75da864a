// The real services behind the UI (source/ui/services.tsx): store, providers and the OAuth engine,
// wired in this one place. Screens get them through <ServicesProvider>; nothing here renders.
import {access, readFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {TuiError} from '../core/errors.js';
import {detectClaudeCode} from '../oauth/claude-code.js';
import {API_KEY_ENV_VARS} from '../core/provider-registry.js';
import {accountView} from '../core/account-view.js';
import {PROVIDER_IDS, type ProviderId} from '../core/schemas.js';
import type {AccountsApi} from '../app/accounts.js';
import {colorFromEnv} from '../core/env.js';
import type {
	Detected,
	DetectedEnvKey,
	KeyValidation,
	LoginHandle,
	SavedAccount,
	Services,
	StartLoginOptions,
} from '../ui/services.js';
import {watchResize, type CommandContext} from './context.js';

/** The plan from a Codex auth.json's id_token claims, when it has one (no signature check: it only preselects a tier). */
export function codexPlan(authJson: string): string | undefined {
	try {
		const parsed = JSON.parse(authJson) as {tokens?: {id_token?: unknown}};
		const idToken = parsed.tokens?.id_token;
		if (typeof idToken !== 'string') return undefined;
		const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
			string,
			unknown
		>;
		const auth = payload['https://api.openai.com/auth'] as {chatgpt_plan_type?: unknown} | undefined;
		return typeof auth?.chatgpt_plan_type === 'string' && /^[a-z0-9-]{1,32}$/.test(auth.chatgpt_plan_type)
			? auth.chatgpt_plan_type
			: undefined;
	} catch {
		return undefined;
	}
}

/** What the welcome step offers to reuse: env keys, a Codex login, an installed `claude` CLI. */
export async function detectExisting(env: CommandContext['env']): Promise<Detected> {
	const envKeys: DetectedEnvKey[] = [];
	for (const provider of PROVIDER_IDS)
		for (const variable of API_KEY_ENV_VARS[provider]) {
			const key = env[variable]?.trim();
			if (key) envKeys.push({provider, variable, key});
		}
	const codexHome = env.CODEX_HOME || path.join(env.HOME || os.homedir(), '.codex');
	const codexFile = path.join(codexHome, 'auth.json');
	const [codexText, claude] = await Promise.all([
		access(codexFile).then(
			() => readFile(codexFile, 'utf8').catch(() => ''),
			() => undefined,
		),
		detectClaudeCode({env}),
	]);
	return {
		envKeys,
		codexLogin: codexText === undefined ? undefined : {path: codexFile, plan: codexPlan(codexText)},
		claudeCli: claude.installed ? {version: claude.version, supportsAuth: claude.supportsAuth} : undefined,
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
		copyToClipboard: (text) =>
			void ctx.stdout.write(`\u001B]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`),
		async openUrl(provider, url) {
			const [{oauthSetup}, {openBrowserSafely, shouldPrintInsteadOfOpen}] = await Promise.all([
				import('../oauth/setup.js'),
				import('../oauth/browser.js'),
			]);
			if (options.noBrowser || shouldPrintInsteadOfOpen(env, process.platform)) return false;
			const setup = oauthSetup(provider, env);
			return openBrowserSafely(url, {allowedHosts: setup.browserHosts, allowLoopbackHttp: setup.allowInsecure}).catch(
				() => false,
			);
		},
		animate: true,
		...(ctx.sandboxHome
			? {
					sandbox: {
						home: ctx.sandboxHome.label,
						throwaway: ctx.sandboxHome.throwaway,
						keyPrefix: ctx.sandboxHome.keyPrefix,
					},
				}
			: {}),
		claudeOAuthConfigured: Boolean(env.TUI_CLAUDE_OAUTH_CLIENT_ID),
		accounts: lazyAccountsApi(home, ctx.now),
		async loadHomeSummary() {
			return (await import('../app/home-summary.js')).loadHomeSummary(home, env, ctx.now);
		},
		async detect() {
			const {readAuthFile} = await import('../store/auth-file.js');
			const stored = async (provider: ProviderId) =>
				(await readAuthFile(home, provider).catch(() => undefined))?.accounts.map((account) =>
					accountView(provider, account),
				) ?? [];
			const [found, openai, claude] = await Promise.all([detectExisting(env), stored('openai'), stored('claude')]);
			return {...found, accounts: [...openai, ...claude]};
		},
		async validateApiKey(provider, key, signal): Promise<KeyValidation> {
			const [{validateApiKey, normalizeApiKey}, {checkBeforeValidating}] = await Promise.all([
				import('../providers/validate-key.js'),
				import('../app/api-key.js'),
			]);
			try {
				// Nothing is sent for a key that could not be saved (a taken --label, a file from a newer tui).
				await checkBeforeValidating(home, provider, options.label, normalizeApiKey(key), {checkWritable: false});
				const result = await validateApiKey(provider, key, {env, fetch: ctx.fetch, signal});
				return result.ok ? {ok: true} : {ok: false, reason: result.message};
			} catch (error) {
				// Shape errors (empty, whitespace, too short) are one-line and never quote the key.
				if (error instanceof TuiError) return {ok: false, reason: error.message};
				throw error;
			}
		},
		async saveApiKeyAccount(provider, raw, label) {
			const [{saveApiKey}, {normalizeApiKey}] = await Promise.all([
				import('../app/api-key.js'),
				import('../providers/validate-key.js'),
			]);
			// The same rule as validateApiKey applied, so the stored key is the validated one.
			const wanted = label ?? options.label;
			const saved = await saveApiKey(home, provider, {
				key: normalizeApiKey(raw),
				...(wanted !== undefined ? {label: wanted} : {}),
				now: ctx.now(),
			});
			return accountView(provider, saved.account);
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
				onEvent: login.onEvent,
			});
			return {
				authUrl: handle.authUrl,
				remoteHint: handle.remoteHint,
				expiresAt: handle.expiresAt,
				done: handle.done.then((account) => accountView(provider, account)),
				cancel: () => handle.cancel(),
				submitPaste: handle.submitPaste ? (input: string) => handle.submitPaste!(input) : undefined,
			};
		},
		delegateToClaudeCode(signal) {
			return delegateToClaudeCode(ctx, {signal, label: options.label, interactive: Boolean(ctx.stdin.isTTY)});
		},
		async offerClaudeStatusLine() {
			return (await import('./status-line-install.js')).statusLineOffer(ctx);
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

// ------------------------------------------------------------------ Claude Code delegation

/**
 * The Claude subscription by delegation (docs/providers.md "Policy"), through the one flow in oauth/claude-code.ts:
 * already signed in → recorded at once; otherwise `claude auth login` runs at the terminal (Ink has released stdin).
 */
export async function delegateToClaudeCode(
	ctx: CommandContext,
	options: {readonly signal: AbortSignal; readonly label?: string; readonly interactive: boolean},
): Promise<SavedAccount> {
	const {delegateToClaudeCode: delegate} = await import('../oauth/claude-code.js');
	const result = await delegate({
		env: ctx.env,
		home: ctx.home,
		now: ctx.now,
		signal: options.signal,
		interactive: options.interactive,
		...(options.label !== undefined ? {label: options.label} : {}),
		useExistingLogin: async () => true,
		beforeLogin: () => (ctx.stdin as {pause?: () => void}).pause?.(),
	});
	return accountView('claude', result.account);
}
