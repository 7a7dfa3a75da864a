// Credential resolution per provider (docs/architecture.md, "The data path of resolveCredential"):
//   explicit (flag / library argument) > environment variable > active account of the auth file > none.
// Every lower source that is present but loses is listed in `shadowed`, so `tui auth status` can say
// "OPENAI_API_KEY shadows your ChatGPT login" at once. Fallback to another provider is selection's job.
// Kept light on purpose (no SDK, no ink, no conf): `tui auth status` and `tui auth token` start through here.
import {isoTime, readClock} from '../core/clock.js';
import {activeAccount} from '../core/accounts.js';
import {TuiError} from '../core/errors.js';
import {API_KEY_ENV_VARS} from '../core/provider-registry.js';
import {invalidUserState, type InvalidUserState} from '../core/provider-errors.js';
import {
	PROVIDER_NAMES,
	type Account,
	type CredentialSource,
	type OAuthAccount,
	type ProviderId,
} from '../core/schemas.js';
import {lastFour, needsLoginReason, safeLine} from '../core/text.js';
import type {Env} from '../providers/config-env.js';
import {OPENAI_PLAN_REQUESTS, openaiPlanBaseUrl, type OpenAIPlanRequests} from '../providers/openai-plan.js';
import {authFileProblems, readAuthFile} from './auth-file.js';
import {readReportedErrors} from './provider-errors.js';
import {accountKey} from './usage-ledger.js';
import type {StateOptions} from './home.js';
import {credentialSince, describeAccount, publicAccount, type PublicAccount} from './public-account.js';

/** Refresh an OAuth access token this close to expiry before handing it out. */
export const REFRESH_WINDOW_MS = 5 * 60 * 1000;

/**
 * The hook the OAuth engine supplies: refresh `account`'s tokens (under the auth-file lock, re-reading the
 * file, saving the result) and return the account as now stored. Throw a one-line, secret-free error on failure.
 */
export type RefreshOAuthAccount = (
	account: OAuthAccount,
	context: {
		readonly provider: ProviderId;
		readonly home: string;
		readonly env: Env;
		/** Refresh even if not near expiry (the provider rejected the token). */ readonly force?: boolean;
	},
) => Promise<OAuthAccount>;

export type CredentialShadow = {readonly source: CredentialSource; readonly detail: string};

export type ResolvedCredential = {
	readonly provider: ProviderId;
	/** The source that won ('none' when nothing did). */
	readonly source: CredentialSource;
	readonly usable: boolean;
	/** The key or access token; absent when not usable, and for delegated accounts (the tool holds its own login). */
	readonly secret?: string;
	/** 'chatgpt-plan' for a ChatGPT sign-in: a bearer token for the plan, not an API key. */
	readonly kind?: Account['kind'] | 'chatgpt-plan';
	/** ChatGPT plan only: where the token is sent (never ChatGPT's backend-api). */
	readonly baseURL?: string;
	/** ChatGPT plan only: plan usage was granted (chatgpt.tokens.use.direct). */
	readonly planEnabled?: boolean;
	/** ChatGPT plan only: the documented requests: POST /responses with store:false and stream:true, GET /models. */
	readonly requests?: OpenAIPlanRequests;
	/** The winning stored account (source 'file'). */
	readonly account?: PublicAccount;
	/** The environment variable that won (source 'env'). */
	readonly envVar?: string;
	/** Why it is (not) usable, one line. */
	readonly reason: string;
	readonly shadowed: readonly CredentialShadow[];
	/** Every stored account of the provider, without secrets (empty when the file could not be read). */
	readonly accounts: readonly PublicAccount[];
	/** The auth file could not be read (e.g. corrupt, moved aside); other sources may still have won. */
	readonly fileError?: string;
};

export type ResolveOptions = StateOptions & {
	/** A credential given as a flag or library argument: wins over everything. */
	readonly explicit?: string;
	readonly refresh?: RefreshOAuthAccount;
};

function loginHint(provider: ProviderId): string {
	return `run: tui auth login --provider ${provider}`;
}

/** The set environment variables of the provider, in precedence order, trimmed. */
function envKeys(provider: ProviderId, env: Env): Array<{name: string; value: string}> {
	const found: Array<{name: string; value: string}> = [];
	for (const name of API_KEY_ENV_VARS[provider]) {
		const value = env[name]?.trim();
		if (value) found.push({name, value});
	}
	return found;
}

type FileRead = {
	readonly account?: Account;
	readonly count: number;
	readonly activeId: string | null;
	readonly accounts: readonly PublicAccount[];
	readonly error?: string;
};

