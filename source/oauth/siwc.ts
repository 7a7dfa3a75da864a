// Sign in with ChatGPT for open-source apps, the wire side: discovery, the authorize request (first registration
// or re-authorization of a saved account), the callback checks, the form-encoded code exchange and refresh
// (revocation: revoke.ts). Every request after the callback uses the issued client id; dynamic_agent_client never
// leaves the authorize URL.
import {randomBytes} from 'node:crypto';
import {TuiError} from '../core/errors.js';
import {LABEL_PATTERN, type OAuthAccount, type OAuthTokens} from '../core/schemas.js';
import {safeLine} from '../core/text.js';
import {isLoopbackUrl, type Env} from '../providers/config-env.js';
import {OPENAI_PATHS, OPENAI_REFRESH, OPENAI_SCOPES, OPENAI_SIWC, openaiConfig} from '../providers/openai.js';
import {verifyIdToken, type IdTokenClaims} from './id-token.js';
import {stateMatches} from './pkce.js';

export type FetchLike = typeof fetch;

export type SiwcServer = {
	readonly issuer: string;
	readonly authorizationEndpoint: string;
	readonly tokenEndpoint: string;
	readonly jwksUri: string;
	readonly revocationEndpoint?: string;
	/** Plain http only for a loopback issuer (the sandbox). */
	readonly allowInsecure: boolean;
};

const REQUEST_TIMEOUT_MS = 20_000;

function signalFor(signal: AbortSignal | undefined, ms = REQUEST_TIMEOUT_MS): AbortSignal {
	const timeout = AbortSignal.timeout(ms);
	return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

function endpoint(value: unknown, name: string, allowInsecure: boolean): string {
	if (typeof value !== 'string') throw new TuiError(`the OpenAI issuer's discovery document has no ${name}`);
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new TuiError(`the OpenAI issuer's discovery document has an invalid ${name}`);
	}
	if (url.protocol !== 'https:' && !(allowInsecure && url.protocol === 'http:' && isLoopbackUrl(value)))
		throw new TuiError(`the OpenAI issuer's ${name} is not https`);
	return url.href;
}

/**
 * The documented issuer keeps its documented endpoints and takes only jwks_uri and revocation_endpoint from
 * discovery; an overriding issuer (TUI_OPENAI_ISSUER) takes them all from its discovery. The document's issuer
 * must equal the configured one exactly.
 */
export async function discoverSiwc(env: Env, fetchImpl: FetchLike, signal?: AbortSignal): Promise<SiwcServer> {
	const config = openaiConfig(env);
	const allowInsecure = !config.production && isLoopbackUrl(config.issuer);
	let document: Record<string, unknown> | undefined;
	try {
		const response = await fetchImpl(config.issuer + OPENAI_PATHS.discovery, {
			headers: {accept: 'application/json'},
			signal: signalFor(signal),
		});
		if (response.ok) document = (await response.json()) as Record<string, unknown>;
		else await response.body?.cancel();
	} catch {
		if (signal?.aborted) throw new TuiError('login cancelled');
	}
	if (document !== undefined && document.issuer !== config.issuer)
		throw new TuiError('the OpenAI discovery document names another issuer; sign-in refused');
	if (config.production) {
		return {
			issuer: config.issuer,
			authorizationEndpoint: config.issuer + OPENAI_PATHS.authorize,
			tokenEndpoint: config.issuer + OPENAI_PATHS.token,
			jwksUri: document?.jwks_uri ? endpoint(document.jwks_uri, 'jwks_uri', false) : config.issuer + OPENAI_PATHS.jwks,
			...(document?.revocation_endpoint
				? {revocationEndpoint: endpoint(document.revocation_endpoint, 'revocation_endpoint', false)}
				: {}),
			allowInsecure: false,
		};
	}
	if (!document)
		throw new TuiError(`could not read the discovery document of ${safeLine(config.issuer, 200)} (offline?)`);
	return {
		issuer: config.issuer,
		authorizationEndpoint: endpoint(document.authorization_endpoint, 'authorization_endpoint', allowInsecure),
		tokenEndpoint: endpoint(document.token_endpoint, 'token_endpoint', allowInsecure),
		jwksUri: endpoint(document.jwks_uri, 'jwks_uri', allowInsecure),
		...(document.revocation_endpoint
			? {revocationEndpoint: endpoint(document.revocation_endpoint, 'revocation_endpoint', allowInsecure)}
			: {}),
		allowInsecure,
	};
}

const random = () => randomBytes(32).toString('base64url');

/** What one sign-in attempt sends: a first registration, or a re-authorization with an issued client. */
export type SiwcAttempt = {
	/** Undefined for a first registration (client_id=dynamic_agent_client). */
	readonly clientId?: string;
	readonly hostId: string;
	readonly agentName: string;
	readonly idTokenHint?: string;
	readonly loginHint?: string;
	readonly state: string;
	readonly nonce: string;
	readonly verifier: string;
	readonly challenge: string;
};

