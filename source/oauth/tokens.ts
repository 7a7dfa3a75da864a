// From a token response to what the auth file stores, and storing a finished login.
import * as oauth from 'oauth4webapi';
import {addAccount, freeLabel, replaceAccount, setActive} from '../core/accounts.js';
import {UsageError} from '../core/errors.js';
import {LABEL_PATTERN, type Account, type OAuthAccount, type OAuthTokens, type ProviderId} from '../core/schemas.js';
import {newAccountId, updateAuthFile} from '../store/auth-file.js';

export type AccountInfo = {readonly email?: string; readonly plan?: string; readonly accountId?: string};

const DEFAULT_TTL_MS = 60 * 60 * 1000;

/** Expiry from expires_in, else the access token's own `exp` (a JWT), else one hour. */
export function tokensFromResponse(
	result: oauth.TokenEndpointResponse,
	nowMs: number,
	previous?: OAuthTokens,
): OAuthTokens {
	let expiresAt = nowMs + DEFAULT_TTL_MS;
	if (typeof result.expires_in === 'number' && result.expires_in > 0) expiresAt = nowMs + result.expires_in * 1000;
	else {
		const exp = jwtExp(result.access_token);
		if (exp) expiresAt = exp * 1000;
	}
	const refresh = result.refresh_token ?? previous?.refresh;
	const idToken = result.id_token ?? previous?.idToken;
	return {
		access: result.access_token,
		...(refresh ? {refresh} : {}),
		...(idToken ? {idToken} : {}),
		expiresAt: Math.floor(expiresAt),
		refreshedAt: Math.floor(nowMs),
	};
}

function jwtExp(token: string): number | undefined {
	const payload = token.split('.')[1];
	if (!payload) return undefined;
	try {
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {exp?: unknown};
		return typeof claims.exp === 'number' ? claims.exp : undefined;
	} catch {
		return undefined;
	}
}

/** Email and organization from Claude's token response (`account`, `organization`). */
export function accountInfoFromResponse(_provider: ProviderId, result: oauth.TokenEndpointResponse): AccountInfo {
	const account = result.account as {email_address?: unknown} | undefined;
	const org = result.organization as {uuid?: unknown} | undefined;
	const email =
		typeof account?.email_address === 'string' && account.email_address.length <= 320
			? account.email_address
			: undefined;
	const accountId = typeof org?.uuid === 'string' && org.uuid.length <= 128 ? org.uuid : undefined;
	return {...(email ? {email} : {}), ...(accountId ? {accountId} : {})};
}

/** The account as callers may print it: no tokens. */
export function withoutSecrets(account: Account): Omit<Account, 'tokens' | 'key'> {
	const {tokens: _t, key: _k, ...rest} = account as Account & {tokens?: unknown; key?: unknown};
	return rest as Omit<Account, 'tokens' | 'key'>;
}

function defaultLabel(provider: ProviderId, info: AccountInfo): string {
	if (info.email && LABEL_PATTERN.test(info.email)) return info.email;
	return provider;
}

/**
 * Stores a finished login under the auth-file lock. The same provider account (same account id and email)
 * logging in again gets its tokens replaced (and needsLogin cleared), so a re-login does not create a twin;
 * a label held by a different account is refused rather than overwritten.
 */
export async function storeOAuthLogin(
	home: string,
	provider: ProviderId,
	tokens: OAuthTokens,
	info: AccountInfo,
	options: {readonly label?: string; readonly now: number},
): Promise<OAuthAccount> {
	return updateAuthFile(home, provider, (file) => {
		const known = Boolean(info.email || info.accountId);
		const sameLabel = (a: Account) =>
			options.label !== undefined && a.label.toLowerCase() === options.label.toLowerCase();
		// The same provider account: same email and account id; without either, only an explicit same label counts.
		const same = file.accounts.find(
			(a): a is OAuthAccount =>
				a.kind === 'oauth' &&
				(known ? a.email === info.email && a.accountId === info.accountId : sameLabel(a) && !a.email && !a.accountId),
		);
		if (same) {
			const {needsLogin: _n, ...rest} = same;
			let label = same.label;
			if (options.label && !sameLabel(same)) {
				if (file.accounts.some((a) => a.id !== same.id && sameLabel(a)))
					throw new UsageError(`label ${JSON.stringify(options.label)} is already used by another account`);
				label = options.label;
			}
			const updated: OAuthAccount = {...rest, label, tokens, ...definedOnly(info)};
			// Logging in to an account makes it the active one, as adding does.
			return {file: setActive(replaceAccount(file, updated), updated.id), result: updated};
		}
		const label = options.label ?? freeLabel(file.accounts, defaultLabel(provider, info));
		const {file: next, account} = addAccount(
			file,
			{kind: 'oauth', label, tokens, ...definedOnly(info)},
			{now: options.now, newId: newAccountId},
		);
		return {file: next, result: account as OAuthAccount};
	});
}

function definedOnly(info: AccountInfo): AccountInfo {
	return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as AccountInfo;
}
