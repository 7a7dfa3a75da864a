// `tui auth switch` without an argument: both providers and every account, the active one marked
// "[active]". Enter switches; a adds (the wizard's login step), d removes after y/N, r renames;
// Esc leaves everything unchanged. An unusable account is not switched to silently: it warns and
// offers a new login. The modes are switcherReducer's; each one is its own component with its own keys.
import {useCallback, useEffect, useLayoutEffect, useReducer, useState} from 'react';
import {Text} from 'ink';
import {PROVIDER_NAMES, type ProviderId} from '../../../core/schemas.js';
import {useSelectList} from '../../components/select-list.js';
import {Spinner} from '../../components/spinner.js';
import {errorMessage, useTask} from '../../hooks/use-task.js';
import {useServices, type SavedAccount} from '../../services.js';
import {useTheme} from '../../theme.js';
import {LoginStep} from '../onboarding/login-step.js';
import {accountName} from './account-text.js';
import {
	AccountsProvider,
	useAccountsApi,
	type AccountRow,
	type AccountsApi,
	type AccountsSnapshot,
	type SwitchResult,
} from './accounts-api.js';
import {AddNeed, AddProvider} from './add-account-modes.js';
import {initialSwitcherState, switcherReducer, type SwitcherMode} from './state.js';
import type {SwitcherShell} from './switcher-frame.js';
import {activeRowIndex, SwitcherList, switcherItems, switcherRows, type Row} from './switcher-list.js';
import {ConfirmRemove, RenameAccount, UnusableAccount} from './switcher-modes.js';

export {switcherRows} from './switcher-list.js';
export type {SwitcherMode};

export type AccountSwitcherProps = {
	readonly isActive?: boolean;
	/** 'add' opens straight into "add account" (the home menu's entry). */
	readonly start?: 'list' | 'add';
	readonly onSwitched: (result: SwitchResult) => void;
	/** Esc from the list (nothing changed by it), or an add started with start 'add' finished without onAdded. */
	readonly onExit: () => void;
	/** An add started with start 'add' stored this account. */
	readonly onAdded?: (account: SavedAccount) => void;
};

/** The accounts as last read, re-read after each change. */
function useSnapshot(api: AccountsApi) {
	const [snapshot, setSnapshot] = useState<AccountsSnapshot | undefined>(undefined);
	const [loadError, setLoadError] = useState<string | undefined>(undefined);
	const reload = useCallback(async () => {
		try {
			setSnapshot(await api.list());
			setLoadError(undefined);
		} catch (error) {
			setLoadError(errorMessage(error));
		}
	}, [api]);
	useEffect(() => {
		void reload();
	}, [reload]);
	return {snapshot, loadError, reload};
}