export function newAttempt(
	input: Pick<SiwcAttempt, 'clientId' | 'hostId' | 'agentName' | 'idTokenHint' | 'loginHint'>,
	pkce: {verifier: string; challenge: string; state: string},
): SiwcAttempt {
	return {...input, state: pkce.state, nonce: random(), verifier: pkce.verifier, challenge: pkce.challenge};
}

export function siwcAuthorizeUrl(server: SiwcServer, attempt: SiwcAttempt, redirectUri: string): string {
	const url = new URL(server.authorizationEndpoint);
	const params: Array<[string, string]> = [
		['response_type', 'code'],
		['client_id', attempt.clientId ?? OPENAI_SIWC.registrationClientId],
		['redirect_uri', redirectUri],
		['scope', OPENAI_SCOPES.join(' ')],
		['resource', OPENAI_SIWC.resource],
		['code_challenge', attempt.challenge],
		['code_challenge_method', 'S256'],
		['state', attempt.state],
		['nonce', attempt.nonce],
		['ext_agent_host_id', attempt.hostId],
	];
	// The name hint is registration metadata only; the account hints only make sense for a saved account.
	if (!attempt.clientId) params.push(['agent_name_hint', attempt.agentName]);
	if (attempt.clientId && attempt.idTokenHint) params.push(['id_token_hint', attempt.idTokenHint]);
	if (attempt.clientId && attempt.loginHint) params.push(['login_hint', attempt.loginHint]);
	url.search = new URLSearchParams(params).toString();
	return url.href;
}

/** The authorize URL with the id_token_hint left out, for anything printed or logged. */
export function redactAuthorizeUrl(url: string): string {
	const parsed = new URL(url);
	if (!parsed.searchParams.has('id_token_hint')) return url;
	parsed.searchParams.delete('id_token_hint');
	return parsed.href;
}

export class ConsentDeclinedError extends TuiError {
	constructor() {
		super('ChatGPT sign-in was declined in the browser (access_denied); nothing was saved');
		this.name = 'ConsentDeclinedError';
	}
}

/**
 * Checks a callback whose state already matched: every parameter once, an OAuth error first, the issuer if
 * named, then the issued client id. Returns the code and the client id to use from now on.
 */
export function checkSiwcCallback(
	params: URLSearchParams,
	attempt: SiwcAttempt,
	server: SiwcServer,
): {code: string; clientId: string} {
	const seen = new Set<string>();
	for (const key of params.keys()) {
		if (seen.has(key)) throw new TuiError(`the callback repeats the parameter "${safeLine(key, 40)}"; sign-in refused`);
		seen.add(key);
	}
	if (!stateMatches(attempt.state, params.get('state')))
		throw new TuiError('the callback does not belong to this sign-in (state)');
	const error = params.get('error');
	if (error === 'access_denied') throw new ConsentDeclinedError();
	if (error) {
		const description = params.get('error_description');
		throw new TuiError(
			`ChatGPT refused the sign-in (${safeLine(error, 60)}${description ? `: ${safeLine(description, 200)}` : ''})`,
		);
	}
	const iss = params.get('iss');
	if (iss !== null && iss !== server.issuer) throw new TuiError('the callback names another issuer; sign-in refused');
	const code = params.get('code');
	if (!code) throw new TuiError('the callback carries no authorization code');
	const returned = params.get('client_id');
	if (
		returned !== null &&
		(!OPENAI_SIWC.clientIdPattern.test(returned) || returned === OPENAI_SIWC.registrationClientId)
	) {
		throw new TuiError('the callback carries an invalid client_id; sign-in refused');
	}
	if (attempt.clientId) {
		if (returned !== null && returned !== attempt.clientId)
			throw new TuiError('the callback names a different app registration than this account uses; sign-in refused');
		return {code, clientId: attempt.clientId};
	}
	if (returned === null)
		throw new TuiError('ChatGPT registration incomplete: the callback carries no client_id; start the sign-in again');
	return {code, clientId: returned};
}

/** The callback URL a person pasted: scheme, host, port and path exactly the redirect URI's. */
export function parsePastedSiwcCallback(input: string, redirectUri: string): URLSearchParams {
	const text = input.trim();
	if (!text) throw new TuiError('nothing was pasted');
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new TuiError('paste the whole address from the browser, starting with http://127.0.0.1');
	}
	const expected = new URL(redirectUri);
	if (
		url.protocol !== expected.protocol ||
		url.hostname !== expected.hostname ||
		url.port !== expected.port ||
		url.pathname !== expected.pathname
	) {
		throw new TuiError(`that address is not this sign-in's callback (${expected.origin}${expected.pathname})`);
	}
	return url.searchParams;
}

