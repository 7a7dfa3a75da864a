// Token refresh shared by many processes: one lock per auth file, re-read inside it, a refresh token sent at most once.
import * as oauth from 'oauth4webapi';
import {findAccount, replaceAccount} from '../core/accounts.js';
import {TuiError} from '../core/errors.js';
import {PROVIDER_IDS, PROVIDER_NAMES, type OAuthAccount, type ProviderId} from '../core/schemas.js';
import {safeLine} from '../core/text.js';
import type {Env} from '../providers/config-env.js';
import {OPENAI_REFRESH} from '../providers/openai.js';
import {readAuthFile, withAuthFileLock, writeAuthFileLocked, type LockContext} from '../store/auth-file.js';
import {REFRESH_WINDOW_MS} from '../store/discovery.js';
import {loginCommand, oauthSetup, requestOptions, type FetchLike, type OAuthSetup} from './setup.js';
import {accountInfoFromResponse, tokensFromResponse} from './tokens.js';

export {REFRESH_WINDOW_MS};
/** The refresh request's own limit; the lock wait below is longer, so waiters outlast a slow holder. */
const REFRESH_REQUEST_TIMEOUT_MS = 20_000;
const REFRESH_LOCK_WAIT_MS = 60_000;

export type RefreshDeps = {
	readonly home: string;
	readonly env: Env;
	readonly fetch?: FetchLike;
	readonly now?: number | (() => number);
	/** Refresh even if the token is not near expiry (still adopts a token another process just stored). */
	readonly force?: boolean;
};

const clock = (now: RefreshDeps['now']): number => (typeof now === 'function' ? now() : (now ?? Date.now()));

export function needsRefresh(provider: ProviderId, account: OAuthAccount, nowMs: number): boolean {
	if (account.tokens.expiresAt - nowMs <= REFRESH_WINDOW_MS) return true;
	// Codex also refreshes 8 days after the last refresh, so a long-lived token never goes stale unnoticed.
	return provider === 'openai' && account.tokens.refreshedAt !== undefined && nowMs - account.tokens.refreshedAt >= OPENAI_REFRESH.maxAgeMs;
}

/**
 * Returns the account with a usable access token, refreshing it if it is within 5 minutes of expiry.
 * Under the auth-file lock the file is re-read: a token another process stored meanwhile is adopted, not refreshed again.
 */
export async function refreshIfNeeded(provider: ProviderId, accountId: string, deps: RefreshDeps): Promise<OAuthAccount> {
	const initial = oauthAccountIn(await readAuthFile(deps.home, provider), accountId, provider);
	if (initial.needsLogin) throw new TuiError(initial.needsLogin);
	if (!deps.force && !needsRefresh(provider, initial, clock(deps.now))) return initial;
	return withAuthFileLock(deps.home, provider, async (lock) => {
		const file = await readAuthFile(deps.home, provider);
		const current = oauthAccountIn(file, accountId, provider);
		if (current.needsLogin) throw new TuiError(current.needsLogin);
		const adopted = current.tokens.access !== initial.tokens.access;
		if (adopted && !needsRefresh(provider, current, clock(deps.now))) return current;
		if (!deps.force && !needsRefresh(provider, current, clock(deps.now))) return current;
		if (!current.tokens.refresh) return markNeedsLogin(deps.home, provider, current, 'no refresh token is stored');
		return sendRefresh(provider, current, deps, lock);
	}, {timeoutMs: REFRESH_LOCK_WAIT_MS});
}

