export {AccountSwitcher, type AccountSwitcherProps} from './account-switcher.js';
export {
	AccountsProvider,
	useAccountsApi,
	type AccountRow,
	type AccountsApi,
	type AccountsSnapshot,
	type SwitchResult,
} from './accounts-api.js';