async function readActive(home: string, provider: ProviderId): Promise<FileRead> {
	try {
		const file = await readAuthFile(home, provider);
		// A newer file, or an active account this version cannot read, is the reason; other unreadable ones are warnings (auth status).
		const problem =
			file.newerVersion !== undefined || file.unreadable?.some((u) => u.active)
				? authFileProblems(home, provider, file).find(
						(p) => file.newerVersion !== undefined || p.includes('active one'),
					)
				: undefined;
		return {
			account: activeAccount(file),
			count: file.accounts.length,
			activeId: file.active,
			accounts: file.accounts.map((a) => publicAccount(a, file.active)),
			...(problem ? {error: problem} : {}),
		};
	} catch (error) {
		if (error instanceof TuiError) return {count: 0, activeId: null, accounts: [], error: safeLine(error.message, 400)};
		const code = (error as NodeJS.ErrnoException).code;
		return {
			count: 0,
			activeId: null,
			accounts: [],
			error: `cannot read the ${PROVIDER_NAMES[provider]} auth file${code ? ` (${code})` : ''}`,
		};
	}
}

/** What a stored account yields: usable with its secret, or not with the reason. */
async function fromAccount(
	provider: ProviderId,
	account: Account,
	activeId: string | null,
	options: ResolveOptions,
): Promise<FromAccount> {
	const name = describeAccount(account);
	const base = {provider, source: 'file' as const, kind: account.kind};
	if (account.kind === 'delegated') {
		return {
			...base,
			usable: true,
			account: publicAccount(account, activeId),
			reason: `stored login ${name}: ${account.tool} holds the credential`,
		};
	}
	// A ChatGPT login from the retired Codex-client flow has no issued client: it cannot refresh or use the plan.
	// Checked before needsLogin, which the auth-file reader sets on such logins with a less specific message.
	if (provider === 'openai' && account.kind === 'oauth' && !account.clientId) {
		return {
			...base,
			usable: false,
			account: publicAccount(account, activeId),
			reason: `stored login ${name} ${CHATGPT_NEW_SIGN_IN}`,
		};
	}
	if (account.needsLogin) {
		return {
			...base,
			usable: false,
			account: publicAccount(account, activeId),
			reason: `stored login ${name} needs a new login (${needsLoginReason(account.needsLogin)}); ${loginHint(provider)}`,
		};
	}
	if (account.kind === 'api-key') {
		return {
			...base,
			usable: true,
			secret: account.key,
			account: publicAccount(account, activeId),
			reason: `stored API key ${name}`,
		};
	}
	return fromOAuthAccount(provider, account, activeId, options);
}

type FromAccount = Omit<ResolvedCredential, 'shadowed' | 'fileError' | 'accounts'>;

/** A signed-in OAuth account: its token while valid, else a refresh when the caller allows one. */
async function fromOAuthAccount(
	provider: ProviderId,
	account: OAuthAccount,
	activeId: string | null,
	options: ResolveOptions,
): Promise<FromAccount> {
	const name = describeAccount(account);
	const base = {
		provider,
		source: 'file' as const,
		kind: account.kind,
		...(provider === 'openai' ? chatgptPlan(account, options.env) : {}),
	};
	if (base.kind === 'chatgpt-plan' && !base.planEnabled) {
		return {
			...base,
			usable: false,
			account: publicAccount(account, activeId),
			reason: `stored login ${name}: ChatGPT plan usage is off (identity only); sign in again and allow plan usage (tui auth login --provider openai), or add an API key`,
		};
	}
	const now = readClock(options.now);
	const rejected = await rejectedState(options.home, provider, account);
	if (rejected === 'needs-sign-in') {
		return {
			...base,
			usable: false,
			account: publicAccount(account, activeId),
			reason: `stored login ${name}: ${PROVIDER_NAMES[provider]} rejected the login again after a token refresh; ${loginHint(provider)}`,
		};
	}
	if (rejected === 'none' && account.tokens.expiresAt - now > REFRESH_WINDOW_MS) {
		return {
			...base,
			usable: true,
			secret: account.tokens.access,
			account: publicAccount(account, activeId),
			reason: `stored login ${name}, token valid until ${isoTime(account.tokens.expiresAt)}`,
		};
	}
	if (!options.refresh) {
		const when =
			rejected === 'needs-refresh'
				? 'the provider rejected the token and it cannot be refreshed here'
				: account.tokens.expiresAt <= now
					? 'token expired'
					: 'token expires within 5 minutes and cannot be refreshed here';
		return {
			...base,
			usable: false,
			account: publicAccount(account, activeId),
			reason: `stored login ${name}: ${when}; run tui auth login --provider ${provider}`,
		};
	}
	try {
		const fresh = await options.refresh(account, {
			provider,
			home: options.home,
			env: options.env,
			...(rejected === 'needs-refresh' ? {force: true} : {}),
		});
		if (fresh.needsLogin || fresh.tokens.expiresAt <= readClock(options.now))
			throw new TuiError(fresh.needsLogin ?? 'the refreshed token is already expired');
		return {
			...base,
			usable: true,
			secret: fresh.tokens.access,
			account: publicAccount(fresh, activeId),
			reason: `stored login ${describeAccount(fresh)}, token refreshed, valid until ${isoTime(fresh.tokens.expiresAt)}`,
		};
	} catch (error) {
		// The refresher's message may carry its own fix; this reason adds it once.
		const why = error instanceof Error ? needsLoginReason(error.message) : 'unknown error';
		return {
			...base,
			usable: false,
			account: publicAccount(account, activeId),
			reason: `stored login ${name}: token refresh failed (${why}); ${loginHint(provider)}`,
		};
	}
}

