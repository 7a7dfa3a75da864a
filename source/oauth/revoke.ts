// Token revocation for sign-out. OpenAI: the refresh token at the discovery revocation_endpoint, with the issued
// client; Claude: only where the issuer's metadata lists an endpoint.
import * as oauth from 'oauth4webapi';
import type {OAuthAccount, ProviderId} from '../core/schemas.js';
import type {Env} from '../providers/config-env.js';
import {loadServer, oauthSetup, requestOptions, type FetchLike} from './setup.js';
import {discoverSiwc, revokeSiwc} from './siwc.js';

export type RevokeResult = {readonly revoked: boolean; readonly reason?: string};

/** Revokes the refresh token (which ends the grant). Never throws; says why when it could not confirm it. */
export async function revokeOAuthAccount(provider: ProviderId, account: OAuthAccount, deps: {readonly env: Env; readonly fetch?: FetchLike; readonly signal?: AbortSignal}): Promise<RevokeResult> {
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
			const response = await oauth.revocationRequest(as, setup.client, setup.clientAuth, token, {...requestOptions(setup, fetchImpl, deps.signal), additionalParameters: {token_type_hint: hint}});
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
