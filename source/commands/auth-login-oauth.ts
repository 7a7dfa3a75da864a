// `tui auth login --provider openai|claude --method browser|paste|claude-code`: the non-interactive
// rendering of the OAuth engine. Progress goes to stderr; the URL a user must act on, to stdout.
import {createInterface} from 'node:readline';
import {TuiError, UsageError} from '../core/errors.js';
import {PROVIDER_NAMES, parseProvider, type ProviderId} from '../core/schemas.js';
import {formatWait, safeLine} from '../core/text.js';
import {shouldPrintInsteadOfOpen} from '../oauth/browser.js';
import {delegateToClaudeCode, type SpawnLike} from '../oauth/claude-code.js';
import {startLogin, type LoginEvent, type LoginHandle, type LoginMethod} from '../oauth/login.js';
import type {CommandContext} from '../app/context.js';
import {askYesNo} from './ask.js';

export type OAuthLoginOptions = {
	readonly provider?: string;
	readonly method?: string;
	/** commander's `--no-browser` sets `browser: false`. */
	readonly browser?: boolean;
	readonly noBrowser?: boolean;
	readonly label?: string;
	/** Seconds, or a duration like "90s", "5m". */
	readonly timeout?: string | number;
	/** Tests: stand-ins for the opener and for spawning `claude`. */
	readonly openBrowser?: (url: string) => Promise<boolean>;
	readonly spawn?: SpawnLike;
	/** `--yes`: record an existing Claude Code login without asking. */
	readonly yes?: boolean;
	/** With claude-code: true installs the Claude quota status line without asking, false skips the offer. */
	readonly statusLine?: boolean;
};

const METHODS = ['browser', 'paste', 'claude-code'] as const;

export function parseTimeout(value: string | number | undefined): number | undefined {
	if (value === undefined) return undefined;
	const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(String(value).trim());
	const ms = match
		? Number(match[1]) * ({ms: 1, s: 1000, m: 60_000} as const)[(match[2] ?? 's') as 'ms' | 's' | 'm']
		: Number.NaN;
	if (!Number.isFinite(ms) || ms < 1000 || ms > 60 * 60_000)
		throw new UsageError('--timeout must be between 1s and 60m (e.g. 90s, 5m)');
	return ms;
}

export async function runOAuthLogin(ctx: CommandContext, opts: OAuthLoginOptions): Promise<number> {
	const provider = parseProvider(opts.provider ?? 'openai');
	const method = opts.method ?? 'browser';
	if (!(METHODS as readonly string[]).includes(method))
		throw new UsageError(`--method must be one of ${METHODS.join(', ')} here`);
	const err = (line: string): void => void ctx.stderr.write(`${safeLine(line, 500)}\n`);

	if (method === 'claude-code') {
		if (provider !== 'claude') throw new UsageError('--method claude-code is for --provider claude');
		const useExistingLogin = async (description: string): Promise<boolean> => {
			if (opts.yes) return true;
			if (!ctx.stdin.isTTY)
				throw new UsageError(
					`${description}: pass --yes to record that login, or run \`claude auth logout\` first to sign in with another account`,
				);
			return askYesNo(ctx, `${description}. Record that login? [Y/n] `, {defaultYes: true});
		};
		const result = await delegateToClaudeCode({
			env: ctx.env,
			home: ctx.home,
			label: opts.label,
			spawn: opts.spawn,
			now: ctx.now,
			onMessage: err,
			useExistingLogin,
		});
		ctx.stdout.write(
			`${safeLine(`Claude: logged in through Claude Code as "${result.account.label}"${result.account.email ? ` (${result.account.email})` : ''}`)}\n`,
		);
		if (opts.statusLine !== false)
			await (await import('./statusline.js')).offerAfterLogin(ctx, opts.statusLine === true);
		return 0;
	}

	const account = await signInWithoutScreen(ctx, {...opts, provider, method: method as LoginMethod});
	const details = [account.plan, account.email].filter(Boolean).join(', ');
	ctx.stdout.write(
		`${safeLine(`${PROVIDER_NAMES[provider as ProviderId]}: logged in as "${account.label}"${details ? ` (${details})` : ''}`)}\n`,
	);
	if (provider === 'openai' && account.planEnabled === false) {
		err(
			'ChatGPT plan usage is off for this sign-in (not granted): sign in again and allow it, or add an API key: tui auth login --provider openai --with-api-key',
		);
	}
	return 0;
}

