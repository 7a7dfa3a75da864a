// Ready-made hooks in the shapes commands/credential-hooks.ts expects (RefreshOAuthAccount, RevokeAccount),
// so wiring is a re-export. Kept light: the OAuth code loads only when a hook is first called.
import {TuiError} from '../core/errors.js';
import type {Account, OAuthAccount, ProviderId} from '../core/schemas.js';
import type {Env} from '../providers/config-env.js';

/** For resolveCredential's `refresh`: refreshes under the lock if within 5 minutes of expiry, returns the stored account. */
export async function refreshHookImpl(account: OAuthAccount, context: {readonly provider: ProviderId; readonly home: string; readonly env: Env}): Promise<OAuthAccount> {
	const {refreshOAuthAccount} = await import('./refresh.js');
	return refreshOAuthAccount(account, context);
}

/** For `tui auth logout`: revokes an OAuth account's tokens where the issuer lists a revocation endpoint; other kinds are a no-op. */
export async function revokeHookImpl(account: Account, context: {readonly provider: ProviderId; readonly home: string; readonly env: Env; readonly signal: AbortSignal}): Promise<void> {
	if (account.kind !== 'oauth') return;
	const {revokeOAuthAccount} = await import('./revoke.js');
	const result = await revokeOAuthAccount(context.provider, account, {env: context.env, signal: context.signal});
	if (!result.revoked && result.reason !== 'the provider has no revocation endpoint') throw new TuiError(`the token was removed locally but not revoked: ${result.reason ?? 'unknown reason'}`);
}
