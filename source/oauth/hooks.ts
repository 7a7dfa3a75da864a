// Ready-made hooks in the shapes app/credential-hooks.ts expects (RefreshOAuthAccount, RevokeAccount),
// so wiring is a re-export. Kept light: the OAuth code loads only when a hook is first called.
import {TuiError} from '../core/errors.js';
import type {Account, OAuthAccount, ProviderId} from '../core/schemas.js';
import type {Env} from '../providers/config-env.js';

/** For resolveCredential's `refresh`: refreshes under the lock if within 5 minutes of expiry, returns the stored account. */
export async function refreshHookImpl(
	account: OAuthAccount,
	context: {readonly provider: ProviderId; readonly home: string; readonly env: Env},
): Promise<OAuthAccount> {
	const {refreshOAuthAccount} = await import('./refresh.js');
	return refreshOAuthAccount(account, context);
}

/**
 * For `tui auth logout`: revokes an OAuth account's refresh token. A ChatGPT sign-in keeps its registration
 * (account → issued client) and this machine's host id, so signing in again under the label re-uses it.
 */
export async function revokeHookImpl(
	account: Account,
	context: {readonly provider: ProviderId; readonly home: string; readonly env: Env; readonly signal: AbortSignal},
): Promise<void> {
	if (account.kind !== 'oauth') return;
	if (context.provider === 'openai' && account.clientId && account.subject && account.issuer) {
		const {keepClient} = await import('../store/host-id.js');
		await keepClient(context.home, {
			issuer: account.issuer,
			clientId: account.clientId,
			subject: account.subject,
			label: account.label,
			...(account.email ? {email: account.email} : {}),
		}).catch(() => {});
	}
	const {revokeOAuthAccount} = await import('./revoke.js');
	const result = await revokeOAuthAccount(context.provider, account, {env: context.env, signal: context.signal});
	if (result.revoked || result.reason === 'the provider has no revocation endpoint') return;
	if (context.provider === 'openai') {
		const {OPENAI_SIWC} = await import('../providers/openai.js');
		throw new TuiError(
			`signed out here, but OpenAI did not confirm the sign-out (${result.reason ?? 'no answer'}); to be sure, ${OPENAI_SIWC.settingsHint}`,
		);
	}
	throw new TuiError(`the token was removed locally but not revoked: ${result.reason ?? 'unknown reason'}`);
}
