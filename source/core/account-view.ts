// One view of a stored account for everything outside the store, never its secret, with named projections:
// accountView (who it is: what a sign-in or a saved key reports) and accountRow (what the account list shows).
import {lastFour, needsLoginReason} from './text.js';
import type {Account, ProviderId} from './schemas.js';

/** Who an account is: provider, id, label, kind, and for a sign-in its plan and email. */
export type AccountView = {
	readonly provider: ProviderId;
	readonly id: string;
	readonly label: string;
	readonly kind: Account['kind'];
	readonly plan?: string;
	readonly email?: string;
};

/** The view as the account list shows it: never the secret, only …last4 of a key. */
export type AccountRow = AccountView & {
	/** Active in its provider's auth file. */
	readonly fileActive: boolean;
	readonly keyLast4?: string;
	/** Epoch ms the OAuth access token expires. */
	readonly expiresAt?: number;
	readonly lastUsedAt?: string;
	readonly tool?: string;
	/** ChatGPT: plan usage was granted at sign-in. */
	readonly planEnabled?: boolean;
	/** Why it cannot be used now (needs login, expired without refresh, invalid); undefined when usable. */
	readonly problem?: string;
};

export function accountView(provider: ProviderId, account: Account): AccountView {
	const base = {provider, id: account.id, label: account.label, kind: account.kind};
	if (account.kind === 'api-key') return base;
	return {...base, ...(account.plan ? {plan: account.plan} : {}), ...(account.email ? {email: account.email} : {})};
}

/** Why an OAuth sign-in cannot be used now, if it cannot. */
function oauthProblem(
	provider: ProviderId,
	account: Extract<Account, {kind: 'oauth'}>,
	now: number,
): string | undefined {
	if (account.needsLogin) return `needs login (${needsLoginReason(account.needsLogin)})`;
	// A ChatGPT login from the retired Codex-client flow has no issued client.
	if (provider === 'openai' && !account.clientId) return 'needs a new sign-in (Continue with ChatGPT)';
	if (account.tokens.expiresAt <= now && !account.tokens.refresh) return 'expired and cannot be refreshed: needs login';
	return undefined;
}

export function accountRow(provider: ProviderId, account: Account, activeId: string | null, now: number): AccountRow {
	const base = {
		...accountView(provider, account),
		fileActive: account.id === activeId,
		...(account.lastUsedAt ? {lastUsedAt: account.lastUsedAt} : {}),
	};
	switch (account.kind) {
		case 'api-key':
			return {
				...base,
				keyLast4: lastFour(account.key),
				...(account.needsLogin ? {problem: `invalid key (${needsLoginReason(account.needsLogin)})`} : {}),
			};
		case 'oauth': {
			const problem = oauthProblem(provider, account, now);
			return {
				...base,
				...(account.planEnabled !== undefined ? {planEnabled: account.planEnabled} : {}),
				expiresAt: account.tokens.expiresAt,
				...(problem ? {problem} : {}),
			};
		}
		case 'delegated':
			return {...base, tool: account.tool};
		default: {
			const unreachable: never = account;
			return unreachable;
		}
	}
}