export async function postForm(
	url: string,
	form: Record<string, string>,
	fetchImpl: FetchLike,
	signal?: AbortSignal,
): Promise<Response> {
	return fetchImpl(url, {
		method: 'POST',
		headers: {'content-type': 'application/x-www-form-urlencoded', accept: 'application/json'},
		body: new URLSearchParams(form).toString(),
		redirect: 'manual',
		signal: signalFor(signal),
	});
}

/** `{"error": "invalid_grant"}`, `{"error": {"code": …}}` or `{"code": …}`; undefined for anything else (HTML, empty). */
export async function oauthErrorCode(response: Response): Promise<string | undefined> {
	try {
		const body = (await response.json()) as {error?: unknown; code?: unknown};
		if (typeof body.error === 'object' && body.error && typeof (body.error as {code?: unknown}).code === 'string')
			return (body.error as {code: string}).code;
		if (typeof body.error === 'string') return body.error;
		if (typeof body.code === 'string') return body.code;
	} catch {
		// Not JSON.
	}
	return undefined;
}

type TokenBody = {
	access_token: string;
	refresh_token?: string;
	id_token?: string;
	expires_in?: number;
	scope?: string;
	earliest_refresh_at?: unknown;
};

function tokenBody(value: unknown): TokenBody {
	const body = value as Record<string, unknown> | null;
	if (!body || typeof body !== 'object' || typeof body.access_token !== 'string' || body.access_token.length === 0)
		throw new TuiError('the token response has no access token');
	if (typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer')
		throw new TuiError('the token response is not a Bearer token');
	return {
		access_token: body.access_token,
		...(typeof body.refresh_token === 'string' && body.refresh_token ? {refresh_token: body.refresh_token} : {}),
		...(typeof body.id_token === 'string' && body.id_token ? {id_token: body.id_token} : {}),
		...(typeof body.expires_in === 'number' && body.expires_in > 0 ? {expires_in: body.expires_in} : {}),
		...(typeof body.scope === 'string' ? {scope: body.scope} : {}),
		...(body.earliest_refresh_at !== undefined ? {earliest_refresh_at: body.earliest_refresh_at} : {}),
	};
}

/** earliest_refresh_at is undocumented: Unix seconds, milliseconds or a date; kept only while it is before expiry. */
export function earliestRefresh(value: unknown, nowMs: number, expiresAt: number): number | undefined {
	let ms: number | undefined;
	if (typeof value === 'number' && Number.isFinite(value)) ms = value < 1e12 ? value * 1000 : value;
	else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value))
		ms = Number(value) < 1e12 ? Number(value) * 1000 : Number(value);
	else if (typeof value === 'string') ms = Date.parse(value);
	if (ms === undefined || !Number.isFinite(ms) || ms >= expiresAt || ms < nowMs - 86_400_000) return undefined;
	return Math.floor(ms);
}

function tokensOf(body: TokenBody, nowMs: number, previous?: OAuthTokens): OAuthTokens {
	const expiresAt = Math.floor(nowMs + (body.expires_in ?? 3600) * 1000);
	const refresh = body.refresh_token ?? previous?.refresh;
	const idToken = body.id_token ?? previous?.idToken;
	const earliest = earliestRefresh(body.earliest_refresh_at, nowMs, expiresAt);
	return {
		access: body.access_token,
		...(refresh ? {refresh} : {}),
		...(idToken ? {idToken} : {}),
		expiresAt,
		refreshedAt: Math.floor(nowMs),
		...(earliest !== undefined ? {earliestRefreshAt: earliest} : {}),
	};
}

export function scopesOf(scope: string): string[] {
	return [...new Set(scope.split(/\s+/).filter(Boolean))].slice(0, 64);
}

export type SiwcSignIn = {
	readonly tokens: OAuthTokens;
	readonly claims: IdTokenClaims;
	readonly scopes: readonly string[];
	readonly planEnabled: boolean;
};