export function AccountSwitcher({isActive = true, start = 'list', onSwitched, onExit, onAdded}: AccountSwitcherProps) {
	const services = useServices();
	const theme = useTheme();
	const api = useAccountsApi();
	const [state, dispatch] = useReducer(switcherReducer, start, (s: 'list' | 'add') => initialSwitcherState(s));
	const {snapshot, loadError, reload} = useSnapshot(api);
	const [note, setNote] = useState<string | undefined>(undefined);
	const {mode} = state;

	const rows = snapshot ? switcherRows(snapshot) : [];
	const items = switcherItems(rows, snapshot, services.now());
	const initialIndex = activeRowIndex(rows, snapshot);
	const list = useSelectList(items, initialIndex);
	// Put the cursor on the active account once the accounts are in. A layout effect, so that no key typed
	// after the list appears (or held while it was read) can land before the cursor does.
	const [placed, setPlaced] = useState(false);
	const place = list.setHighlighted;
	useLayoutEffect(() => {
		if (snapshot && !placed) {
			place(initialIndex);
			setPlaced(true);
		}
	}, [snapshot, placed, initialIndex, place]);

	const work = useTask(async (_signal, job: () => Promise<void>) => job());
	const busy = work.state.status === 'running';
	const runJob = (job: () => Promise<void>) => {
		setNote(undefined);
		void work.run(job);
	};
	/** After a change: the list again, holding what changed, with a note saying so. */
	const backToList = async (said: string) => {
		await reload();
		setNote(said);
		dispatch({type: 'to-list'});
	};

	const switchTo = (provider: ProviderId, id?: string) =>
		runJob(async () => {
			onSwitched(await api.switchTo(provider, id));
		});

	const choose = (entry: Row) => {
		if (!snapshot) return;
		if (entry.type === 'account') {
			if (entry.row.problem)
				return dispatch({
					type: 'warn-unusable',
					provider: entry.row.provider,
					row: entry.row,
					reason: entry.row.problem,
				});
			return switchTo(entry.row.provider, entry.row.id);
		}
		const p = snapshot.providers.find((x) => x.provider === entry.provider)!;
		const active = p.accounts.find((a) => a.fileActive);
		if (!active)
			return dispatch({
				type: 'warn-unusable',
				provider: entry.provider,
				reason: p.error ?? `${PROVIDER_NAMES[entry.provider]} has no stored account`,
			});
		if (active.problem)
			return dispatch({type: 'warn-unusable', provider: entry.provider, row: active, reason: active.problem});
		return switchTo(entry.provider);
	};

	const remove = (row: AccountRow) =>
		runJob(async () => {
			await api.remove(row.provider, row.id);
			await backToList(`Removed ${accountName(row)}.`);
		});

	const rename = (row: AccountRow, label: string) =>
		runJob(async () => {
			try {
				await api.rename(row.provider, row.id, label);
			} catch (error) {
				// Refused (e.g. a label in use): say why and stay on the field.
				setNote(errorMessage(error));
				return;
			}
			await backToList(`Renamed ${accountName(row)} to ${JSON.stringify(label)}.`);
		});

	const afterLogin = (account: SavedAccount, relogin: boolean) => {
		if (relogin) return switchTo(account.provider, account.id);
		if (state.startedInAdd) return onAdded ? onAdded(account) : onExit();
		// The list comes back only once it holds the new account, the cursor on the active one again.
		runJob(async () => {
			await backToList(`Added ${accountName(account)}.`);
			setPlaced(false);
		});
	};

	const shell: SwitcherShell = {
		busy,
		status: (
			<>
				{busy ? <Spinner label="Saving…" /> : null}
				{work.state.status === 'failed' ? (
					<Text color={theme.danger} wrap="wrap">{`✗ ${work.state.error}`}</Text>
				) : null}
			</>
		),
		note,
		setNote,
	};
	const back = () => dispatch({type: 'back'});

	switch (mode.kind) {
		case 'list':
			return (
				<SwitcherList
					isActive={isActive}
					shell={shell}
					snapshot={snapshot}
					loadError={loadError}
					rows={rows}
					items={items}
					list={list}
					onExit={onExit}
					onAdd={(initial) => dispatch({type: 'add', ...(initial ? {initial} : {})})}
					onAsk={(what, row) => dispatch({type: what === 'remove' ? 'ask-remove' : 'ask-rename', row})}
					onChoose={choose}
				/>
			);
		case 'confirm-remove':
			return (
				<ConfirmRemove
					isActive={isActive}
					shell={shell}
					row={mode.row}
					onRemove={() => remove(mode.row)}
					onKeep={() => {
						setNote(`Kept ${accountName(mode.row)}.`);
						back();
					}}
				/>
			);
		case 'rename':
			return (
				<RenameAccount
					isActive={isActive}
					shell={shell}
					row={mode.row}
					onRename={(label) => rename(mode.row, label)}
					onCancel={back}
				/>
			);
		case 'unusable':
			return (
				<UnusableAccount
					isActive={isActive}
					shell={shell}
					provider={mode.provider}
					row={mode.row}
					reason={mode.reason}
					onRelogin={() => dispatch({type: 'relogin'})}
					onSwitchAnyway={() => switchTo(mode.provider, mode.row?.id)}
					onCancel={back}
				/>
			);
		case 'add-provider':
			return (
				<AddProvider
					isActive={isActive}
					shell={shell}
					initial={mode.initial}
					onChosen={(provider) => dispatch({type: 'provider-chosen', provider})}
					onBack={state.startedInAdd ? onExit : back}
				/>
			);
		case 'add-need':
			return (
				<AddNeed
					isActive={isActive}
					shell={shell}
					provider={mode.provider}
					initial={mode.initial}
					onChosen={(need) => dispatch({type: 'need-chosen', need})}
					onBack={back}
				/>
			);
		case 'login':
			return (
				<LoginStep
					key={`${mode.provider}-${mode.need}-${String(mode.relogin)}`}
					isActive={isActive}
					provider={mode.provider}
					need={mode.need}
					onDone={(account) => afterLogin(account, mode.relogin)}
					onBack={back}
				/>
			);
		default: {
			const unreachable: never = mode;
			return unreachable;
		}
	}
}

/** The element, built here so commands need not import('react') (a split bundle gives CJS modules only a default export). */
export function accountSwitcherElement({accounts, ...props}: AccountSwitcherProps & {readonly accounts?: AccountsApi}) {
	const screen = <AccountSwitcher {...props} />;
	return accounts ? <AccountsProvider api={accounts}>{screen}</AccountsProvider> : screen;
}
