// Token refresh shared by many processes: one lock per auth file, re-read inside it, a refresh token sent at most once.
// Only 401 and the provider's terminal codes end a login; anything else (5xx, 429, HTML, silence) keeps the tokens.
import type {StateOptions} from '../store/home.js';
import {readClock} from '../core/clock.js';
import * as oauth from 'oauth4webapi';
import {findAccount, replaceAccount} from '../core/accounts.js';
import {TuiError} from '../core/errors.js';
import {PROVIDER_IDS, PROVIDER_NAMES, type AuthFile, type OAuthAccount, type ProviderId} from '../core/schemas.js';
import {safeLine} from '../core/text.js';
import type {Env} from '../providers/config-env.js';
import {OPENAI_REFRESH, isLegacyOpenAILogin, legacyOpenAIMessage} from '../providers/openai.js';
import {readAuthFile, withAuthFileLock, writeAuthFileLocked, type LockContext} from '../store/auth-file.js';
import {REFRESH_WINDOW_MS} from '../store/resolve-credential.js';
import {loginCommand, oauthSetup, requestOptions, type FetchLike} from './setup.js';
import {classifyRefreshFailure, discoverSiwc, refreshSiwc, type RefreshOutcome} from './siwc.js';
import {tokensFromResponse} from './tokens.js';

export {REFRESH_WINDOW_MS};
/** The refresh request's own limit; the lock wait below is longer, so waiters outlast a slow holder. */
const REFRESH_REQUEST_TIMEOUT_MS = 20_000;
const REFRESH_LOCK_WAIT_MS = 60_000;
/** After a transient failure this process waits before trying again: 15 s, doubling, at most 5 minutes. */
const BACKOFF_FIRST_MS = 15_000;
const BACKOFF_MAX_MS = 5 * 60_000;

export type RefreshDeps = StateOptions & {
	readonly fetch?: FetchLike;
	/** Refresh even if the token is not near expiry (still adopts a token another process just stored). */
	readonly force?: boolean;
	/** The store boundary (tests inject a full disk here). */
	readonly writeAuthFile?: (home: string, provider: ProviderId, file: AuthFile) => Promise<void>;
	/** Problems that did not stop the refresh (a full disk); default: one line on stderr. */
	readonly onWarning?: (message: string) => void;
};

/** Rotated tokens that could not be saved (full disk): used instead of the spent ones on disk, never re-sent. */
const unsaved = new Map<string, {readonly account: OAuthAccount; readonly spent: string}>();
const backoff = new Map<string, {until: number; delayMs: number}>();
const keyOf = (home: string, provider: ProviderId, id: string) => `${home}\0${provider}\0${id}`;

export function needsRefresh(account: OAuthAccount, nowMs: number): boolean {
	const {expiresAt, earliestRefreshAt} = account.tokens;
	if (expiresAt - nowMs > REFRESH_WINDOW_MS) return false;
	// The provider asked not to refresh before this time; honoured only while the token still works.
	return !(earliestRefreshAt !== undefined && nowMs < earliestRefreshAt && expiresAt > nowMs);
}

function unavailable(provider: ProviderId): string {
	return provider === 'openai'
		? OPENAI_REFRESH.unavailable
		: `${PROVIDER_NAMES[provider]} sign-in service unavailable, will retry`;
}

function preferUnsaved(key: string, account: OAuthAccount): OAuthAccount {
	const kept = unsaved.get(key);
	if (!kept) return account;
	// The disk still holds the spent token: use the rotated one. Anything newer on disk wins.
	if (account.tokens.refresh === kept.spent) return kept.account;
	unsaved.delete(key);
	return account;
}

/**
 * Returns the account with a usable access token, refreshing it if it is within 5 minutes of expiry.
 * Under the auth-file lock the file is re-read: a token another process stored meanwhile is adopted, not refreshed again.
 */
