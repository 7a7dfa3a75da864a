// An account as it may be shown (`tui auth status`, the library's accounts): no key, no token; and how an
// account is named in reasons.
import type {Account} from '../core/schemas.js';
import {isoTime} from '../core/clock.js';
import {lastFour} from '../core/text.js';

/** An account as it may be shown: no key, no token. */
export type PublicAccount = {
	readonly id: string;
	readonly label: string;
	readonly kind: Account['kind'];
	readonly active: boolean;
	readonly createdAt: string;
	readonly lastUsedAt?: string;
	/** "…abcd" for api-key accounts. */
	readonly key?: string;
	readonly plan?: string;
	readonly email?: string;
	readonly accountId?: string;
	/** ISO time the OAuth access token expires. */
	readonly expiresAt?: string;
	readonly needsLogin?: string;
	/** ChatGPT: plan usage was granted at sign-in. */
	readonly planEnabled?: boolean;
	/** ISO time the current token or key was issued (sign-in, refresh, rotation). */
	readonly credentialSince?: string;
	/** The external tool of a delegated account. */
	readonly tool?: string;
};

export function publicAccount(account: Account, activeId: string | null): PublicAccount {
	const since = credentialSince(account);
	const base = {
		id: account.id,
		label: account.label,
		kind: account.kind,
		active: account.id === activeId,
		createdAt: account.createdAt,
		...(account.lastUsedAt ? {lastUsedAt: account.lastUsedAt} : {}),
		...(since !== undefined ? {credentialSince: isoTime(since)} : {}),
	};
	switch (account.kind) {
		case 'api-key':
			return {...base, key: lastFour(account.key), ...(account.needsLogin ? {needsLogin: account.needsLogin} : {})};
		case 'oauth':
			return {
				...base,
				...(account.plan ? {plan: account.plan} : {}),
				...(account.email ? {email: account.email} : {}),
				...(account.accountId ? {accountId: account.accountId} : {}),
				expiresAt: isoTime(account.tokens.expiresAt),
				...(account.needsLogin ? {needsLogin: account.needsLogin} : {}),
				...(account.planEnabled !== undefined ? {planEnabled: account.planEnabled} : {}),
			};
		case 'delegated':
			return {
				...base,
				tool: account.tool,
				...(account.plan ? {plan: account.plan} : {}),
				...(account.email ? {email: account.email} : {}),
			};
	}
}

/** `"work" (oauth, plus)`: how an account is named in reasons. Labels are pattern-checked, JSON quoting is belt and braces. */
export function describeAccount(account: Account): string {
	const extra =
		account.kind === 'api-key'
			? `api-key ${lastFour(account.key)}`
			: account.kind === 'oauth'
				? ['oauth', account.plan].filter(Boolean).join(', ')
				: `delegated to ${account.tool}`;
	return `${JSON.stringify(account.label)} (${extra})`;
}

/** When the account's current token was issued: a provider's 401 reported before it does not count against it. */
export function credentialSince(account: Account): number | undefined {
	const at =
		account.kind === 'oauth'
			? (account.tokens.refreshedAt ?? Date.parse(account.createdAt))
			: account.kind === 'api-key'
				? Date.parse(account.rotatedAt ?? account.createdAt)
				: undefined;
	return at !== undefined && Number.isFinite(at) ? at : undefined;
}
