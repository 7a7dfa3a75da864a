// Hooks the OAuth engine plugs into the account commands. Kept synchronous and light: `auth status` and
// `auth token` load this file on their hot path, and the OAuth code loads only when a hook is first called.
import type {Account, ProviderId} from '../core/schemas.js';
import type {Env} from '../providers/config-env.js';
import type {RefreshOAuthAccount} from '../store/resolve-credential.js';

/** Revokes a removed account's credential at the provider, best effort; throws a one-line, secret-free error. */
export type RevokeAccount = (
	account: Account,
	context: {readonly provider: ProviderId; readonly home: string; readonly env: Env; readonly signal: AbortSignal},
) => Promise<void>;

export function refreshHook(): RefreshOAuthAccount {
	return async (account, context) => {
		// A token the provider rejected is refreshed even if not near expiry (under the same lock and re-read).
		if (context.force)
			return (await import('../oauth/refresh.js')).refreshIfNeeded(context.provider, account.id, {
				home: context.home,
				env: context.env,
				force: true,
			});
		return (await import('../oauth/hooks.js')).refreshHookImpl(account, context);
	};
}

export function revokeHook(): RevokeAccount {
	return async (account, context) => (await import('../oauth/hooks.js')).revokeHookImpl(account, context);
}
