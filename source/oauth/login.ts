// The OAuth login engine: browser (loopback) and paste flows, ending with a stored `oauth` account.
// The flows are shared; what is sent and checked is a LoginProtocol: ChatGPT's sign-in for open-source apps
// (siwc-login.ts) or a host-registered Claude client (below, through oauth4webapi).
import * as oauth from 'oauth4webapi';
import {TuiError} from '../core/errors.js';
import type {OAuthAccount, ProviderId} from '../core/schemas.js';
import {safeLine} from '../core/text.js';
import type {Env} from '../providers/config-env.js';
import {assertSafeBrowserUrl, openBrowserSafely, shouldPrintInsteadOfOpen} from './browser.js';
import {DEFAULT_LOGIN_TIMEOUT_MS, startLoopbackListener} from './loopback.js';
import {createPkce, stateMatches} from './pkce.js';
import {loadServer, oauthSetup, requestOptions, type FetchLike} from './setup.js';
import {accountInfoFromResponse, storeOAuthLogin, tokensFromResponse, withoutSecrets} from './tokens.js';

import type {LoginEvent, LoginHandle, LoginMethod} from './login-types.js';

export type {LoginEvent, LoginHandle, LoginMethod, PublicAccount} from './login-types.js';

export type LoginDeps = {
	readonly method: LoginMethod;
	readonly env: Env;
	readonly home: string;
	readonly fetch?: FetchLike;
	/** Opens the authorize URL; resolves false when it could not (the caller shows the URL). The URL is checked first. */
	readonly openBrowser?: (url: string) => Promise<boolean>;
	/** A new account's label; naming a stored OpenAI sign-in signs that one in again. */
	readonly label?: string;
	/** OpenAI: the stored account (id or label) to sign in again. */
	readonly account?: string;
	/** OpenAI: agent_name_hint, the host app's real name (default "tui"). */
	readonly agentName?: string;
	readonly timeoutMs?: number;
	readonly signal?: AbortSignal;
	readonly now?: () => number;
	readonly onEvent?: (event: LoginEvent) => void;
};

/** What one provider sends and checks; the flows below do the listening, the browser, the paste and the timing. */
export type LoginProtocol = {
	readonly state: string;
	readonly ports: readonly number[];
	readonly redirectHost: string;
	readonly redirectPath: string;
	readonly guard: {readonly allowedHosts: readonly string[]; readonly allowLoopbackHttp: boolean};
	/** Paste: the redirect URI nothing listens on. */
	pasteRedirectUri(): Promise<string>;
	/** Paste: the attempt window. */
	readonly pasteTimeoutMs?: number;
	authorizeUrl(redirectUri: string): string;
	/** The URL as it may be shown or printed. */
	displayUrl(url: string): string;
	remoteHint?(port: number): string;
	/** Protocol checks after the state matched; throws a TuiError that ends the attempt. */
	validate(params: URLSearchParams): void;
	parsePaste(input: string, redirectUri: string): URLSearchParams;
	/** The exchange and the stored account. */
	finish(params: URLSearchParams, redirectUri: string): Promise<OAuthAccount>;
};

export type LoginContext = {
	readonly provider: ProviderId;
	readonly deps: LoginDeps;
	readonly fetch: FetchLike;
	readonly now: () => number;
	readonly signal: AbortSignal;
	readonly emit: (event: LoginEvent) => void;
};

