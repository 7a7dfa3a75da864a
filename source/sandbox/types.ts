// What tests read and flip on a running sandbox.

export type SandboxStats = {
	/** Every POST that reached the OpenAI-shaped token endpoint (/api/accounts/oauth/token). */
	tokenRequests: number;
	/** grant_type=authorization_code there. */
	codeExchanges: number;
	/** grant_type=refresh_token there. */
	refreshRequests: number;
	/** Refresh requests that presented an already-rotated refresh token (the family was revoked). */
	refreshReuse: number;
	/** POSTs to the OpenAI revocation endpoint. */
	revocations: number;
	/** GETs of /api/accounts/authorize, and the registrations (client_id=dynamic_agent_client) approved. */
	openaiAuthorizeRequests: number;
	openaiRegistrations: number;
	/** Re-authorizations with an issued client that still sent agent_name_hint (the docs want it omitted). */
	openaiAgentNameOnReauth: number;
	/** Requests to the Claude-shaped token endpoint, by grant. */
	claudeCodeExchanges: number;
	claudeRefreshRequests: number;
	claudeRefreshReuse: number;
	/** Requests to either usage endpoint. */
	usageRequests: number;
	/** Requests to either /v1/models. */
	modelsRequests: number;
};

export type SandboxFaults = {
	/** Rotate the refresh token, then destroy the socket before the response is sent (both token endpoints). */
	dropConnectionAfterRefresh?: boolean;
	/** Both usage endpoints answer with this status (and an error body) instead of the usage. */
	usageStatus?: number;
	/** Both usage endpoints answer 200 with this body; a string is sent as is (for malformed JSON). */
	usageBody?: unknown;
	/** OpenAI knobs (SIWC): the grant leaves out chatgpt.tokens.use.direct (identity only). */
	openaiIdentityOnly?: boolean;
	/** The authorize request ends in error=access_denied (consent declined). */
	openaiDeclineConsent?: boolean;
	/** A registration callback without client_id. */
	openaiOmitClientId?: boolean;
	/** A re-authorization callback that names this client_id. */
	openaiReauthClientId?: string;
	/** A re-authorization signs in someone else (another sub). */
	openaiOtherSub?: boolean;
	/** The callback carries this `iss`. */
	openaiCallbackIss?: string;
	/** Refresh answers this status (503: temporarily_unavailable), with an HTML body if openaiRefreshHtml. */
	openaiRefreshStatus?: number;
	openaiRefreshHtml?: boolean;
	/** The ID token's aud is a one-element array. */
	openaiAudArray?: boolean;
	/** Discovery names another issuer; or lists no revocation endpoint. */
	openaiIssuerMismatch?: boolean;
	openaiNoRevocation?: boolean;
	/** Revocation answers this status. */
	openaiRevocationStatus?: number;
	/** JWKS answers this status. */
	openaiJwksStatus?: number;
	/** Added to the sandbox's clock (refresh-token lifetime, token expiry). */
	openaiClockOffsetMs?: number;
	/** /v1/responses: 429 usage limit before the stream, or as response.failed mid-stream; 403 ineligible plan. */
	openaiUsageLimit?: boolean;
	openaiUsageLimitMidStream?: boolean;
	openaiIneligible?: boolean;
	/** The user disconnected the app in ChatGPT settings: every plan token answers 401, silently. */
	openaiDisconnected?: boolean;
	/** Both /v1/models endpoints answer with this status (e.g. 429, 500, 529). */
	modelsStatus?: number;
};

/** One request as it reached the OpenAI side (tests assert exact parameter sets; never printed). */
export type WireRecord = {
	readonly endpoint: 'authorize' | 'token' | 'revoke';
	readonly params: Readonly<Record<string, string>>;
};

export function emptyStats(): SandboxStats {
	return {
		tokenRequests: 0,
		codeExchanges: 0,
		refreshRequests: 0,
		refreshReuse: 0,
		revocations: 0,
		openaiAuthorizeRequests: 0,
		openaiRegistrations: 0,
		openaiAgentNameOnReauth: 0,
		claudeCodeExchanges: 0,
		claudeRefreshRequests: 0,
		claudeRefreshReuse: 0,
		usageRequests: 0,
		modelsRequests: 0,
	};
}