/**
 * A browser or paste sign-in without a screen, the one path for `auth login` and `onboard`: progress on stderr,
 * the URL a user must act on on stdout (so a script can capture it), pastes read from stdin.
 */
export async function signInWithoutScreen(
	ctx: CommandContext,
	opts: Omit<OAuthLoginOptions, 'provider' | 'method'> & {readonly provider: ProviderId; readonly method: LoginMethod},
): Promise<Awaited<LoginHandle['done']>> {
	const {provider, method} = opts;
	const err = (line: string): void => void ctx.stderr.write(`${safeLine(line, 500)}\n`);
	const noBrowser = opts.noBrowser === true || opts.browser === false;
	const printUrl = noBrowser || !ctx.stdout.isTTY;
	const onEvent = (event: LoginEvent): void => {
		switch (event.type) {
			case 'listening':
				err(`waiting for the browser on ${event.redirectUri}`);
				break;
			case 'browser-opened':
				err('opened the browser; finish signing in there');
				break;
			case 'browser-failed':
				// With --no-browser the URL is printed by design; nothing failed.
				if (!noBrowser) err(`could not open a browser (${event.reason})`);
				break;
			case 'exchanging':
				err('exchanging the authorization code…');
				break;
			case 'failed':
			case 'stored':
			case 'waiting':
			case 'callback':
				break;
		}
	};
	const openBrowser =
		opts.openBrowser ??
		(noBrowser || shouldPrintInsteadOfOpen(ctx.env, process.platform) ? async () => false : undefined);
	const handle = await startLogin(provider, {
		method,
		env: ctx.env,
		home: ctx.home,
		fetch: ctx.fetch,
		label: opts.label,
		timeoutMs: parseTimeout(opts.timeout),
		signal: ctx.signal,
		now: ctx.now,
		onEvent,
		...(openBrowser ? {openBrowser} : {}),
	});
	// As set: `--timeout 3` reads "3 s", not "1 min".
	const validity = formatWait(handle.expiresAt - ctx.now());

	if (method === 'browser') {
		if (printUrl) {
			err('open this URL in a browser to sign in:');
			ctx.stdout.write(`${handle.authUrl}\n`);
		} else err(`if the browser did not open, visit: ${handle.authUrl}`);
		err(`waiting up to ${validity} (Ctrl+C cancels)`);
		if (handle.remoteHint) err(handle.remoteHint);
	} else {
		err(
			provider === 'openai'
				? `open this URL in any browser and sign in; the page it lands on (http://127.0.0.1:…) will not load: copy that whole address and paste it here (within ${validity}):`
				: 'open this URL in a browser, sign in, then paste the address you land on (or the code#state shown):',
		);
		ctx.stdout.write(`${handle.authUrl}\n`);
		await readPastes(ctx, handle, err);
	}

	return handle.done;
}

/** One line at a time from stdin until a paste is accepted; a wrong state lets a person try again (a pipe gets one try). */
async function readPastes(ctx: CommandContext, handle: LoginHandle, err: (line: string) => void): Promise<void> {
	const rl = createInterface({input: ctx.stdin, terminal: false});
	const lines = rl[Symbol.asyncIterator]();
	const onAbort = (): void => rl.close();
	ctx.signal.addEventListener('abort', onAbort, {once: true});
	// A flow that ends by itself (timeout, cancel) stops the prompt too.
	handle.done.catch(() => rl.close());
	try {
		for (;;) {
			err('paste here: ');
			const next = await lines.next();
			if (next.done) {
				handle.cancel();
				throw ctx.signal.aborted
					? new TuiError('login cancelled')
					: new TuiError('no input on stdin; the login was not completed');
			}
			try {
				await handle.submitPaste!(next.value);
				return;
			} catch (error) {
				if (!(error instanceof TuiError) || !ctx.stdin.isTTY) {
					handle.cancel();
					throw error;
				}
				err(error.message);
			}
		}
	} finally {
		ctx.signal.removeEventListener('abort', onAbort);
		rl.close();
	}
}
