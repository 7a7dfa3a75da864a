// What the account screens need beyond the shared services: list, switch, remove and rename stored
// accounts, over the real store. No React here, so `tui auth switch PROVIDER/LABEL` stays light.
import {findAccount, removeAccount, renameAccount, setActive} from '../core/accounts.js';
import {UsageError} from '../core/errors.js';
import {PROVIDER_IDS, PROVIDER_NAMES, type Account, type Preferences, type ProviderId} from '../core/schemas.js';
import {safeLine} from '../core/text.js';
import {accountRow, type AccountRow} from '../core/account-view.js';
import {readAuthFile, updateAuthFile} from '../store/auth-file.js';
import {readPreferences, updatePreferences} from '../store/preferences.js';

export type {AccountRow} from '../core/account-view.js';

export type ProviderAccounts = {
	readonly provider: ProviderId;
	readonly accounts: readonly AccountRow[];
	/** The auth file could not be read (e.g. corrupt, moved aside). */
	readonly error?: string;
};

export type AccountsSnapshot = {
	readonly activeProvider?: ProviderId;
	readonly providers: readonly ProviderAccounts[];
	readonly preferences: Preferences;
};

export type SwitchResult = {readonly provider: ProviderId; readonly account?: AccountRow};

export type AccountsApi = {
	list(): Promise<AccountsSnapshot>;
	/** Sets preferences.activeProvider and, given an account, the file's active account. */
	switchTo(provider: ProviderId, idOrLabel?: string): Promise<SwitchResult>;
	remove(provider: ProviderId, id: string): Promise<AccountRow>;
	/** A label another account uses (case-insensitively) is refused with a one-line UsageError. */
	rename(provider: ProviderId, id: string, label: string): Promise<void>;
};

/** "claude/work": the argument form of an account. */
export function accountRef(row: Pick<AccountRow, 'provider' | 'label'>): string {
	return `${row.provider}/${row.label}`;
}

export type AccountsApiOptions = {
	/** Revokes a removed account's credential at the provider, best effort (commands wire revokeHook()). */
	readonly revoke?: (provider: ProviderId, account: Account) => Promise<void>;
};

export function createAccountsApi(
	home: string,
	now: () => number = Date.now,
	options: AccountsApiOptions = {},
): AccountsApi {
	return {
		async list() {
			const preferences = await readPreferences(home);
			const providers = await Promise.all(
				PROVIDER_IDS.map(async (provider): Promise<ProviderAccounts> => {
					try {
						const file = await readAuthFile(home, provider);
						return {
							provider,
							accounts: file.accounts.map((account) => accountRow(provider, account, file.active, now())),
						};
					} catch (error) {
						return {
							provider,
							accounts: [],
							error: safeLine(error instanceof Error ? error.message : String(error), 200),
						};
					}
				}),
			);
			return {
				...(preferences.activeProvider ? {activeProvider: preferences.activeProvider} : {}),
				providers,
				preferences,
			};
		},
		async switchTo(provider, idOrLabel) {
			let account: AccountRow | undefined;
			if (idOrLabel !== undefined) {
				// The file first: a bad label changes nothing, not even the active provider.
				account = await updateAuthFile(home, provider, (file) => {
					const found = findAccount(file, idOrLabel);
					if (!found)
						throw new UsageError(
							`no ${PROVIDER_NAMES[provider]} account ${JSON.stringify(idOrLabel)}; valid: ${file.accounts.map((a) => a.label).join(', ') || 'none stored'}`,
						);
					const next = setActive(file, found.id);
					return {file: next, result: accountRow(provider, found, next.active, now())};
				});
			} else {
				const file = await readAuthFile(home, provider);
				const active = file.accounts.find((a) => a.id === file.active);
				account = active ? accountRow(provider, active, file.active, now()) : undefined;
			}
			await updatePreferences(home, (preferences) => ({...preferences, activeProvider: provider}));
			return {provider, ...(account ? {account} : {})};
		},
		async remove(provider, id) {
			const removed = await updateAuthFile(home, provider, (file) => {
				const after = removeAccount(file, id);
				return {file: after.file, result: after.removed};
			});
			// The account is gone locally either way; a failed revocation must not undo or block that.
			await options.revoke?.(provider, removed).catch(() => undefined);
			return accountRow(provider, removed, null, now());
		},
		async rename(provider, id, label) {
			await updateAuthFile(home, provider, (file) => ({file: renameAccount(file, id, label), result: undefined}));
		},
	};
}
