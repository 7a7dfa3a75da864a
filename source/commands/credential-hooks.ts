// Hooks the OAuth engine plugs into the account commands. Until it lands they are absent, and the
// commands behave accordingly (an expiring token is reported "run tui auth login"; logout removes locally only).
// Keep these functions synchronous and import nothing heavy at module level: `auth status` / `auth token`
// load this file on their hot path. Return lazy wrappers that import() the OAuth code when first called.
import type {Account, ProviderId} from '../core/schemas.js';
import type {Env} from '../providers/config-env.js';
import type {RefreshOAuthAccount} from '../store/discovery.js';

/** Revokes a removed account's credential at the provider, best effort; throws a one-line, secret-free error. */
export type RevokeAccount = (account: Account, context: {readonly provider: ProviderId; readonly home: string; readonly env: Env; readonly signal: AbortSignal}) => Promise<void>;

/** OAuth engineer: return the token refresher here (see RefreshOAuthAccount in store/discovery.ts). */
export function refreshHook(): RefreshOAuthAccount | undefined {
	return undefined;
}

/** OAuth engineer: return the revoker here; `tui auth logout` calls it after removing each account. */
export function revokeHook(): RevokeAccount | undefined {
	return undefined;
}