export async function startLogin(provider: ProviderId, deps: LoginDeps): Promise<LoginHandle> {
	const controller = new AbortController();
	const onOuterAbort = (): void => controller.abort();
	if (deps.signal?.aborted) throw new TuiError('login cancelled');
	deps.signal?.addEventListener('abort', onOuterAbort, {once: true});
	const ctx: LoginContext = {
		provider,
		deps,
		fetch: deps.fetch ?? globalThis.fetch,
		now: deps.now ?? Date.now,
		signal: controller.signal,
		emit: (event) => {
			try {
				deps.onEvent?.(event);
			} catch {
				// A broken progress display must not break the login.
			}
		},
	};
	const cancel = (): void => controller.abort();
	let handle: Omit<LoginHandle, 'cancel'>;
	try {
		if (deps.method !== 'browser' && deps.method !== 'paste')
			throw new TuiError(`unknown login method "${String(deps.method)}": use browser or paste`, 2);
		const protocol =
			provider === 'openai' ? await (await import('./siwc-login.js')).siwcProtocol(ctx) : await claudeProtocol(ctx);
		handle = deps.method === 'browser' ? await browserFlow(ctx, protocol) : await pasteFlow(ctx, protocol);
	} catch (error) {
		deps.signal?.removeEventListener('abort', onOuterAbort);
		throw toTuiError(error);
	}
	const done = handle.done.then(
		(account) => {
			deps.signal?.removeEventListener('abort', onOuterAbort);
			ctx.emit({type: 'stored', account: withoutSecrets(account)});
			return account;
		},
		(error: unknown) => {
			deps.signal?.removeEventListener('abort', onOuterAbort);
			const tuiError = toTuiError(error);
			ctx.emit({type: 'failed', message: tuiError.message});
			throw tuiError;
		},
	);
	done.catch(() => {});
	return {...handle, done, cancel};
}

// ---------------------------------------------------------------- browser

async function browserFlow(ctx: LoginContext, protocol: LoginProtocol): Promise<Omit<LoginHandle, 'cancel'>> {
	const timeoutMs = ctx.deps.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
	// The listener is up (or the busy port reported) before any browser opens.
	const listener = await startLoopbackListener({
		ports: protocol.ports,
		path: protocol.redirectPath,
		redirectHost: protocol.redirectHost,
		expectedState: protocol.state,
		timeoutMs,
		signal: ctx.signal,
		validate: (params) => protocol.validate(params),
	});
	const expiresAt = ctx.now() + timeoutMs;
	try {
		ctx.emit({type: 'listening', port: listener.port, redirectUri: listener.redirectUri});
		const url = protocol.authorizeUrl(listener.redirectUri);
		assertSafeBrowserUrl(url, protocol.guard);
		const opener = ctx.deps.openBrowser ?? defaultBrowserOpener(ctx.deps.env, protocol.guard);
		let reason = 'the browser was not opened; open the URL yourself';
		let opened = false;
		try {
			opened = await opener(url);
		} catch (error) {
			reason = error instanceof TuiError ? error.message : 'the browser could not be started; open the URL yourself';
		}
		ctx.emit(opened ? {type: 'browser-opened'} : {type: 'browser-failed', reason});
		ctx.emit({type: 'waiting', method: 'browser', expiresAt});
		const done = (async () => {
			const callback = await listener.callback;
			ctx.emit({type: 'callback'});
			try {
				const account = await protocol.finish(callback.params, listener.redirectUri);
				await callback.respond({ok: true});
				return account;
			} catch (error) {
				await callback.respond({ok: false, message: toTuiError(error).message});
				throw error;
			} finally {
				await listener.close();
			}
		})();
		return {
			authUrl: protocol.displayUrl(url),
			expiresAt,
			done,
			...(protocol.remoteHint ? {remoteHint: protocol.remoteHint(listener.port)} : {}),
		};
	} catch (error) {
		await listener.close();
		throw error;
	}
}

function defaultBrowserOpener(env: Env, guard: LoginProtocol['guard']): (url: string) => Promise<boolean> {
	return async (url) => (shouldPrintInsteadOfOpen(env, process.platform) ? false : openBrowserSafely(url, guard));
}

// ---------------------------------------------------------------- paste

