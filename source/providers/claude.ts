// Every Claude (Anthropic) wire fact (docs/providers.md, "Claude") lives here, so a change by the provider is a one-file edit.
// Policy: no Claude Code client id ships. Claude OAuth runs only with a client the host app registered
// (TUI_CLAUDE_OAUTH_CLIENT_ID); the subscription is otherwise offered as delegation to the official `claude` CLI.
import {CLAUDE_CODE_MIN_AUTH_VERSION, PROVIDERS} from '../core/provider-registry.js';
import {envList, envPort, envUrl, envValue, type Env} from './config-env.js';

export const CLAUDE_NAME = PROVIDERS.claude.name;

/** Environment variables read for Claude. */
export const CLAUDE_ENV = {
	apiBase: 'ANTHROPIC_BASE_URL',
	oauthClientId: 'TUI_CLAUDE_OAUTH_CLIENT_ID',
	oauthAuthorizeUrl: 'TUI_CLAUDE_OAUTH_AUTHORIZE_URL',
	oauthTokenUrl: 'TUI_CLAUDE_OAUTH_TOKEN_URL',
	oauthRedirectPort: 'TUI_CLAUDE_OAUTH_REDIRECT_PORT',
	oauthScopes: 'TUI_CLAUDE_OAUTH_SCOPES',
	/** Where the paste flow's hosted page shows `code#state`; must be registered for the host's client. */
	oauthPasteRedirectUri: 'TUI_CLAUDE_OAUTH_PASTE_REDIRECT_URI',
	usageUrl: 'TUI_CLAUDE_USAGE_URL',
} as const;

export const CLAUDE_DEFAULTS = {
	authorizeUrl: 'https://claude.ai/oauth/authorize',
	/** Formerly https://console.anthropic.com/v1/oauth/token. */
	tokenUrl: 'https://platform.claude.com/v1/oauth/token',
	/** Anthropic's hosted callback page that displays `code#state` (community code; unverified for third-party clients). */
	pasteRedirectUri: 'https://platform.claude.com/oauth/code/callback',
	/** Without /v1: the SDK adds it. */
	apiBase: 'https://api.anthropic.com',
	usageUrl: 'https://api.anthropic.com/api/oauth/usage',
} as const;

/** user:profile is what the usage endpoint needs. */
export const CLAUDE_SCOPES = ['user:profile', 'user:inference'] as const;

export const CLAUDE_REDIRECT = {
	host: 'localhost',
	bindHost: '127.0.0.1',
	path: '/callback',
	/** No fixed port is known for a host-registered client: 0 takes a free one from the OS. */
	port: 0,
} as const;

/** `code=true` makes the hosted page show `code#state` for the paste flow; the rest are standard OAuth/PKCE. */
export const CLAUDE_AUTHORIZE_PARAMS: Readonly<Record<string, string>> = {code: 'true'};

/** Both the code exchange and the refresh send JSON bodies; the exchange includes `state`. */
export const CLAUDE_TOKEN_BODY = {exchange: 'json', refresh: 'json'} as const;

export const CLAUDE_HEADERS = {
	apiKey: 'x-api-key',
	version: 'anthropic-version',
	beta: 'anthropic-beta',
	/** Sent with the usage request (Bearer auth). */
	oauthBeta: 'oauth-2025-04-20',
	/** anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}; resets are RFC 3339. */
	rateLimitPrefix: 'anthropic-ratelimit-',
	retryAfter: 'retry-after',
	/** anthropic-ratelimit-unified-status: allowed | allowed_warning | rejected (unverified). */
	unifiedStatus: 'anthropic-ratelimit-unified-status',
	/** -5h-utilization (0-1), -5h-reset (epoch s), and -7d-* (unverified). */
	unifiedPrefix: 'anthropic-ratelimit-unified-',
} as const;

/** The official CLI we delegate the subscription to. */
export const CLAUDE_CODE = {
	tool: 'claude-code',
	command: 'claude',
	versionArgs: ['--version'],
	/** `claude auth login|status|logout` exist since this version. */
	minAuthVersion: CLAUDE_CODE_MIN_AUTH_VERSION,
	loginArgs: ['auth', 'login', '--claudeai'],
	statusArgs: ['auth', 'status'],
	/** Older versions print JSON only with --json. */
	statusJsonArgs: ['auth', 'status', '--json'],
	logoutArgs: ['auth', 'logout'],
} as const;

