// The OAuth login engine: browser (loopback), device code and paste flows, ending with a stored `oauth` account.
import * as oauth from 'oauth4webapi';
import {TuiError} from '../core/errors.js';
import type {OAuthAccount, ProviderId} from '../core/schemas.js';
import {safeLine} from '../core/text.js';
import type {Env} from '../providers/config-env.js';
import {assertSafeBrowserUrl, openBrowserSafely, shouldPrintInsteadOfOpen} from './browser.js';
import {DEFAULT_LOGIN_TIMEOUT_MS, startLoopbackListener} from './loopback.js';
import {createPkce, stateMatches} from './pkce.js';
import {loadServer, oauthSetup, requestOptions, type FetchLike, type OAuthSetup} from './setup.js';
import {accountInfoFromResponse, publicAccount, storeOAuthLogin, tokensFromResponse} from './tokens.js';

export type LoginMethod = 'browser' | 'device' | 'paste';

export type PublicAccount = ReturnType<typeof publicAccount>;

export type LoginEvent =
	| {readonly type: 'listening'; readonly port: number; readonly redirectUri: string}
	| {readonly type: 'browser-opened'}
	| {readonly type: 'browser-failed'; readonly reason: string}
	| {readonly type: 'waiting'; readonly method: LoginMethod; readonly expiresAt: number}
	| {readonly type: 'callback'}
	| {readonly type: 'exchanging'}
	| {readonly type: 'stored'; readonly account: PublicAccount}
	| {readonly type: 'failed'; readonly message: string};

export type LoginDeps = {
	readonly method: LoginMethod;
	readonly env: Env;
	readonly home: string;
	readonly fetch?: FetchLike;
	/** Opens the authorize URL; resolves false when it could not (the caller shows the URL). The URL is checked first. */
	readonly openBrowser?: (url: string) => Promise<boolean>;
	readonly label?: string;
	readonly timeoutMs?: number;
	readonly signal?: AbortSignal;
	readonly now?: () => number;
	readonly onEvent?: (event: LoginEvent) => void;
	/** Device method: RFC 8628 when discovery lists it (auto), or force one flavour (Codex's own for OpenAI). */
	readonly deviceFlow?: 'auto' | 'rfc8628' | 'codex';
};

export type LoginHandle = {
	/** Browser and paste: the URL the user must open. */
	readonly authUrl?: string;
	/** Device: the code to enter, where, and the phishing warning to show with it. */
	readonly userCode?: string;
	readonly verificationUri?: string;
	readonly verificationUriComplete?: string;
	readonly warning?: string;
	/** Paste: where the provider will send the browser (nothing listens there). */
	readonly redirectUri?: string;
	readonly expiresAt: number;
	/** Resolves with the stored account (it holds tokens: print `publicAccount(account)` only). */
	readonly done: Promise<OAuthAccount>;
	cancel(): void;
	/** Paste: `code#state`, a full callback URL, or its query string. Rejects (flow continues) on a wrong state. */
	submitPaste?(input: string): Promise<void>;
};

type Ctx = {
	readonly provider: ProviderId;
	readonly setup: OAuthSetup;
	readonly deps: LoginDeps;
	readonly fetch: FetchLike;
	readonly now: () => number;
	readonly signal: AbortSignal;
	readonly emit: (event: LoginEvent) => void;
};

