// OAuth setup for oauth4webapi: Claude's host-registered client (ChatGPT's sign-in is siwc.ts), built from the
// provider config (which owns every constant).
import * as oauth from 'oauth4webapi';
import {TuiError} from '../core/errors.js';
import type {ProviderId} from '../core/schemas.js';
import {isLoopbackUrl, type Env} from '../providers/config-env.js';
import {claudeConfig, claudeTokenFetch} from '../providers/claude.js';

export type FetchLike = typeof fetch;

export type OAuthSetup = {
	readonly provider: ProviderId;
	readonly client: oauth.Client;
	readonly clientAuth: oauth.ClientAuth;
	readonly staticServer: oauth.AuthorizationServer;
	/** Fetch discovery instead of using staticServer as is. */
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
	/** Refresh error codes that end the login (as does HTTP 401); every other failure is transient. */
	readonly terminalErrors: readonly string[];
};

export function loginCommand(provider: ProviderId): string {
	return `tui auth login --provider ${provider}`;
}

export function oauthSetup(provider: ProviderId, env: Env): OAuthSetup {
	if (provider !== 'claude') throw new TuiError('ChatGPT sign-in does not use this setup');
	const config = claudeConfig(env);
	if (!config.oauth.configured) {
		throw new TuiError(
			'Claude sign-in needs TUI_CLAUDE_OAUTH_CLIENT_ID; the Claude subscription works through Claude Code: use --method claude-code',
		);
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
		terminalErrors: ['invalid_grant', 'invalid_refresh_token', 'token_expired'],
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

/** Discovery when the setup asks for it (falls back to the static endpoints when the document is unreachable). */
export async function loadServer(
	setup: OAuthSetup,
	fetchImpl: FetchLike,
	signal?: AbortSignal,
): Promise<oauth.AuthorizationServer> {
	if (!setup.discover) return setup.staticServer;
	const issuer = new URL(setup.staticServer.issuer);
	try {
		const response = await oauth.discoveryRequest(issuer, {
			...requestOptions(setup, fetchImpl, signal),
			algorithm: 'oidc',
		} as oauth.DiscoveryRequestOptions);
		return await oauth.processDiscoveryResponse(issuer, response);
	} catch (error) {
		if (signal?.aborted) throw new TuiError('login cancelled');
		void error;
		return setup.staticServer;
	}
}
