// The AccountsApi as a small context of its own (services.tsx is another engineer's), with a default
// built on the real store over services.home, so a screen works without a provider above it.
import {createContext, useContext, useMemo, type ReactNode} from 'react';
import {useServices} from '../../services.js';
import {createAccountsApi, type AccountsApi} from './accounts-store.js';

export * from './accounts-store.js';

const AccountsContext = createContext<AccountsApi | undefined>(undefined);

export function AccountsProvider({api, children}: {readonly api: AccountsApi; readonly children?: ReactNode}) {
	return <AccountsContext.Provider value={api}>{children}</AccountsContext.Provider>;
}

/** The provided AccountsApi, else one over the real store in services.home. */
export function useAccountsApi(): AccountsApi {
	const provided = useContext(AccountsContext);
	const {home, now} = useServices();
	return useMemo(() => provided ?? createAccountsApi(home, now), [provided, home, now]);
}
