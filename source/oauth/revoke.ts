// Token revocation for sign-out. OpenAI: the refresh token at the discovery revocation_endpoint, with the issued
// client; Claude: only where the issuer's metadata lists an endpoint.
import * as oauth from 'oauth4webapi';
import type {OAuthAccount, ProviderId} from '../core/schemas.js';
import type {Env} from '../providers/config-env.js';
import {loadServer, oauthSetup, requestOptions, type FetchLike} from './setup.js';
import {discoverSiwc, postForm, type SiwcServer} from './siwc.js';

export type RevokeResult = {readonly revoked: boolean; readonly reason?: string};

/** Revokes the refresh token (which ends the grant). Never throws; says why when it could not confirm it. */
export async function revokeOAuthAccount(
	provider: ProviderId,
	account: OAuthAccount,
	deps: {readonly env: Env; readonly fetch?: FetchLike; readonly signal?: AbortSignal},
): Promise<RevokeResult> {
	const fetchImpl = deps.fetch ?? globalThis.fetch;
	if (provider === 'openai') {
		try {
			const server = await discoverSiwc(deps.env, fetchImpl, deps.signal);
			const outcome = await revokeSiwc(server, account, fetchImpl, deps.signal);
			return outcome.confirmed ? {revoked: true} : {revoked: false, reason: outcome.reason};
		} catch {
			return {revoked: false, reason: 'could not reach OpenAI'};
		}
	}
	try {
		const setup = oauthSetup(provider, deps.env);
		const as = await loadServer(setup, fetchImpl, deps.signal);
		if (!as.revocation_endpoint) return {revoked: false, reason: 'the provider has no revocation endpoint'};
		const tokens = [account.tokens.refresh, account.tokens.access].filter((t): t is string => Boolean(t));
		let revoked = false;
		for (const token of tokens) {
			const hint = token === account.tokens.refresh ? 'refresh_token' : 'access_token';
			const response = await oauth.revocationRequest(as, setup.client, setup.clientAuth, token, {
				...requestOptions(setup, fetchImpl, deps.signal),
				additionalParameters: {token_type_hint: hint},
			});
			try {
				await oauth.processRevocationResponse(response);
				revoked = true;
			} catch {
				// An already-invalid token is fine: the point is that it no longer works.
			}
		}
		return revoked ? {revoked} : {revoked, reason: 'the provider did not confirm the revocation'};
	} catch {
		return {revoked: false, reason: 'could not reach the provider to revoke the token'};
	}
}

type RevokeOutcome = {readonly confirmed: boolean; readonly reason?: string};

/** Revokes the refresh token (form: token, token_type_hint, client_id); one retry after 300 ms on 5xx or no answer. */
async function revokeSiwc(
	server: SiwcServer,
	account: OAuthAccount,
	fetchImpl: FetchLike,
	signal?: AbortSignal,
): Promise<RevokeOutcome> {
	if (!server.revocationEndpoint) return {confirmed: false, reason: 'OpenAI lists no revocation endpoint'};
	if (!account.tokens.refresh || !account.clientId) return {confirmed: false, reason: 'no refresh token is stored'};
	for (let attempt = 0; attempt < 2; attempt++) {
		if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 300));
		try {
			const response = await postForm(
				server.revocationEndpoint,
				{token: account.tokens.refresh, token_type_hint: 'refresh_token', client_id: account.clientId},
				fetchImpl,
				signal,
			);
			await response.body?.cancel();
			if (response.ok) return {confirmed: true};
			if (response.status < 500) return {confirmed: false, reason: `OpenAI answered HTTP ${response.status}`};
		} catch {
			if (signal?.aborted) break;
		}
	}
	return {confirmed: false, reason: 'OpenAI did not answer'};
}
