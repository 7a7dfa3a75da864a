// The AccountsApi as a small context of its own: a screen uses the one provided above it, else the one in
// Services. It never builds one over the store itself.
import {createContext, useContext, type ReactNode} from 'react';
import type {AccountsApi} from '../../../app/accounts.js';
import {useServices} from '../../services.js';

export type {AccountRow, AccountsApi, AccountsSnapshot, ProviderAccounts, SwitchResult} from '../../../app/accounts.js';

const AccountsContext = createContext<AccountsApi | undefined>(undefined);

export function AccountsProvider({api, children}: {readonly api: AccountsApi; readonly children?: ReactNode}) {
	return <AccountsContext.Provider value={api}>{children}</AccountsContext.Provider>;
}

/** The provided AccountsApi, else the one in Services. */
export function useAccountsApi(): AccountsApi {
	const provided = useContext(AccountsContext);
	const {accounts} = useServices();
	return provided ?? accounts;
}
