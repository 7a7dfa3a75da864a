// Every OpenAI wire fact (docs/providers.md, "OpenAI") lives here, so a change by the provider is a one-file edit.
// Tiers are in core; this file is endpoints, ids, names and headers only.
import {PROVIDERS} from '../core/provider-registry.js';
import type {AuthFile} from '../core/schemas.js';
import {envUrl, type Env} from './config-env.js';

export const OPENAI_NAME = PROVIDERS.openai.name;

/** Environment variables read for OpenAI. */
export const OPENAI_ENV = {
	apiBase: 'OPENAI_BASE_URL',
	/** A non-production issuer (the sandbox): its endpoints then come from its discovery document. */
	issuer: 'TUI_OPENAI_ISSUER',
} as const;

export const OPENAI_DEFAULTS = {
	issuer: 'https://auth.openai.com',
	apiBase: 'https://api.openai.com/v1',
} as const;

/**
 * Sign in with ChatGPT for open-source apps: the first authorize request registers this app
 * under `registrationClientId`; the callback carries the client issued for this user and workspace (oaiapp_…),
 * which every later exchange, refresh, revocation and re-authorization uses.
 */
export const OPENAI_SIWC = {
	/** The registration entry point: never stored, never sent to the token or revocation endpoint. */
	registrationClientId: 'dynamic_agent_client',
	/** agent_name_hint: the app's real name, the same on every install (a host app may set its own). */
	agentName: 'tui',
	resource: 'https://api.openai.com/v1',
	/** Granted in the token response's `scope`: ChatGPT plan usage is on. */
	planScope: 'chatgpt.tokens.use.direct',
	/** A pasted callback older than this is refused. */
	attemptMs: 10 * 60 * 1000,
	/** An issued client id as the callback may carry it. */
	clientIdPattern: /^[A-Za-z0-9_-]{1,200}$/,
	/** Where a person disconnects an app whose sign-out could not be confirmed. */
	settingsHint: 'disconnect the app in ChatGPT Settings',
	newSignIn: 'needs a new sign-in (Continue with ChatGPT)',
} as const;

/** The documented production endpoints; a TUI_OPENAI_ISSUER issuer takes them from its discovery instead. */
export const OPENAI_PATHS = {
	discovery: '/.well-known/openid-configuration',
	authorize: '/api/accounts/authorize',
	token: '/api/accounts/oauth/token',
	jwks: '/.well-known/jwks.json',
} as const;

/** http://127.0.0.1:<ephemeral port>/auth/callback: never "localhost", so Codex keeps port 1455. */
export const OPENAI_REDIRECT = {
	host: '127.0.0.1',
	path: '/auth/callback',
	port: 0,
} as const;

export const OPENAI_SCOPES = [
	'openid',
	'profile',
	'email',
	'offline_access',
	'resource.invoke',
	'chatgpt.tokens.use.direct',
] as const;

/** PKCE, state and nonce: 32 random bytes each before base64url. */
export const OPENAI_PKCE = {verifierBytes: 32, stateBytes: 32} as const;

export const OPENAI_ID_TOKEN = {
	/** The only signing algorithm accepted. */
	alg: 'RS256',
	/** Clock tolerance for exp and iat. */
	skewSeconds: 5,
} as const;
export const OPENAI_KNOWN_PLANS = ['free', 'go', 'plus', 'pro', 'team', 'business', 'enterprise', 'edu'] as const;
export const OPENAI_WORKSPACE_PLANS = ['team', 'business', 'enterprise', 'edu'] as const;

export const OPENAI_REFRESH = {
	/** These end the login ("sign in again"), as does HTTP 401; every other failure is transient. */
	terminalErrors: [
		'invalid_grant',
		'refresh_token_expired',
		'refresh_token_reused',
		'refresh_token_invalidated',
		'invalid_refresh_token',
		'token_expired',
	] as readonly string[],
	unavailable: 'OpenAI sign-in service unavailable, will retry',
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
	/** True for the documented issuer: its endpoints are the constants above, not whatever discovery says. */
	readonly production: boolean;
	readonly redirectHost: string;
	readonly redirectPath: string;
	readonly scopes: readonly string[];
	/** API base including /v1, e.g. https://api.openai.com/v1. */
	readonly apiBaseUrl: string;
	readonly apiKeyEnv: readonly string[];
	readonly oauth: {readonly configured: true};
};

export function openaiRedirectUri(port: number): string {
	return `http://${OPENAI_REDIRECT.host}:${port}${OPENAI_REDIRECT.path}`;
}

/** Defaults with the environment's overrides applied. Throws UsageError naming a malformed variable. */
export function openaiConfig(env: Env): OpenAIConfig {
	const issuer = envUrl(env, OPENAI_ENV.issuer, OPENAI_DEFAULTS.issuer);
	return {
		provider: 'openai',
		name: OPENAI_NAME,
		issuer,
		production: issuer === OPENAI_DEFAULTS.issuer,
		redirectHost: OPENAI_REDIRECT.host,
		redirectPath: OPENAI_REDIRECT.path,
		scopes: OPENAI_SCOPES,
		apiBaseUrl: envUrl(env, OPENAI_ENV.apiBase, OPENAI_DEFAULTS.apiBase),
		apiKeyEnv: PROVIDERS.openai.apiKeyEnv,
		oauth: {configured: true},
	};
}

/** An OpenAI login stored by the old Codex-client flow (no issued client): it must sign in again, keeping its label. */
export function isLegacyOpenAILogin(account: {readonly kind: string; readonly clientId?: string}): boolean {
	return account.kind === 'oauth' && !account.clientId;
}

export function legacyOpenAIMessage(label: string): string {
	return `OpenAI account ${JSON.stringify(label)} ${OPENAI_SIWC.newSignIn}: tui auth login --provider openai --label ${JSON.stringify(label)}`;
}

/** The auth file as read: a legacy login reads as needing a new sign-in (not as a corrupt file). */
export function markLegacyOpenAILogins(file: AuthFile): AuthFile {
	if (!file.accounts.some((a) => isLegacyOpenAILogin(a) && !(a as {needsLogin?: string}).needsLogin)) return file;
	return {
		...file,
		accounts: file.accounts.map((a) =>
			a.kind === 'oauth' && isLegacyOpenAILogin(a) && !a.needsLogin
				? {...a, needsLogin: legacyOpenAIMessage(a.label)}
				: a,
		),
	};
}