export async function refreshIfNeeded(
	provider: ProviderId,
	accountId: string,
	deps: RefreshDeps,
): Promise<OAuthAccount> {
	const key = keyOf(deps.home, provider, accountId);
	const initial = preferUnsaved(key, oauthAccountIn(await readAuthFile(deps.home, provider), accountId, provider));
	if (initial.needsLogin) throw new TuiError(initial.needsLogin);
	if (provider === 'openai' && isLegacyOpenAILogin(initial)) throw new TuiError(legacyOpenAIMessage(initial.label));
	if (!deps.force && !needsRefresh(initial, readClock(deps.now)) && !unsaved.has(key)) return initial;
	const waiting = backoff.get(key);
	if (!deps.force && waiting && readClock(deps.now) < waiting.until)
		return stillUsable(provider, initial, readClock(deps.now));
	return withAuthFileLock(
		deps.home,
		provider,
		async (lock) => {
			const file = await readAuthFile(deps.home, provider);
			const current = preferUnsaved(key, oauthAccountIn(file, accountId, provider));
			if (current.needsLogin) throw new TuiError(current.needsLogin);
			const kept = unsaved.get(key);
			if (kept) await saveRotated(provider, kept.account, kept.spent, deps, key);
			const adopted = current.tokens.access !== initial.tokens.access;
			if (adopted && !needsRefresh(current, readClock(deps.now))) return current;
			if (!deps.force && !needsRefresh(current, readClock(deps.now))) return current;
			if (!current.tokens.refresh) return markNeedsLogin(deps, provider, current, 'no refresh token is stored');
			// A holder that stalled past the stale window (SIGSTOP, a frozen laptop) may have been taken over, and the
			// new holder may already have spent this refresh token: never send it then.
			lock.assertStillHeld();
			const outcome = provider === 'openai' ? await refreshOpenAI(current, deps) : await refreshClaude(current, deps);
			return settle(provider, current, outcome, deps, key, lock);
		},
		{timeoutMs: REFRESH_LOCK_WAIT_MS},
	);
}

async function settle(
	provider: ProviderId,
	current: OAuthAccount,
	outcome: RefreshOutcome,
	deps: RefreshDeps,
	key: string,
	lock: LockContext,
): Promise<OAuthAccount> {
	const now = readClock(deps.now);
	if (outcome.kind === 'terminal') {
		backoff.delete(key);
		return markNeedsLogin(deps, provider, current, `the sign-in is no longer valid (${outcome.why}); sign in again`);
	}
	if (outcome.kind === 'transient') {
		const delayMs = Math.min(BACKOFF_MAX_MS, (backoff.get(key)?.delayMs ?? BACKOFF_FIRST_MS / 2) * 2);
		backoff.set(key, {until: now + delayMs, delayMs});
		return stillUsable(provider, current, now, outcome.why);
	}
	backoff.delete(key);
	lock.assertStillHeld();
	await saveRotated(provider, outcome.account, current.tokens.refresh!, deps, key);
	return outcome.account;
}

/** The stored token while it still works; otherwise the transient failure, without touching the tokens. */
function stillUsable(provider: ProviderId, account: OAuthAccount, now: number, why?: string): OAuthAccount {
	if (account.tokens.expiresAt > now) return account;
	throw new TuiError(`${unavailable(provider)}${why ? ` (${safeLine(why, 80)})` : ''}`);
}

/** Saves rotated tokens; on a write failure they stay in memory (the spent token is never sent again) and a warning says why. */
async function saveRotated(
	provider: ProviderId,
	account: OAuthAccount,
	spent: string,
	deps: RefreshDeps,
	key: string,
): Promise<void> {
	const write = deps.writeAuthFile ?? writeAuthFileLocked;
	// What the disk still holds: the token to never send again while the rotated ones are only in memory.
	let onDiskRefresh = spent;
	try {
		const file = await readAuthFile(deps.home, provider);
		const onDisk = findAccount(file, account.id);
		if (onDisk?.kind === 'oauth' && onDisk.tokens.refresh) onDiskRefresh = onDisk.tokens.refresh;
		// Removed meanwhile (logout): nothing to save.
		if (onDisk?.kind === 'oauth')
			await write(deps.home, provider, replaceAccount(file, {...onDisk, ...account, label: onDisk.label}));
		unsaved.delete(key);
	} catch (error) {
		unsaved.set(key, {account, spent: onDiskRefresh});
		const code = (error as NodeJS.ErrnoException | undefined)?.code;
		const why =
			code === 'ENOSPC' ? 'the disk is full (ENOSPC)' : code ? `a disk error (${safeLine(code, 20)})` : 'a disk error';
		const message = `${PROVIDER_NAMES[provider]} account "${account.label}": the refreshed sign-in could not be saved: ${why}. It is kept in memory for now; free some space so it can be saved`;
		(deps.onWarning ?? ((line: string) => process.stderr.write(`tui: warning: ${safeLine(line, 400)}\n`)))(message);
	}
}