export const CHATGPT_NEW_SIGN_IN =
	'needs a new sign-in (Continue with ChatGPT): it was made by the retired Codex-client sign-in; run tui auth login --provider openai';

function chatgptPlan(
	account: OAuthAccount,
	env: Env,
): {kind: 'chatgpt-plan'; baseURL: string; planEnabled: boolean; requests: OpenAIPlanRequests} {
	return {
		kind: 'chatgpt-plan',
		baseURL: openaiPlanBaseUrl(env),
		planEnabled: account.planEnabled === true,
		requests: OPENAI_PLAN_REQUESTS,
	};
}

/** A 401 the host reported for this token: refresh first, sign in only if a refreshed token is rejected too. */
async function rejectedState(home: string, provider: ProviderId, account: OAuthAccount): Promise<InvalidUserState> {
	try {
		// Read only for OAuth logins, so resolving an API key reads nothing more.
		const errors = (await readReportedErrors(home))[accountKey(provider, account.id)];
		return invalidUserState(errors, {credentialSince: credentialSince(account)});
	} catch {
		// A damaged errors file is moved aside by the reader; the login itself is unaffected.
		return 'none';
	}
}

/**
 * Which credential `provider` would use, from where, and whether it is usable; with every source it shadows.
 * Never throws for a bad auth file: that becomes the reason (or `fileError` when another source won).
 */
export async function resolveCredential(provider: ProviderId, options: ResolveOptions): Promise<ResolvedCredential> {
	const explicit = options.explicit?.trim() ? options.explicit.trim() : undefined;
	const envs = envKeys(provider, options.env);
	const stored = await readActive(options.home, provider);
	const shadowed: CredentialShadow[] = [];
	const fileError = stored.error ? {fileError: stored.error} : {};
	const accounts = stored.accounts;

	const storedShadow = (winner: string): void => {
		if (stored.account)
			shadowed.push({
				source: 'file',
				detail: `${winner} shadows the stored login ${describeAccount(stored.account)}; ${winner === 'the explicit credential' ? 'omit it' : `unset ${winner}`} to use the login`,
			});
		else if (stored.count > 0)
			shadowed.push({source: 'file', detail: `${stored.count} stored account(s), none active`});
	};

	if (explicit) {
		for (const {name} of envs)
			shadowed.push({source: 'env', detail: `${name} is set but the explicit credential wins`});
		storedShadow('the explicit credential');
		return {
			provider,
			source: 'flag',
			usable: true,
			secret: explicit,
			kind: 'api-key',
			reason: `explicit credential ${lastFour(explicit)}`,
			shadowed,
			accounts,
			...fileError,
		};
	}

	const [winner, ...others] = envs;
	if (winner) {
		for (const other of others)
			shadowed.push({
				source: 'env',
				detail: `${other.name} is ignored: ${winner.name} wins${other.value === winner.value ? ' (same key)' : ''}`,
			});
		storedShadow(winner.name);
		return {
			provider,
			source: 'env',
			usable: true,
			secret: winner.value,
			kind: 'api-key',
			envVar: winner.name,
			reason: `${winner.name} ${lastFour(winner.value)}`,
			shadowed,
			accounts,
			...fileError,
		};
	}

	if (stored.error)
		return {provider, source: 'file', usable: false, reason: stored.error, shadowed, accounts, ...fileError};
	if (stored.account) {
		const resolved = await fromAccount(provider, stored.account, stored.activeId, options);
		// A refresh changes the account (expiry): show it as it now is.
		const shown = resolved.account
			? accounts.map((a) => (a.id === resolved.account?.id ? resolved.account : a))
			: accounts;
		return {...resolved, shadowed, accounts: shown};
	}
	const envHint = API_KEY_ENV_VARS[provider][0];
	if (stored.count > 0)
		return {
			provider,
			source: 'none',
			usable: false,
			reason: `${stored.count} stored ${PROVIDER_NAMES[provider]} account(s) but none is active; run: tui auth switch ${provider}/LABEL`,
			shadowed,
			accounts,
		};
	return {
		provider,
		source: 'none',
		usable: false,
		reason: `no ${PROVIDER_NAMES[provider]} credential: set ${envHint} or ${loginHint(provider)}`,
		shadowed,
		accounts,
	};
}
