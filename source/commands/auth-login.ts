// `tui auth login`: adds an account: an API key (`--with-api-key` / `--method api-key`, saved by app/api-key.ts),
// or a browser, paste or Claude Code sign-in (auth-login-oauth.ts), or the add-account screen at a terminal.
import {checkBeforeValidating, saveApiKey} from '../app/api-key.js';
import {TuiError, UsageError} from '../core/errors.js';
import {PROVIDER_NAMES, parseProvider, type ProviderId} from '../core/schemas.js';
import {lastFour} from '../core/text.js';
import {API_KEY_ENV_VARS} from '../core/provider-registry.js';
import type {CommandContext} from '../app/context.js';
import {readSecret} from './read-secret.js';

export type LoginOptions = {
	readonly provider?: string;
	readonly method?: string;
	readonly label?: string;
	readonly withApiKey?: boolean;
	/** commander's --no-browser: false when given. */
	readonly browser?: boolean;
	readonly timeout?: string;
};

function requireProvider(options: LoginOptions, what: string): ProviderId {
	if (options.provider === undefined) throw new UsageError(`${what} needs --provider openai|claude`);
	return parseProvider(options.provider);
}

async function loginWithApiKey(ctx: CommandContext, options: LoginOptions): Promise<number> {
	const provider = requireProvider(options, 'tui auth login --with-api-key');
	const name = PROVIDER_NAMES[provider];
	// Nothing is sent for a login that could not be saved.
	await checkBeforeValidating(ctx.home, provider, options.label);

	const raw = await readSecret(ctx, `${name} API key (input hidden): `);
	if (raw.trim().length === 0)
		throw new UsageError(
			`no API key on stdin; pipe it, e.g. \`printenv ${API_KEY_ENV_VARS[provider][0]} | tui auth login --provider ${provider} --with-api-key\``,
		);
	const {normalizeApiKey, validateApiKey} = await import('../providers/validate-key.js');
	const key = normalizeApiKey(raw);
	await checkBeforeValidating(ctx.home, provider, options.label, key);

	const result = await validateApiKey(provider, key, {env: ctx.env, fetch: ctx.fetch, signal: ctx.signal});
	if (!result.ok) throw new TuiError(`${name}: ${result.message}; nothing was saved`);

	const saved = await saveApiKey(ctx.home, provider, {
		key,
		...(options.label !== undefined ? {label: options.label} : {}),
		now: ctx.now(),
	});

	const shown = `${JSON.stringify(saved.account.label)} (key ${lastFour(key)})`;
	ctx.stdout.write(
		saved.existed
			? `Already logged in to ${name} as ${shown}; it is now the active account\n`
			: `Logged in to ${name} as ${shown}\n`,
	);
	const shadowing = API_KEY_ENV_VARS[provider].find((variable) => ctx.env[variable]?.trim());
	if (shadowing)
		ctx.stderr.write(`note: ${shadowing} is set in the environment and takes precedence over this login\n`);
	return 0;
}

/** Browser, paste and claude-code sign-in, or the add-account screen at a terminal. */
async function loginWithOAuth(ctx: CommandContext, options: LoginOptions): Promise<number> {
	if (options.provider === undefined) {
		if (!ctx.stdin.isTTY)
			throw new UsageError(
				'stdin is not a terminal: give --provider openai|claude and --method browser|paste|claude-code, or --with-api-key with the key on stdin',
			);
		const {runAddAccountScreen} = await import('./add-account.js');
		return runAddAccountScreen(ctx, options);
	}
	// A browser login waits minutes for a person; without a terminal that must be asked for by name.
	if (options.method === undefined && !ctx.stdin.isTTY)
		throw new UsageError(
			'stdin is not a terminal: give --method browser|paste|claude-code, or --with-api-key with the key on stdin',
		);
	const {runOAuthLogin} = await import('./auth-login-oauth.js');
	return runOAuthLogin(ctx, {...options, method: options.method ?? 'browser'} as Parameters<typeof runOAuthLogin>[1]);
}

export async function run(ctx: CommandContext, options: LoginOptions = {}): Promise<number> {
	if (options.withApiKey && options.method !== undefined && options.method !== 'api-key')
		throw new UsageError(`--with-api-key conflicts with --method ${options.method}`);
	if (options.withApiKey || options.method === 'api-key') return loginWithApiKey(ctx, options);
	return loginWithOAuth(ctx, options);
}