async function sendRefresh(provider: ProviderId, account: OAuthAccount, deps: RefreshDeps, lock: LockContext): Promise<OAuthAccount> {
	let setup: OAuthSetup;
	try {
		setup = oauthSetup(provider, deps.env);
	} catch (error) {
		throw error instanceof TuiError ? error : new TuiError('the OAuth client is not configured');
	}
	const as = setup.staticServer;
	const base = deps.fetch ?? globalThis.fetch;
	// Tracks whether the request may have reached the server: after that, the refresh token is spent for us.
	let attempted = false;
	const tracked: FetchLike = (input, init) => {
		attempted = true;
		return base(input, init);
	};
	let response: Response;
	// A holder that stalled past the stale window (SIGSTOP, a frozen laptop) may have been taken over, and the
	// new holder may already have spent this refresh token: never send it then.
	lock.assertStillHeld();
	try {
		response = await oauth.refreshTokenGrantRequest(as, setup.client, setup.clientAuth, account.tokens.refresh!, requestOptions(setup, tracked, undefined, REFRESH_REQUEST_TIMEOUT_MS));
	} catch (error) {
		if (!attempted || notSent(error)) throw new TuiError(`could not reach ${PROVIDER_NAMES[provider]} to refresh the login (offline?); nothing was changed`);
		return markNeedsLogin(deps.home, provider, account, 'the refresh request was interrupted and a refresh token is never sent twice');
	}
	if (!response.ok) {
		const code = await errorCode(response.clone());
		if (response.status === 429 && !code) throw new TuiError(`${PROVIDER_NAMES[provider]} rate-limited the token refresh; try again shortly`);
		const why = code ? safeLine(code, 60) : `HTTP ${response.status}`;
		return markNeedsLogin(deps.home, provider, account, setup.loginAgainErrors.includes(code ?? '') ? `the login is no longer valid (${why})` : `the token refresh failed (${why})`);
	}
	let result: oauth.TokenEndpointResponse;
	try {
		result = await oauth.processRefreshTokenResponse(as, setup.client, response);
	} catch (error) {
		const why = error instanceof Error ? safeLine(error.message, 120) : 'invalid response';
		return markNeedsLogin(deps.home, provider, account, `the token refresh returned an unusable response (${why})`);
	}
	const now = clock(deps.now);
	const info = result.id_token ? accountInfoFromResponse(provider, result) : {};
	const updated: OAuthAccount = {...account, tokens: tokensFromResponse(result, now, account.tokens)};
	for (const [key, value] of Object.entries(info)) if (value !== undefined) (updated as Record<string, unknown>)[key] = value;
	const file = await readAuthFile(deps.home, provider);
	await writeAuthFileLocked(deps.home, provider, replaceAccount(file, updated));
	return updated;
}

/** Connection refused / name not found: the request never left, so the refresh token is still good. */
function notSent(error: unknown): boolean {
	const cause = (error as {cause?: {code?: unknown}} | undefined)?.cause;
	const code = typeof cause?.code === 'string' ? cause.code : undefined;
	return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH';
}

/** `{"error": "invalid_grant"}`, OpenAI's `{"error": {"code": "refresh_token_reused"}}`, or `{"code": …}`. */
async function errorCode(response: Response): Promise<string | undefined> {
	try {
		const body = (await response.json()) as {error?: unknown; code?: unknown};
		if (typeof body.error === 'object' && body.error && typeof (body.error as {code?: unknown}).code === 'string') return (body.error as {code: string}).code;
		if (typeof body.error === 'string') return body.error;
		if (typeof body.code === 'string') return body.code;
	} catch {
		// Not JSON: the status says enough.
	}
	return undefined;
}

/** One clear message, kept on the account (so no process retries), and thrown. */
async function markNeedsLogin(home: string, provider: ProviderId, account: OAuthAccount, why: string): Promise<never> {
	const message = safeLine(`${PROVIDER_NAMES[provider]} account "${account.label}": ${why}; log in again: ${loginCommand(provider)}`, 500);
	const file = await readAuthFile(home, provider);
	const current = findAccount(file, account.id);
	if (current && current.kind === 'oauth') await writeAuthFileLocked(home, provider, replaceAccount(file, {...current, needsLogin: message}));
	throw new TuiError(message);
}

function oauthAccountIn(file: Awaited<ReturnType<typeof readAuthFile>>, id: string, provider: ProviderId): OAuthAccount {
	const account = file.accounts.find((a) => a.id === id);
	if (!account) throw new TuiError(`no ${PROVIDER_NAMES[provider]} account with id ${safeLine(id, 64)}`);
	if (account.kind !== 'oauth') throw new TuiError(`${PROVIDER_NAMES[provider]} account "${account.label}" is not an OAuth login`);
	return account;
}

/**
 * The `refresh` hook for resolveCredential (store/discovery.ts): refreshes `account` if needed and returns it as stored.
 * The provider comes from the context, or is found by which auth file holds the account.
 */
export async function refreshOAuthAccount(
	account: OAuthAccount,
	context: {readonly provider?: ProviderId; readonly home: string; readonly env: Env; readonly fetch?: FetchLike; readonly now?: number | (() => number)},
): Promise<OAuthAccount> {
	let provider = context.provider;
	if (!provider) {
		for (const id of PROVIDER_IDS) {
			const file = await readAuthFile(context.home, id);
			if (file.accounts.some((a) => a.id === account.id)) provider = id;
		}
	}
	if (!provider) throw new TuiError(`account "${account.label}" is in no auth file`);
	return refreshIfNeeded(provider, account.id, {home: context.home, env: context.env, fetch: context.fetch, now: context.now});
}