async function pasteFlow(ctx: LoginContext, protocol: LoginProtocol): Promise<Omit<LoginHandle, 'cancel'>> {
	const timeoutMs = Math.min(
		ctx.deps.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS,
		protocol.pasteTimeoutMs ?? Number.POSITIVE_INFINITY,
	);
	const redirectUri = await protocol.pasteRedirectUri();
	const url = protocol.authorizeUrl(redirectUri);
	assertSafeBrowserUrl(url, protocol.guard);
	const expiresAt = ctx.now() + timeoutMs;

	let settled = false;
	let resolveDone!: (account: OAuthAccount) => void;
	let rejectDone!: (error: unknown) => void;
	const done = new Promise<OAuthAccount>((resolve, reject) => {
		resolveDone = resolve;
		rejectDone = reject;
	});
	const finish = (error: unknown, account?: OAuthAccount): void => {
		if (settled) return;
		settled = true;
		clearTimeout(timer);
		ctx.signal.removeEventListener('abort', onAbort);
		if (account) resolveDone(account);
		else rejectDone(error);
	};
	const timer = setTimeout(() => finish(new TuiError('login timed out; run the login again')), timeoutMs);
	timer.unref?.();
	const onAbort = (): void => finish(new TuiError('login cancelled'));
	ctx.signal.addEventListener('abort', onAbort, {once: true});

	let exchanging = false;
	const submitPaste = async (input: string): Promise<void> => {
		if (settled) throw new TuiError('this login has already ended');
		if (exchanging) throw new TuiError('a code was already submitted for this login');
		const params = protocol.parsePaste(input, redirectUri);
		if (!stateMatches(protocol.state, params.get('state'))) {
			throw new TuiError(
				'that does not belong to this login (state missing or different); paste the whole URL from the address bar',
			);
		}
		try {
			protocol.validate(params);
		} catch (error) {
			finish(error);
			throw error;
		}
		if (!params.get('code')) throw new TuiError('no authorization code in what was pasted');
		exchanging = true;
		ctx.emit({type: 'callback'});
		try {
			finish(undefined, await protocol.finish(params, redirectUri));
		} catch (error) {
			finish(error);
			throw toTuiError(error);
		}
	};
	ctx.emit({type: 'waiting', method: 'paste', expiresAt});
	return {authUrl: protocol.displayUrl(url), redirectUri, expiresAt, done, submitPaste};
}

// ---------------------------------------------------------------- Claude (host-registered client)

async function claudeProtocol(ctx: LoginContext): Promise<LoginProtocol> {
	const setup = oauthSetup(ctx.provider, ctx.deps.env);
	const pkce = createPkce({verifierBytes: setup.verifierBytes, stateBytes: setup.stateBytes});
	const as = await loadServer(setup, ctx.fetch, ctx.signal);
	let validated: URLSearchParams | undefined;
	return {
		state: pkce.state,
		ports: setup.redirect.ports,
		redirectHost: setup.redirect.host,
		redirectPath: setup.redirect.path,
		guard: {allowedHosts: setup.browserHosts, allowLoopbackHttp: setup.allowInsecure},
		pasteRedirectUri: async () => setup.pasteRedirectUri,
		authorizeUrl(redirectUri) {
			if (!as.authorization_endpoint) throw new TuiError('the provider publishes no authorization endpoint');
			const url = new URL(as.authorization_endpoint);
			for (const [key, value] of Object.entries(setup.authorizeParams)) url.searchParams.set(key, value);
			url.searchParams.set('response_type', 'code');
			url.searchParams.set('client_id', setup.client.client_id);
			url.searchParams.set('redirect_uri', redirectUri);
			url.searchParams.set('scope', setup.scope);
			url.searchParams.set('code_challenge', pkce.challenge);
			url.searchParams.set('code_challenge_method', 'S256');
			url.searchParams.set('state', pkce.state);
			return url.href;
		},
		displayUrl: (url) => url,
		validate(params) {
			validated = validateCallback(as, setup.client, params, pkce.state);
		},
		parsePaste: (input) => parsePastedCallback(input, as.issuer),
		async finish(_params, redirectUri) {
			if (!validated) throw new TuiError('the callback was not validated');
			ctx.emit({type: 'exchanging'});
			const options = {
				...requestOptions(setup, ctx.fetch, ctx.signal),
				...(setup.exchangeIncludesState ? {additionalParameters: {state: pkce.state}} : {}),
			};
			let result: oauth.TokenEndpointResponse;
			try {
				const response = await oauth.authorizationCodeGrantRequest(
					as,
					setup.client,
					setup.clientAuth,
					validated,
					redirectUri,
					pkce.verifier,
					options,
				);
				result = await oauth.processAuthorizationCodeResponse(as, setup.client, response);
			} catch (error) {
				throw tokenError('the code exchange failed', error, ctx.signal);
			}
			const now = ctx.now();
			return storeOAuthLogin(
				ctx.deps.home,
				ctx.provider,
				tokensFromResponse(result, now),
				accountInfoFromResponse(ctx.provider, result),
				{label: ctx.deps.label, now},
			);
		},
	};
}

