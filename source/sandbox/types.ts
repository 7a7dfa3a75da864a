// What tests read and flip on a running sandbox.

export type SandboxStats = {
	/** Every POST that reached the OpenAI-shaped /oauth/token. */
	tokenRequests: number;
	/** grant_type=authorization_code at /oauth/token. */
	codeExchanges: number;
	/** grant_type=refresh_token at /oauth/token. */
	refreshRequests: number;
	/** Refresh requests that presented an already-rotated refresh token (the grant was revoked). */
	refreshReuse: number;
	/** POSTs to /oauth/revoke. */
	revocations: number;
	/** RFC 8628 device authorization requests (POST /oauth/device/code). */
	deviceRequests: number;
	/** grant_type=urn:ietf:params:oauth:grant-type:device_code polls at /oauth/token. */
	devicePolls: number;
	/** Codex's own device flow: user code requests and token polls. */
	codexDeviceRequests: number;
	codexDevicePolls: number;
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
	/** Codex's device-code endpoint answers 404, as when the user has not enabled device login. */
	codexDeviceDisabled?: boolean;
	/** Both /v1/models endpoints answer with this status (e.g. 429, 500, 529). */
	modelsStatus?: number;
};

export function emptyStats(): SandboxStats {
	return {
		tokenRequests: 0,
		codeExchanges: 0,
		refreshRequests: 0,
		refreshReuse: 0,
		revocations: 0,
		deviceRequests: 0,
		devicePolls: 0,
		codexDeviceRequests: 0,
		codexDevicePolls: 0,
		claudeCodeExchanges: 0,
		claudeRefreshRequests: 0,
		claudeRefreshReuse: 0,
		usageRequests: 0,
		modelsRequests: 0,
	};
}