async function refreshOpenAI(account: OAuthAccount, deps: RefreshDeps): Promise<RefreshOutcome> {
	const fetchImpl = deps.fetch ?? globalThis.fetch;
	let server;
	try {
		server = await discoverSiwc(deps.env, fetchImpl);
	} catch (error) {
		return {kind: 'transient', why: error instanceof TuiError ? error.message : 'discovery failed'};
	}
	if (account.issuer && account.issuer !== server.issuer)
		return {kind: 'terminal', why: 'the sign-in belongs to another issuer'};
	return refreshSiwc(server, account, {fetch: fetchImpl, now: () => readClock(deps.now)});
}

async function refreshClaude(account: OAuthAccount, deps: RefreshDeps): Promise<RefreshOutcome> {
	const setup = oauthSetup('claude', deps.env);
	let response: Response;
	try {
		response = await oauth.refreshTokenGrantRequest(
			setup.staticServer,
			setup.client,
			setup.clientAuth,
			account.tokens.refresh!,
			requestOptions(setup, deps.fetch ?? globalThis.fetch, undefined, REFRESH_REQUEST_TIMEOUT_MS),
		);
	} catch {
		return {kind: 'transient', why: 'no answer'};
	}
	if (!response.ok) return classifyRefreshFailure(response, setup.terminalErrors);
	try {
		const result = await oauth.processRefreshTokenResponse(setup.staticServer, setup.client, response);
		return {kind: 'ok', account: {...account, tokens: tokensFromResponse(result, readClock(deps.now), account.tokens)}};
	} catch {
		return {kind: 'transient', why: 'an unusable answer'};
	}
}

/** One clear message, kept on the account (so no process retries), and thrown. */
async function markNeedsLogin(
	deps: RefreshDeps,
	provider: ProviderId,
	account: OAuthAccount,
	why: string,
): Promise<never> {
	const message = safeLine(
		`${PROVIDER_NAMES[provider]} account "${account.label}": ${why}: ${loginCommand(provider)}`,
		500,
	);
	const file = await readAuthFile(deps.home, provider);
	const current = findAccount(file, account.id);
	if (current && current.kind === 'oauth')
		await (deps.writeAuthFile ?? writeAuthFileLocked)(
			deps.home,
			provider,
			replaceAccount(file, {...current, needsLogin: message}),
		);
	throw new TuiError(message);
}

function oauthAccountIn(file: AuthFile, id: string, provider: ProviderId): OAuthAccount {
	const account = file.accounts.find((a) => a.id === id);
	if (!account) throw new TuiError(`no ${PROVIDER_NAMES[provider]} account with id ${safeLine(id, 64)}`);
	if (account.kind !== 'oauth')
		throw new TuiError(`${PROVIDER_NAMES[provider]} account "${account.label}" is not an OAuth login`);
	return account;
}

/**
 * The `refresh` hook for resolveCredential (store/resolve-credential.ts): refreshes `account` if needed and returns it as stored.
 * The provider comes from the context, or is found by which auth file holds the account.
 */
export async function refreshOAuthAccount(
	account: OAuthAccount,
	context: {
		readonly provider?: ProviderId;
		readonly home: string;
		readonly env: Env;
		readonly fetch?: FetchLike;
		readonly now?: number | (() => number);
	},
): Promise<OAuthAccount> {
	let provider = context.provider;
	if (!provider) {
		for (const id of PROVIDER_IDS) {
			const file = await readAuthFile(context.home, id);
			if (file.accounts.some((a) => a.id === account.id)) provider = id;
		}
	}
	if (!provider) throw new TuiError(`account "${account.label}" is in no auth file`);
	return refreshIfNeeded(provider, account.id, {
		home: context.home,
		env: context.env,
		fetch: context.fetch,
		now: context.now,
	});
}