/** oauth4webapi's response checks (iss, error=…); state was already compared in constant time. */
function validateCallback(
	as: oauth.AuthorizationServer,
	client: oauth.Client,
	params: URLSearchParams,
	state: string,
): URLSearchParams {
	try {
		return oauth.validateAuthResponse(as, client, params, state);
	} catch (error) {
		if (error instanceof oauth.AuthorizationResponseError)
			throw new TuiError(authorizationErrorMessage(error.error, error.error_description));
		if (error instanceof oauth.OperationProcessingError && /iss/.test(error.message))
			throw new TuiError('the authorization response names an unexpected issuer; login refused');
		throw new TuiError(
			`the authorization response was not valid (${safeLine(error instanceof Error ? error.message : String(error), 120)})`,
		);
	}
}

function authorizationErrorMessage(code: string, description?: string): string {
	const detail = description ? `: ${safeLine(description, 200)}` : '';
	if (code === 'access_denied') return `the login was denied in the browser (access_denied${detail})`;
	return `the provider refused the login (${safeLine(code, 60)}${detail})`;
}

/** One line, no secrets: the OAuth error code and description, or what kind of failure it was. */
export function tokenError(prefix: string, error: unknown, signal?: AbortSignal): TuiError {
	if (error instanceof TuiError) return error;
	if (signal?.aborted) return new TuiError('login cancelled');
	if (error instanceof oauth.ResponseBodyError) {
		const detail = error.error_description ? `: ${safeLine(error.error_description, 200)}` : '';
		return new TuiError(`${prefix} (${safeLine(error.error, 60)}${detail})`);
	}
	if (error instanceof oauth.OperationProcessingError)
		return new TuiError(`${prefix} (${safeLine(error.message, 160)})`);
	if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
		return new TuiError(`${prefix} (the provider did not answer in time)`);
	if (error instanceof TypeError) return new TuiError(`${prefix} (could not reach the provider; offline?)`);
	return new TuiError(prefix);
}

export function toTuiError(error: unknown): TuiError {
	if (error instanceof TuiError) return error;
	return tokenError('login failed', error);
}

/** `code#state` (Claude's page), a full callback URL, or its query string (with or without "?"). */
export function parsePastedCallback(input: string, issuer?: string): URLSearchParams {
	const text = input.trim();
	if (!text) throw new TuiError('nothing was pasted');
	if (/^https?:\/\//i.test(text)) {
		try {
			const url = new URL(text);
			const params = new URLSearchParams(url.search);
			// Some pages put the response in the fragment.
			if (!params.has('code') && !params.has('error') && url.hash.length > 1)
				return new URLSearchParams(url.hash.slice(1));
			return params;
		} catch {
			throw new TuiError('what was pasted is not a valid URL');
		}
	}
	const query = text.includes('?') ? text.slice(text.indexOf('?') + 1) : text;
	if (query.includes('=')) return new URLSearchParams(query.replace(/^[?#]/, ''));
	const hash = text.indexOf('#');
	if (hash > 0) {
		const params = new URLSearchParams({code: text.slice(0, hash), state: text.slice(hash + 1)});
		// The code#state form carries no iss by design; the state check is what binds it to this login.
		if (issuer) params.set('iss', issuer);
		return params;
	}
	return new URLSearchParams({code: text});
}
