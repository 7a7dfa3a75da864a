// Every OpenAI wire fact (PROVIDERS.md, "OpenAI") lives here, so a change by the provider is a one-file edit.
// Tiers are in core; this file is endpoints, ids, names and headers only.
import {envList, envPort, envUrl, envValue, type Env} from './config-env.js';

export const OPENAI_NAME = 'OpenAI';

/** Environment variables read for OpenAI. */
export const OPENAI_ENV = {
	apiKey: 'OPENAI_API_KEY',
	apiBase: 'OPENAI_BASE_URL',
	issuer: 'TUI_OPENAI_ISSUER',
	clientId: 'TUI_OPENAI_CLIENT_ID',
	redirectPort: 'TUI_OPENAI_REDIRECT_PORT',
	/** Space- or comma-separated; not in the brief's list, but PROVIDERS.md asks that configuration can override everything. */
	scopes: 'TUI_OPENAI_SCOPES',
} as const;

export const OPENAI_DEFAULTS = {
	issuer: 'https://auth.openai.com',
	/** The Codex CLI's public client (no secret). */
	clientId: 'app_EMoamEEZ73f0CkXaXp7hrann',
	apiBase: 'https://api.openai.com/v1',
} as const;

/** Paths under the issuer. */
export const OPENAI_PATHS = {
	authorize: '/oauth/authorize',
	token: '/oauth/token',
	revoke: '/oauth/revoke',
	deviceUserCode: '/api/accounts/deviceauth/usercode',
	deviceToken: '/api/accounts/deviceauth/token',
	deviceRedirect: '/deviceauth/callback',
	deviceVerification: '/codex/device',
} as const;

/** The registered redirect is exactly http://localhost:PORT/auth/callback; only these ports are allowed (no random ones). */
export const OPENAI_REDIRECT = {
	host: 'localhost',
	/** The listener binds here, never on all interfaces. */
	bindHost: '127.0.0.1',
	path: '/auth/callback',
	port: 1455,
	fallbackPort: 1457,
} as const;

export const OPENAI_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

/** Sent with every authorize request besides the standard OAuth/PKCE ones. */
export function openaiAuthorizeParams(originator: string): Readonly<Record<string, string>> {
	return {id_token_add_organizations: 'true', codex_cli_simplified_flow: 'true', originator};
}
export const OPENAI_ORIGINATOR = 'tui';

/** Body encodings differ by call: the code exchange is a form, the refresh is JSON. */
export const OPENAI_TOKEN_BODY = {exchange: 'form', refresh: 'json'} as const;

/** PKCE and state sizes as Codex makes them (random bytes before base64url). */
export const OPENAI_PKCE = {verifierBytes: 64, stateBytes: 32} as const;

export const OPENAI_ID_TOKEN = {
	/** Claim holding chatgpt_plan_type and chatgpt_account_id; email is top-level. */
	authClaim: 'https://api.openai.com/auth',
	planField: 'chatgpt_plan_type',
	accountIdField: 'chatgpt_account_id',
	emailField: 'email',
} as const;

export const OPENAI_KNOWN_PLANS = ['free', 'go', 'plus', 'pro', 'team', 'business', 'enterprise', 'edu'] as const;
export const OPENAI_WORKSPACE_PLANS = ['team', 'business', 'enterprise', 'edu'] as const;

export const OPENAI_REFRESH = {
	/** Codex refreshes this long after the last refresh even if the token is still valid. */
	maxAgeMs: 8 * 24 * 60 * 60 * 1000,
	/** These mean "log in again": cache it and never retry. */
	loginAgainErrors: ['refresh_token_expired', 'refresh_token_reused', 'refresh_token_invalidated'] as readonly string[],
} as const;

export const OPENAI_DEVICE = {
	/** 403 and 404 while polling mean "pending". */
	pendingStatuses: [403, 404] as readonly number[],
	/** A 404 on the user-code request means device login is not enabled for this account. */
	notEnabledStatus: 404,
	timeoutMs: 15 * 60 * 1000,
	warning: 'Device codes are a common phishing target. Never share this code.',
} as const;

export const OPENAI_HEADERS = {
	accountId: 'ChatGPT-Account-Id',
	/** x-ratelimit-{limit,remaining,reset}-{requests,tokens} on API-key responses. */
	rateLimitPrefix: 'x-ratelimit-',
} as const;