export const CLAUDE_OAUTH_NOT_CONFIGURED = `Claude sign-in needs an OAuth client registered by the host app (set ${CLAUDE_ENV.oauthClientId}); tui-auth does not use Claude Code's client. Use an API key or Claude Code instead.`;

export type ClaudeOAuthConfig =
	| {
			readonly configured: true;
			readonly clientId: string;
			readonly authorizeUrl: string;
			readonly tokenUrl: string;
			readonly pasteRedirectUri: string;
			/** 0 = a free port from the OS. */
			readonly redirectPort: number;
			readonly redirectHost: string;
			readonly redirectPath: string;
			readonly scopes: readonly string[];
			readonly authorizeParams: Readonly<Record<string, string>>;
	  }
	| {readonly configured: false; readonly reason: string};

export type ClaudeConfig = {
	readonly provider: 'claude';
	readonly name: string;
	readonly oauth: ClaudeOAuthConfig;
	/** Without /v1, e.g. https://api.anthropic.com. */
	readonly apiBaseUrl: string;
	readonly usageUrl: string;
	/** In precedence order. */
	readonly apiKeyEnv: readonly string[];
};

export function claudeRedirectUri(
	oauth: {readonly redirectHost: string; readonly redirectPath: string},
	port: number,
): string {
	return `http://${oauth.redirectHost}:${port}${oauth.redirectPath}`;
}

/** Defaults with the environment's overrides applied. Throws UsageError naming a malformed variable. */
export function claudeConfig(env: Env): ClaudeConfig {
	const clientId = envValue(env, CLAUDE_ENV.oauthClientId);
	const oauth: ClaudeOAuthConfig = clientId
		? {
				configured: true,
				clientId,
				authorizeUrl: envUrl(env, CLAUDE_ENV.oauthAuthorizeUrl, CLAUDE_DEFAULTS.authorizeUrl),
				tokenUrl: envUrl(env, CLAUDE_ENV.oauthTokenUrl, CLAUDE_DEFAULTS.tokenUrl),
				pasteRedirectUri: envUrl(env, CLAUDE_ENV.oauthPasteRedirectUri, CLAUDE_DEFAULTS.pasteRedirectUri),
				redirectPort: envPort(env, CLAUDE_ENV.oauthRedirectPort, CLAUDE_REDIRECT.port),
				redirectHost: CLAUDE_REDIRECT.host,
				redirectPath: CLAUDE_REDIRECT.path,
				scopes: envList(env, CLAUDE_ENV.oauthScopes, CLAUDE_SCOPES),
				authorizeParams: CLAUDE_AUTHORIZE_PARAMS,
			}
		: {configured: false, reason: CLAUDE_OAUTH_NOT_CONFIGURED};
	return {
		provider: 'claude',
		name: CLAUDE_NAME,
		oauth,
		apiBaseUrl: envUrl(env, CLAUDE_ENV.apiBase, CLAUDE_DEFAULTS.apiBase),
		usageUrl: envUrl(env, CLAUDE_ENV.usageUrl, CLAUDE_DEFAULTS.usageUrl),
		apiKeyEnv: PROVIDERS.claude.apiKeyEnv,
	};
}

/** Shape of oauth4webapi's `customFetch` hook (kept structural so this file needs no OAuth import). */
export type ClaudeOAuthFetchHook = (
	url: string,
	init: {
		method: string;
		headers: Record<string, string>;
		body?: unknown;
		redirect?: 'manual';
		signal?: AbortSignal;
		duplex?: 'half';
	},
) => Promise<Response>;

/** Claude's token endpoint takes JSON for both grants: {grant_type, code, state, client_id, redirect_uri, code_verifier} and {grant_type, refresh_token, client_id}. */
export function claudeTokenFetch(base: typeof fetch): ClaudeOAuthFetchHook {
	return (url, init) => {
		const body = init.body;
		if (init.method === 'POST' && body instanceof URLSearchParams && body.has('grant_type')) {
			const headers = {...init.headers, 'content-type': 'application/json'};
			return base(url, {
				method: 'POST',
				headers,
				body: JSON.stringify(Object.fromEntries(body)),
				redirect: init.redirect,
				signal: init.signal,
			});
		}
		return base(url, init as RequestInit);
	};
}
