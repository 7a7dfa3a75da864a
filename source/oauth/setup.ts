// Per-provider OAuth setup for oauth4webapi, built from the provider config files (which own every constant).
import * as oauth from 'oauth4webapi';
import {TuiError} from '../core/errors.js';
import type {ProviderId} from '../core/schemas.js';
import {isLoopbackUrl, type Env} from '../providers/config-env.js';
import {OPENAI_DEVICE, OPENAI_ID_TOKEN, OPENAI_PKCE, OPENAI_REFRESH, openaiConfig, openaiRedirectUri, openaiTokenFetch, type OpenAIConfig} from '../providers/openai.js';
import {claudeConfig, claudeRedirectUri, claudeTokenFetch} from '../providers/claude.js';

export type FetchLike = typeof fetch;

export type OAuthSetup = {
	readonly provider: ProviderId;
	readonly client: oauth.Client;
	readonly clientAuth: oauth.ClientAuth;
	/** Static metadata: used as is (Claude) or when discovery is unavailable (OpenAI). */
	readonly staticServer: oauth.AuthorizationServer;
	/** OpenAI publishes discovery (and the sandbox lists the RFC 8628 endpoint there). */
	readonly discover: boolean;
	/** http is acceptable only for a loopback issuer (the sandbox). */
	readonly allowInsecure: boolean;
	readonly redirect: {readonly ports: readonly number[]; readonly host: string; readonly path: string};
	/** The redirect for the paste flow (nothing listens there; the user copies the result). */
	readonly pasteRedirectUri: string;
	readonly scope: string;
	readonly authorizeParams: Readonly<Record<string, string>>;
	readonly verifierBytes: number;
	readonly stateBytes: number;
	/** Claude's token endpoint wants `state` in the code exchange. */
	readonly exchangeIncludesState: boolean;
	/** Hosts the authorize URL may point at (for the browser guard). */
	readonly browserHosts: readonly string[];
	/** Wraps fetch with the provider's token-endpoint quirks (oauth4webapi customFetch). */
	readonly tokenFetch: (base: FetchLike) => NonNullable<oauth.HttpRequestOptions<'POST'>[typeof oauth.customFetch]>;
	readonly openai?: OpenAIConfig;
	/** Error codes meaning "log in again" besides invalid_grant. */
	readonly loginAgainErrors: readonly string[];
	readonly deviceWarning: string;
};

export function loginCommand(provider: ProviderId): string {
	return `tui auth login --provider ${provider}`;
}

export function oauthSetup(provider: ProviderId, env: Env): OAuthSetup {
	if (provider === 'openai') {
		const config = openaiConfig(env);
		const staticServer: oauth.AuthorizationServer = {
			issuer: config.issuer,
			authorization_endpoint: config.authorizeUrl,
			token_endpoint: config.tokenUrl,
			revocation_endpoint: config.revokeUrl,
		};
		const firstPort = config.redirectPorts.find((p) => p > 0) ?? 1455;
		return {
			provider,
			client: {client_id: config.clientId},
			clientAuth: oauth.None(),
			staticServer,
			discover: true,
			allowInsecure: isLoopbackUrl(config.issuer),
			redirect: {ports: config.redirectPorts, host: config.redirectHost, path: config.redirectPath},
			pasteRedirectUri: openaiRedirectUri(config, firstPort),
			scope: config.scopes.join(' '),
			authorizeParams: config.authorizeParams,
			verifierBytes: OPENAI_PKCE.verifierBytes,
			stateBytes: OPENAI_PKCE.stateBytes,
			exchangeIncludesState: false,
			browserHosts: [new URL(config.authorizeUrl).hostname],
			tokenFetch: (base) => openaiTokenFetch(base) as never,
			openai: config,
			loginAgainErrors: ['invalid_grant', ...OPENAI_REFRESH.loginAgainErrors],
			deviceWarning: OPENAI_DEVICE.warning,
		};
	}
	const config = claudeConfig(env);
	if (!config.oauth.configured) {
		throw new TuiError('Claude sign-in needs TUI_CLAUDE_OAUTH_CLIENT_ID; the Claude subscription works through Claude Code: use --method claude-code');
	}
	const o = config.oauth;
	const issuer = new URL(o.authorizeUrl).origin;
	const port = o.redirectPort;
	return {
		provider,
		client: {client_id: o.clientId},
		clientAuth: oauth.None(),
		staticServer: {issuer, authorization_endpoint: o.authorizeUrl, token_endpoint: o.tokenUrl},
		discover: false,
		allowInsecure: isLoopbackUrl(o.authorizeUrl) && isLoopbackUrl(o.tokenUrl),
		redirect: {ports: [port], host: o.redirectHost, path: o.redirectPath},
		pasteRedirectUri: o.pasteRedirectUri,
		scope: o.scopes.join(' '),
		authorizeParams: o.authorizeParams,
		verifierBytes: 32,
		stateBytes: 32,
		exchangeIncludesState: true,
		browserHosts: [new URL(o.authorizeUrl).hostname],
		tokenFetch: (base) => claudeTokenFetch(base) as never,
		loginAgainErrors: ['invalid_grant'],
		deviceWarning: OPENAI_DEVICE.warning,
	};
}

/** The options every oauth4webapi call gets: the provider's fetch hook, http only for loopback, a timeout. */
export function requestOptions(
	setup: OAuthSetup,
	fetchImpl: FetchLike,
	signal?: AbortSignal,
	timeoutMs = 30_000,
): oauth.HttpRequestOptions<'POST', URLSearchParams> & oauth.HttpRequestOptions<'GET'> {
	const timeout = AbortSignal.timeout(timeoutMs);
	return {
		[oauth.customFetch]: setup.tokenFetch(fetchImpl),
		...(setup.allowInsecure ? {[oauth.allowInsecureRequests]: true} : {}),
		signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
	} as never;
}

/** Discovery for OpenAI (falls back to the static endpoints when the document is unreachable); static for Claude. */
export async function loadServer(setup: OAuthSetup, fetchImpl: FetchLike, signal?: AbortSignal): Promise<oauth.AuthorizationServer> {
	if (!setup.discover) return setup.staticServer;
	const issuer = new URL(setup.staticServer.issuer);
	try {
		const response = await oauth.discoveryRequest(issuer, {...requestOptions(setup, fetchImpl, signal), algorithm: 'oidc'} as oauth.DiscoveryRequestOptions);
		return await oauth.processDiscoveryResponse(issuer, response);
	} catch (error) {
		if (signal?.aborted) throw new TuiError('login cancelled');
		void error;
		return setup.staticServer;
	}
}

/** OpenAI's id_token claim with plan and account id; email is top-level. */
export function openaiAccountInfo(claims: Record<string, unknown> | undefined): {email?: string; plan?: string; accountId?: string} {
	if (!claims) return {};
	const auth = claims[OPENAI_ID_TOKEN.authClaim];
	const authObj = auth && typeof auth === 'object' ? (auth as Record<string, unknown>) : {};
	const str = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);
	return {
		email: str(claims[OPENAI_ID_TOKEN.emailField], 320),
		plan: str(authObj[OPENAI_ID_TOKEN.planField], 64),
		accountId: str(authObj[OPENAI_ID_TOKEN.accountIdField], 128),
	};
}