/** The code exchange, then the ID-token checks. Nothing is stored here. */
export async function exchangeSiwcCode(
	server: SiwcServer,
	attempt: SiwcAttempt,
	input: {readonly code: string; readonly clientId: string; readonly redirectUri: string},
	deps: {readonly fetch: FetchLike; readonly now: () => number; readonly signal?: AbortSignal},
): Promise<SiwcSignIn> {
	let response: Response;
	try {
		response = await postForm(
			server.tokenEndpoint,
			{
				grant_type: 'authorization_code',
				client_id: input.clientId,
				code: input.code,
				code_verifier: attempt.verifier,
				redirect_uri: input.redirectUri,
				resource: OPENAI_SIWC.resource,
			},
			deps.fetch,
			deps.signal,
		);
	} catch {
		if (deps.signal?.aborted) throw new TuiError('login cancelled');
		throw new TuiError('the code exchange failed (could not reach OpenAI; offline?)');
	}
	if (!response.ok) {
		const code = await oauthErrorCode(response);
		if (code === 'invalid_grant')
			throw new TuiError(
				'the code exchange failed (invalid_grant): the sign-in code was refused or expired; start the sign-in again',
			);
		throw new TuiError(`the code exchange failed (${code ? safeLine(code, 60) : `HTTP ${response.status}`})`);
	}
	let body: TokenBody;
	try {
		body = tokenBody(await response.json());
	} catch (error) {
		throw error instanceof TuiError
			? new TuiError(`the code exchange failed (${error.message})`)
			: new TuiError('the code exchange failed (the answer is not JSON)');
	}
	if (!body.id_token) throw new TuiError('the code exchange failed (no ID token)');
	if (body.scope === undefined) throw new TuiError('the code exchange failed (the granted scope is missing)');
	const now = deps.now();
	const claims = await verifyIdToken(
		body.id_token,
		{issuer: server.issuer, clientId: input.clientId, nonce: attempt.nonce, nowMs: now},
		{uri: server.jwksUri, fetch: deps.fetch, signal: deps.signal},
	);
	const scopes = scopesOf(body.scope);
	return {tokens: tokensOf(body, now), claims, scopes, planEnabled: scopes.includes(OPENAI_SIWC.planScope)};
}

/** What the account keeps from a verified sign-in. */
export function accountFieldsOf(
	server: SiwcServer,
	clientId: string,
	signIn: SiwcSignIn,
): Pick<OAuthAccount, 'tokens' | 'issuer' | 'clientId' | 'subject' | 'scopes' | 'planEnabled' | 'email'> {
	const email =
		typeof signIn.claims.email === 'string' && signIn.claims.email.length <= 320 ? signIn.claims.email : undefined;
	return {
		tokens: signIn.tokens,
		issuer: server.issuer,
		clientId,
		subject: signIn.claims.sub,
		scopes: [...signIn.scopes],
		planEnabled: signIn.planEnabled,
		...(email ? {email} : {}),
	};
}

export function defaultSiwcLabel(email: string | undefined): string {
	return email && LABEL_PATTERN.test(email) ? email : 'chatgpt';
}

export type RefreshOutcome =
	| {readonly kind: 'ok'; readonly account: OAuthAccount}
	| {readonly kind: 'terminal'; readonly why: string}
	| {readonly kind: 'transient'; readonly why: string};

/** Terminal only for 401 and the documented codes; 5xx, 429, other 4xx, HTML and silence are transient. */
export async function classifyRefreshFailure(
	response: Response,
	terminalCodes: readonly string[] = OPENAI_REFRESH.terminalErrors,
): Promise<RefreshOutcome> {
	const code = await oauthErrorCode(response);
	const why = code ? safeLine(code, 60) : `HTTP ${response.status}`;
	if (response.status === 401 || (code !== undefined && terminalCodes.includes(code))) return {kind: 'terminal', why};
	return {kind: 'transient', why};
}

/**
 * One refresh request (form: grant_type, issued client_id, refresh_token, resource; no scope). Access token,
 * expiry, scopes and refresh token are replaced together; a returned ID token must verify and keep the subject.
 */
export async function refreshSiwc(
	server: SiwcServer,
	account: OAuthAccount,
	deps: {readonly fetch: FetchLike; readonly now: () => number},
): Promise<RefreshOutcome> {
	const clientId = account.clientId!;
	let response: Response;
	try {
		response = await postForm(
			server.tokenEndpoint,
			{
				grant_type: 'refresh_token',
				client_id: clientId,
				refresh_token: account.tokens.refresh!,
				resource: OPENAI_SIWC.resource,
			},
			deps.fetch,
		);
	} catch {
		return {kind: 'transient', why: 'no answer'};
	}
	if (!response.ok) return classifyRefreshFailure(response);
	let body: TokenBody;
	try {
		body = tokenBody(await response.json());
	} catch {
		return {kind: 'transient', why: 'an unusable answer'};
	}
	const now = deps.now();
	const tokens = tokensOf(body, now, account.tokens);
	const scopes = body.scope !== undefined ? scopesOf(body.scope) : (account.scopes ?? []);
	if (body.id_token) {
		try {
			const claims = await verifyIdToken(
				body.id_token,
				{issuer: server.issuer, clientId, nowMs: now},
				{uri: server.jwksUri, fetch: deps.fetch},
			);
			if (account.subject && claims.sub !== account.subject)
				return {kind: 'terminal', why: 'the refreshed ID token names another account'};
		} catch (error) {
			return {kind: 'transient', why: error instanceof TuiError ? error.message : 'the ID token did not verify'};
		}
	}
	return {kind: 'ok', account: {...account, tokens, scopes, planEnabled: scopes.includes(OPENAI_SIWC.planScope)}};
}
