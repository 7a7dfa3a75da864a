// How an account is described on one line: kind, plan, …last4, expiry or "needs login", last used.
import {formatDuration} from '../../../core/quota.js';
import {PROVIDER_NAMES} from '../../../core/schemas.js';
import {findTier} from '../../../core/tiers.js';
import type {SavedAccount} from '../../services.js';
import type {AccountRow} from '../../../app/accounts.js';

export function ago(iso: string | undefined, now: number): string {
	if (!iso) return 'never used';
	const at = Date.parse(iso);
	if (!Number.isFinite(at)) return 'never used';
	const ms = now - at;
	return ms < 60_000 ? 'used just now' : `used ${formatDuration(ms)} ago`;
}

function expiry(row: AccountRow, now: number): string | undefined {
	if (row.expiresAt === undefined) return undefined;
	const left = row.expiresAt - now;
	if (left <= 0) return 'token expired, refreshes on use';
	return `token expires in ${formatDuration(left)}`;
}

/** "api-key · …abcd · used 3 h ago", "oauth · plus · token expires in 2 d · never used". */
export function accountDetails(row: AccountRow, now: number): string {
	const parts: string[] = [row.kind === 'delegated' ? `delegated to ${row.tool ?? '?'}` : row.kind];
	if (row.plan) parts.push(row.plan);
	if (row.keyLast4) parts.push(row.keyLast4);
	if (row.problem) parts.push(row.problem);
	else {
		const exp = expiry(row, now);
		if (exp) parts.push(exp);
	}
	parts.push(ago(row.lastUsedAt, now));
	return parts.join(' · ');
}

/** "Claude / work". */
export function accountName(row: Pick<AccountRow, 'provider' | 'label'>): string {
	return `${PROVIDER_NAMES[row.provider]} / ${row.label}`;
}

/** What a finished sign-in says: "Signed in as me@example.com (Plus)", "Saved the OpenAI API key "api-key"". */
export function signedInLine(account: SavedAccount): string {
	if (account.kind === 'api-key') return `Saved the ${PROVIDER_NAMES[account.provider]} API key "${account.label}"`;
	const plan = account.plan ? ` (${findTier(account.provider, account.plan)?.name ?? account.plan})` : '';
	return `Signed in as ${account.email ?? account.label}${plan}`;
}