export type OpenAIConfig = {
	readonly provider: 'openai';
	readonly name: string;
	readonly issuer: string;
	readonly clientId: string;
	readonly authorizeUrl: string;
	readonly tokenUrl: string;
	readonly revokeUrl: string;
	readonly deviceUserCodeUrl: string;
	readonly deviceTokenUrl: string;
	readonly deviceRedirectUri: string;
	readonly deviceVerificationUrl: string;
	/** Ports to try in order: 1455 then 1457, or the one override (0 = any free port, for tests). */
	readonly redirectPorts: readonly number[];
	readonly redirectHost: string;
	readonly redirectPath: string;
	readonly scopes: readonly string[];
	readonly authorizeParams: Readonly<Record<string, string>>;
	/** API base including /v1, e.g. https://api.openai.com/v1. */
	readonly apiBaseUrl: string;
	readonly apiKeyEnv: readonly string[];
	/** Always true: the Codex client id ships. */
	readonly oauth: {readonly configured: true};
};

export function openaiRedirectUri(config: Pick<OpenAIConfig, 'redirectHost' | 'redirectPath'>, port: number): string {
	return `http://${config.redirectHost}:${port}${config.redirectPath}`;
}

/** Defaults with the environment's overrides applied. Throws UsageError naming a malformed variable. */
export function openaiConfig(env: Env): OpenAIConfig {
	const issuer = envUrl(env, OPENAI_ENV.issuer, OPENAI_DEFAULTS.issuer);
	const portOverride = envValue(env, OPENAI_ENV.redirectPort) === undefined ? undefined : envPort(env, OPENAI_ENV.redirectPort, OPENAI_REDIRECT.port);
	return {
		provider: 'openai',
		name: OPENAI_NAME,
		issuer,
		clientId: envValue(env, OPENAI_ENV.clientId) ?? OPENAI_DEFAULTS.clientId,
		authorizeUrl: issuer + OPENAI_PATHS.authorize,
		tokenUrl: issuer + OPENAI_PATHS.token,
		revokeUrl: issuer + OPENAI_PATHS.revoke,
		deviceUserCodeUrl: issuer + OPENAI_PATHS.deviceUserCode,
		deviceTokenUrl: issuer + OPENAI_PATHS.deviceToken,
		deviceRedirectUri: issuer + OPENAI_PATHS.deviceRedirect,
		deviceVerificationUrl: issuer + OPENAI_PATHS.deviceVerification,
		redirectPorts: portOverride === undefined ? [OPENAI_REDIRECT.port, OPENAI_REDIRECT.fallbackPort] : [portOverride],
		redirectHost: OPENAI_REDIRECT.host,
		redirectPath: OPENAI_REDIRECT.path,
		scopes: envList(env, OPENAI_ENV.scopes, OPENAI_SCOPES),
		authorizeParams: openaiAuthorizeParams(OPENAI_ORIGINATOR),
		apiBaseUrl: envUrl(env, OPENAI_ENV.apiBase, OPENAI_DEFAULTS.apiBase),
		apiKeyEnv: [OPENAI_ENV.apiKey],
		oauth: {configured: true},
	};
}

/** Shape of oauth4webapi's `customFetch` hook (kept structural so this file needs no OAuth import). */
export type OAuthFetchHook = (
	url: string,
	init: {method: string; headers: Record<string, string>; body?: unknown; redirect?: 'manual'; signal?: AbortSignal; duplex?: 'half'},
) => Promise<Response>;

/** OpenAI's token endpoint takes the code exchange as a form but the refresh grant as JSON {client_id, grant_type, refresh_token}. */
export function openaiTokenFetch(base: typeof fetch): OAuthFetchHook {
	return (url, init) => {
		const body = init.body;
		if (init.method === 'POST' && body instanceof URLSearchParams && body.get('grant_type') === 'refresh_token') {
			const headers = {...init.headers, 'content-type': 'application/json'};
			const json = JSON.stringify({client_id: body.get('client_id'), grant_type: 'refresh_token', refresh_token: body.get('refresh_token')});
			return base(url, {method: 'POST', headers, body: json, redirect: init.redirect, signal: init.signal});
		}
		return base(url, init as RequestInit);
	};
}