export async function startLogin(provider: ProviderId, deps: LoginDeps): Promise<LoginHandle> {
	const setup = oauthSetup(provider, deps.env);
	const controller = new AbortController();
	const onOuterAbort = (): void => controller.abort();
	if (deps.signal?.aborted) throw new TuiError('login cancelled');
	deps.signal?.addEventListener('abort', onOuterAbort, {once: true});
	const ctx: Ctx = {
		provider,
		setup,
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
		if (deps.method === 'browser') handle = await browserFlow(ctx);
		else if (deps.method === 'paste') handle = await pasteFlow(ctx);
		else if (deps.method === 'device') handle = await deviceFlow(ctx);
		else throw new TuiError(`unknown login method "${String(deps.method)}"`, 2);
	} catch (error) {
		deps.signal?.removeEventListener('abort', onOuterAbort);
		throw toTuiError(error);
	}
	const done = handle.done.then(
		(account) => {
			deps.signal?.removeEventListener('abort', onOuterAbort);
			ctx.emit({type: 'stored', account: publicAccount(account)});
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

async function browserFlow(ctx: Ctx): Promise<Omit<LoginHandle, 'cancel'>> {
	const {setup} = ctx;
	const pkce = createPkce({verifierBytes: setup.verifierBytes, stateBytes: setup.stateBytes});
	const timeoutMs = ctx.deps.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
	let as: oauth.AuthorizationServer | undefined;
	let validated: URLSearchParams | undefined;
	// The listener is up (or the busy port reported) before anything else happens, and before any browser opens.
	const listener = await startLoopbackListener({
		ports: setup.redirect.ports,
		path: setup.redirect.path,
		redirectHost: setup.redirect.host,
		expectedState: pkce.state,
		timeoutMs,
		signal: ctx.signal,
		validate: (params) => {
			if (!as) throw new TuiError('the callback arrived before the login was ready');
			validated = validateCallback(ctx, as, params, pkce.state);
		},
	});
	const expiresAt = ctx.now() + timeoutMs;
	try {
		ctx.emit({type: 'listening', port: listener.port, redirectUri: listener.redirectUri});
		as = await loadServer(setup, ctx.fetch, ctx.signal);
		const authUrl = authorizeUrl(setup, as, listener.redirectUri, pkce.challenge, pkce.state);
		const guard = {allowedHosts: setup.browserHosts, allowLoopbackHttp: setup.allowInsecure};
		assertSafeBrowserUrl(authUrl, guard);
		const opener = ctx.deps.openBrowser ?? defaultBrowserOpener(ctx.deps.env, guard);
		let reason = 'the browser was not opened; open the URL yourself';
		let opened = false;
		try {
			opened = await opener(authUrl);
		} catch (error) {
			reason = error instanceof TuiError ? error.message : 'the browser could not be started; open the URL yourself';
		}
		ctx.emit(opened ? {type: 'browser-opened'} : {type: 'browser-failed', reason});
		ctx.emit({type: 'waiting', method: 'browser', expiresAt});
		const serverMeta = as;
		const done = (async () => {
			const callback = await listener.callback;
			ctx.emit({type: 'callback'});
			try {
				if (!validated) throw new TuiError('the callback was not validated');
				const account = await exchangeAndStore(ctx, serverMeta, validated, listener.redirectUri, pkce.verifier, pkce.state);
				await callback.respond({ok: true});
				return account;
			} catch (error) {
				await callback.respond({ok: false, message: toTuiError(error).message});
				throw error;
			} finally {
				await listener.close();
			}
		})();
		return {authUrl, expiresAt, done};
	} catch (error) {
		await listener.close();
		throw error;
	}
}

function defaultBrowserOpener(env: Env, guard: {allowedHosts: readonly string[]; allowLoopbackHttp: boolean}): (url: string) => Promise<boolean> {
	return async (url) => (shouldPrintInsteadOfOpen(env, process.platform) ? false : openBrowserSafely(url, guard));
}

function authorizeUrl(setup: OAuthSetup, as: oauth.AuthorizationServer, redirectUri: string, challenge: string, state: string): string {
	if (!as.authorization_endpoint) throw new TuiError('the provider publishes no authorization endpoint');
	const url = new URL(as.authorization_endpoint);
	for (const [key, value] of Object.entries(setup.authorizeParams)) url.searchParams.set(key, value);
	url.searchParams.set('response_type', 'code');
	url.searchParams.set('client_id', setup.client.client_id);
	url.searchParams.set('redirect_uri', redirectUri);
	url.searchParams.set('scope', setup.scope);
	url.searchParams.set('code_challenge', challenge);
	url.searchParams.set('code_challenge_method', 'S256');
	url.searchParams.set('state', state);
	return url.href;
}

/** oauth4webapi's response checks (iss, error=…); state was already compared in constant time. */
function validateCallback(ctx: Ctx, as: oauth.AuthorizationServer, params: URLSearchParams, state: string): URLSearchParams {
	try {
		return oauth.validateAuthResponse(as, ctx.setup.client, params, state);
	} catch (error) {
		if (error instanceof oauth.AuthorizationResponseError) throw new TuiError(authorizationErrorMessage(error.error, error.error_description));
		if (error instanceof oauth.OperationProcessingError && /iss/.test(error.message)) throw new TuiError('the authorization response names an unexpected issuer; login refused');
		throw new TuiError(`the authorization response was not valid (${safeLine(error instanceof Error ? error.message : String(error), 120)})`);
	}
}

function authorizationErrorMessage(code: string, description?: string): string {
	const detail = description ? `: ${safeLine(description, 200)}` : '';
	if (code === 'access_denied') return `the login was denied in the browser (access_denied${detail})`;
	return `the provider refused the login (${safeLine(code, 60)}${detail})`;
}

async function exchangeAndStore(
	ctx: Ctx,
	as: oauth.AuthorizationServer,
	params: URLSearchParams,
	redirectUri: string,
	verifier: string,
	state: string | undefined,
): Promise<OAuthAccount> {
	ctx.emit({type: 'exchanging'});
	const options = {
		...requestOptions(ctx.setup, ctx.fetch, ctx.signal),
		...(ctx.setup.exchangeIncludesState && state ? {additionalParameters: {state}} : {}),
	};
	let result: oauth.TokenEndpointResponse;
	try {
		const response = await oauth.authorizationCodeGrantRequest(as, ctx.setup.client, ctx.setup.clientAuth, params, redirectUri, verifier, options);
		result = await oauth.processAuthorizationCodeResponse(as, ctx.setup.client, response);
	} catch (error) {
		throw tokenError('the code exchange failed', error, ctx.signal);
	}
	const now = ctx.now();
	const tokens = tokensFromResponse(result, now);
	const info = accountInfoFromResponse(ctx.provider, result);
	return storeOAuthLogin(ctx.deps.home, ctx.provider, tokens, info, {label: ctx.deps.label, now});
}

/** One line, no secrets: the OAuth error code and description, or what kind of failure it was. */
export function tokenError(prefix: string, error: unknown, signal?: AbortSignal): TuiError {
	if (error instanceof TuiError) return error;
	if (signal?.aborted) return new TuiError('login cancelled');
	if (error instanceof oauth.ResponseBodyError) {
		const detail = error.error_description ? `: ${safeLine(error.error_description, 200)}` : '';
		return new TuiError(`${prefix} (${safeLine(error.error, 60)}${detail})`);
	}
	if (error instanceof oauth.OperationProcessingError) return new TuiError(`${prefix} (${safeLine(error.message, 160)})`);
	if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return new TuiError(`${prefix} (the provider did not answer in time)`);
	if (error instanceof TypeError) return new TuiError(`${prefix} (could not reach the provider; offline?)`);
	return new TuiError(prefix);
}

function toTuiError(error: unknown): TuiError {
	if (error instanceof TuiError) return error;
	return tokenError('login failed', error);
}

// ---------------------------------------------------------------- paste

async function pasteFlow(ctx: Ctx): Promise<Omit<LoginHandle, 'cancel'>> {
	const {setup} = ctx;
	const pkce = createPkce({verifierBytes: setup.verifierBytes, stateBytes: setup.stateBytes});
	const timeoutMs = ctx.deps.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
	const as = await loadServer(setup, ctx.fetch, ctx.signal);
	const redirectUri = setup.pasteRedirectUri;
	const authUrl = authorizeUrl(setup, as, redirectUri, pkce.challenge, pkce.state);
	assertSafeBrowserUrl(authUrl, {allowedHosts: setup.browserHosts, allowLoopbackHttp: setup.allowInsecure});
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
		const params = parsePastedCallback(input, as.issuer);
		if (!stateMatches(pkce.state, params.get('state'))) {
			throw new TuiError('that does not belong to this login (state missing or different); paste the whole URL from the address bar');
		}
		let validated: URLSearchParams;
		try {
			validated = validateCallback(ctx, as, params, pkce.state);
		} catch (error) {
			finish(error);
			throw error;
		}
		if (!validated.get('code')) throw new TuiError('no authorization code in what was pasted');
		exchanging = true;
		ctx.emit({type: 'callback'});
		try {
			const account = await exchangeAndStore(ctx, as, validated, redirectUri, pkce.verifier, pkce.state);
			finish(undefined, account);
		} catch (error) {
			finish(error);
			throw toTuiError(error);
		}
	};
	ctx.emit({type: 'waiting', method: 'paste', expiresAt});
	return {authUrl, redirectUri, expiresAt, done, submitPaste};
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
			if (!params.has('code') && !params.has('error') && url.hash.length > 1) return new URLSearchParams(url.hash.slice(1));
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

// ---------------------------------------------------------------- device

async function deviceFlow(ctx: Ctx): Promise<Omit<LoginHandle, 'cancel'>> {
	const as = await loadServer(ctx.setup, ctx.fetch, ctx.signal);
	const flavour = ctx.deps.deviceFlow ?? 'auto';
	if (as.device_authorization_endpoint && flavour !== 'codex') return rfc8628Flow(ctx, as);
	if (ctx.setup.openai && flavour !== 'rfc8628') return codexDeviceFlow(ctx, as);
	throw new TuiError(`device login is not available for ${ctx.provider}; use --method browser or --method paste`, 2);
}

async function rfc8628Flow(ctx: Ctx, as: oauth.AuthorizationServer): Promise<Omit<LoginHandle, 'cancel'>> {
	const {setup} = ctx;
	let device: oauth.DeviceAuthorizationResponse;
	try {
		const response = await oauth.deviceAuthorizationRequest(as, setup.client, setup.clientAuth, {scope: setup.scope}, requestOptions(setup, ctx.fetch, ctx.signal));
		device = await oauth.processDeviceAuthorizationResponse(as, setup.client, response);
	} catch (error) {
		throw tokenError('device login could not start', error, ctx.signal);
	}
	const lifetimeMs = Math.min(device.expires_in * 1000, ctx.deps.timeoutMs ?? Number.POSITIVE_INFINITY);
	const expiresAt = ctx.now() + lifetimeMs;
	const done = (async () => {
		let intervalMs = Math.max(1, device.interval ?? 5) * 1000;
		const deadline = Date.now() + lifetimeMs;
		for (;;) {
			await sleep(intervalMs, ctx.signal);
			if (Date.now() > deadline) throw new TuiError('the device code expired before it was entered; run the login again');
			let result: oauth.TokenEndpointResponse;
			try {
				const response = await oauth.deviceCodeGrantRequest(as, setup.client, setup.clientAuth, device.device_code, requestOptions(setup, ctx.fetch, ctx.signal));
				result = await oauth.processDeviceCodeResponse(as, setup.client, response);
			} catch (error) {
				if (error instanceof oauth.ResponseBodyError && error.error === 'authorization_pending') continue;
				if (error instanceof oauth.ResponseBodyError && error.error === 'slow_down') {
					intervalMs += 5000;
					continue;
				}
				if (error instanceof oauth.ResponseBodyError && error.error === 'access_denied') throw new TuiError(authorizationErrorMessage('access_denied', error.error_description));
				if (error instanceof oauth.ResponseBodyError && error.error === 'expired_token') throw new TuiError('the device code expired before it was entered; run the login again');
				throw tokenError('device login failed', error, ctx.signal);
			}
			ctx.emit({type: 'exchanging'});
			const now = ctx.now();
			return storeOAuthLogin(ctx.deps.home, ctx.provider, tokensFromResponse(result, now), accountInfoFromResponse(ctx.provider, result), {label: ctx.deps.label, now});
		}
	})();
	ctx.emit({type: 'waiting', method: 'device', expiresAt});
	return {
		userCode: device.user_code,
		verificationUri: device.verification_uri,
		...(device.verification_uri_complete ? {verificationUriComplete: device.verification_uri_complete} : {}),
		warning: setup.deviceWarning,
		expiresAt,
		done,
	};
}

/** Codex's own device flow (PROVIDERS.md): JSON user-code request, polling, then a normal code exchange. */
async function codexDeviceFlow(ctx: Ctx, as: oauth.AuthorizationServer): Promise<Omit<LoginHandle, 'cancel'>> {
	const config = ctx.setup.openai!;
	const {OPENAI_DEVICE} = await import('../providers/openai.js');
	const post = (url: string, body: unknown): Promise<Response> =>
		ctx.fetch(url, {method: 'POST', headers: {'content-type': 'application/json', accept: 'application/json'}, body: JSON.stringify(body), signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(30_000)])});
	let start: {device_auth_id?: unknown; user_code?: unknown; usercode?: unknown; interval?: unknown};
	try {
		const response = await post(config.deviceUserCodeUrl, {client_id: config.clientId});
		if (response.status === OPENAI_DEVICE.notEnabledStatus) {
			throw new TuiError('device login is not enabled for this account (ChatGPT settings → Security); use --method browser or --method paste');
		}
		if (!response.ok) throw new TuiError(`device login could not start (HTTP ${response.status})`);
		start = (await response.json()) as typeof start;
	} catch (error) {
		throw tokenError('device login could not start', error, ctx.signal);
	}
	const deviceAuthId = typeof start.device_auth_id === 'string' ? start.device_auth_id : undefined;
	const userCode = typeof start.user_code === 'string' ? start.user_code : typeof start.usercode === 'string' ? start.usercode : undefined;
	if (!deviceAuthId || !userCode) throw new TuiError('device login could not start (unexpected response)');
	const intervalMs = Math.max(1, Number(start.interval) || 5) * 1000;
	const lifetimeMs = Math.min(OPENAI_DEVICE.timeoutMs, ctx.deps.timeoutMs ?? Number.POSITIVE_INFINITY);
	const expiresAt = ctx.now() + lifetimeMs;
	const done = (async () => {
		const deadline = Date.now() + lifetimeMs;
		for (;;) {
			await sleep(intervalMs, ctx.signal);
			if (Date.now() > deadline) throw new TuiError('the device code expired before it was entered; run the login again');
			let response: Response;
			try {
				response = await post(config.deviceTokenUrl, {device_auth_id: deviceAuthId, user_code: userCode});
			} catch (error) {
				throw tokenError('device login failed', error, ctx.signal);
			}
			if (OPENAI_DEVICE.pendingStatuses.includes(response.status)) {
				await response.body?.cancel();
				continue;
			}
			if (!response.ok) throw new TuiError(`device login failed (HTTP ${response.status})`);
			const body = (await response.json()) as {authorization_code?: unknown; code_verifier?: unknown};
			if (typeof body.authorization_code !== 'string' || typeof body.code_verifier !== 'string') throw new TuiError('device login failed (unexpected response)');
			const params = new URLSearchParams({code: body.authorization_code});
			if (as.authorization_response_iss_parameter_supported) params.set('iss', as.issuer);
			const branded = oauth.validateAuthResponse(as, ctx.setup.client, params, oauth.expectNoState);
			return exchangeAndStore(ctx, as, branded, config.deviceRedirectUri, body.code_verifier, undefined);
		}
	})();
	ctx.emit({type: 'waiting', method: 'device', expiresAt});
	return {userCode, verificationUri: config.deviceVerificationUrl, warning: OPENAI_DEVICE.warning, expiresAt, done};
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal.aborted) return reject(new TuiError('login cancelled'));
		const timer = setTimeout(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = (): void => {
			clearTimeout(timer);
			reject(new TuiError('login cancelled'));
		};
		signal.addEventListener('abort', onAbort, {once: true});
	});
}

export {publicAccount} from './tokens.js';
