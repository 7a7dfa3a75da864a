// `tui auth login`: adds an account. This version does API keys (`--with-api-key` / `--method api-key`);
// browser, paste and claude-code sign-in arrive with the OAuth engine (loginWithOAuth below).
import {randomBytes} from 'node:crypto';
import {addAccount, setActive} from '../core/accounts.js';
import {TuiError, UsageError} from '../core/errors.js';
import {LABEL_PATTERN, PROVIDER_NAMES, isProviderId, type Account, type AuthFile, type ProviderId} from '../core/schemas.js';
import {lastFour} from '../core/text.js';
import {assertAuthWritable, authFilePath, newerFileError, readAuthFile, updateAuthFile} from '../store/auth-file.js';
import {API_KEY_ENV_VARS} from '../store/discovery.js';
import type {CommandContext} from './context.js';
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

const DEFAULT_KEY_LABEL = 'api-key';

/** "api-key", else "api-key-2", "api-key-3", …: the first label no account uses (case-insensitively). */
export function nextFreeLabel(file: AuthFile, base = DEFAULT_KEY_LABEL): string {
	const taken = new Set(file.accounts.map((a) => a.label.toLowerCase()));
	if (!taken.has(base.toLowerCase())) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`.toLowerCase())) return `${base}-${n}`;
}

function newAccountId(): string {
	return `acc_${randomBytes(9).toString('base64url')}`;
}

function requireProvider(options: LoginOptions, what: string): ProviderId {
	if (options.provider === undefined) throw new UsageError(`${what} needs --provider openai|claude`);
	if (!isProviderId(options.provider)) throw new UsageError(`unknown provider ${JSON.stringify(options.provider)}; valid: openai, claude`);
	return options.provider;
}

function checkLabel(label: string | undefined): void {
	if (label !== undefined && !LABEL_PATTERN.test(label))
		throw new UsageError(`invalid --label ${JSON.stringify(label)}: use 1-64 letters, digits, space, . _ @ + -, starting with a letter or digit`);
}

function labelOwner(file: AuthFile, label: string): Account | undefined {
	return file.accounts.find((a) => a.label.toLowerCase() === label.toLowerCase());
}

function labelTaken(account: Account): UsageError {
	return new UsageError(`an account labelled ${JSON.stringify(account.label)} already exists; choose another --label`);
}

/** The stored api-key account holding exactly this key, if any. */
function sameKey(file: AuthFile, key: string): Account | undefined {
	return file.accounts.find((a) => a.kind === 'api-key' && a.key === key);
}

async function loginWithApiKey(ctx: CommandContext, options: LoginOptions): Promise<number> {
	const provider = requireProvider(options, 'tui auth login --with-api-key');
	const name = PROVIDER_NAMES[provider];
	checkLabel(options.label);

	// A taken label is refused before any request, so nothing is sent for a login that cannot be saved.
	// (Only the same key under the same label may pass: logging in twice is idempotent.)
	const before = await readAuthFile(ctx.home, provider);
	if (before.newerVersion !== undefined) throw newerFileError(authFilePath(ctx.home, provider), before.newerVersion);
	const clash = options.label === undefined ? undefined : labelOwner(before, options.label);
	if (clash && clash.kind !== 'api-key') throw labelTaken(clash);

	const raw = await readSecret(ctx, `${name} API key (input hidden): `);
	if (raw.trim().length === 0) throw new UsageError(`no API key on stdin; pipe it, e.g. \`printenv ${API_KEY_ENV_VARS[provider][0]} | tui auth login --provider ${provider} --with-api-key\``);
	const {normalizeApiKey, validateApiKey} = await import('../providers/validate-key.js');
	const key = normalizeApiKey(raw);

	if (clash && !(clash.kind === 'api-key' && clash.key === key)) throw labelTaken(clash);
	// Nothing is sent for a login that could not be saved.
	await assertAuthWritable(ctx.home);

	const result = await validateApiKey(provider, key, {env: ctx.env, fetch: ctx.fetch, signal: ctx.signal});
	if (!result.ok) throw new TuiError(`${name}: ${result.message}; nothing was saved`);

	const saved = await updateAuthFile(ctx.home, provider, (file) => {
		const existing = sameKey(file, key);
		if (existing) return {file: setActive(file, existing.id), result: {account: existing, existed: true}};
		const label = options.label ?? nextFreeLabel(file);
		const added = addAccount(file, {kind: 'api-key', label, key}, {now: ctx.now(), newId: newAccountId});
		return {file: added.file, result: {account: added.account, existed: false}};
	});

	const shown = `${JSON.stringify(saved.account.label)} (key ${lastFour(key)})`;
	ctx.stdout.write(saved.existed ? `Already logged in to ${name} as ${shown}; it is now the active account\n` : `Logged in to ${name} as ${shown}\n`);
	const shadowing = API_KEY_ENV_VARS[provider].find((variable) => ctx.env[variable]?.trim());
	if (shadowing) ctx.stderr.write(`note: ${shadowing} is set in the environment and takes precedence over this login\n`);
	return 0;
}

/** Browser, paste and claude-code sign-in: the OAuth engine replaces this. */
async function loginWithOAuth(ctx: CommandContext, options: LoginOptions): Promise<number> {
	if (options.provider === undefined) {
		if (!ctx.stdin.isTTY) throw new UsageError('stdin is not a terminal: give --provider openai|claude and --method browser|paste|claude-code, or --with-api-key with the key on stdin');
		const {runAddAccountScreen} = await import('./add-account.js');
		return runAddAccountScreen(ctx, options);
	}
	// A browser login waits minutes for a person; without a terminal that must be asked for by name.
	if (options.method === undefined && !ctx.stdin.isTTY)
		throw new UsageError('stdin is not a terminal: give --method browser|paste|claude-code, or --with-api-key with the key on stdin');
	const {runOAuthLogin} = await import('./auth-login-oauth.js');
	return runOAuthLogin(ctx, {...options, method: options.method ?? 'browser'} as Parameters<typeof runOAuthLogin>[1]);
}

export async function run(ctx: CommandContext, options: LoginOptions = {}): Promise<number> {
	if (options.withApiKey && options.method !== undefined && options.method !== 'api-key')
		throw new UsageError(`--with-api-key conflicts with --method ${options.method}`);
	if (options.withApiKey || options.method === 'api-key') return loginWithApiKey(ctx, options);
	return loginWithOAuth(ctx, options);
}
