// `tui auth switch` without an argument: both providers and every account, the active one marked
// "[active]". Enter switches; a adds (the wizard's login step), d removes after y/N, r renames;
// Esc leaves everything unchanged. An unusable account is not switched to silently: it warns and
// offers a new login.
import {withArticle} from '../../../core/text.js';
import {useCallback, useEffect, useLayoutEffect, useReducer, useState, type ReactNode} from 'react';
import {Box, Text} from 'ink';
import {useKeys} from '../../hooks/use-keys.js';
import {PROVIDER_IDS, PROVIDER_NAMES, type ProviderId} from '../../../core/schemas.js';
import {Frame} from '../../components/frame.js';
import {KeyHints} from '../../components/key-hints.js';
import {SelectList, useSelectList, type SelectItem} from '../../components/select-list.js';
import {Spinner} from '../../components/spinner.js';
import {errorMessage, useTask} from '../../hooks/use-task.js';
import {digitIndex, HINTS, isBack, isConfirm, LIST_HINTS, type Hint} from '../../keymap.js';
import {useServices, type SavedAccount} from '../../services.js';
import {useTheme} from '../../theme.js';
import {LoginStep} from '../onboarding/login-step.js';
import type {Need} from '../onboarding/state.js';
import {accountDetails, accountName} from './account-text.js';
import {AccountsProvider, useAccountsApi, type AccountRow, type AccountsApi, type AccountsSnapshot, type SwitchResult} from './accounts-api.js';
import {initialSwitcherState, switcherReducer, type SwitcherMode} from './state.js';
import {TextField, useTextField} from './text-field.js';

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

type Row = {readonly type: 'provider'; readonly provider: ProviderId} | {readonly type: 'account'; readonly row: AccountRow};

export function switcherRows(snapshot: AccountsSnapshot): Row[] {
	const rows: Row[] = [];
	for (const p of snapshot.providers) {
		rows.push({type: 'provider', provider: p.provider});
		for (const row of p.accounts) rows.push({type: 'account', row});
	}
	return rows;
}

function rowItem(entry: Row, snapshot: AccountsSnapshot, now: number): SelectItem<number> & {readonly key: string} {
	if (entry.type === 'provider') {
		const p = snapshot.providers.find((x) => x.provider === entry.provider)!;
		const count = p.accounts.length;
		const description = p.error ? `cannot read: ${p.error}` : count === 0 ? 'no accounts: press a to add one' : `${count} account${count === 1 ? '' : 's'}`;
		return {key: entry.provider, value: 0, label: PROVIDER_NAMES[entry.provider], ...(snapshot.activeProvider === entry.provider ? {tag: 'active provider'} : {}), description};
	}
	const {row} = entry;
	const active = row.fileActive && snapshot.activeProvider === row.provider;
	const tag = active ? 'active' : row.fileActive ? `${PROVIDER_NAMES[row.provider]} default` : undefined;
	return {key: `${row.provider}/${row.id}`, value: 0, label: `  ${row.label}`, ...(tag ? {tag} : {}), description: `  ${accountDetails(row, now)}`};
}

const NEEDS: Readonly<Record<ProviderId, readonly SelectItem<Need>[]>> = {
	openai: [
		{value: 'subscription', label: 'Continue with ChatGPT (Plus or Pro plan)'},
		{value: 'api', label: 'API key'},
	],
	claude: [
		{value: 'subscription', label: 'Claude subscription (through Claude Code)'},
		{value: 'api', label: 'API key'},
	],
};

export function AccountSwitcher({isActive = true, start = 'list', onSwitched, onExit, onAdded}: AccountSwitcherProps) {
	const services = useServices();
	const theme = useTheme();
	const api = useAccountsApi();
	const [state, dispatch] = useReducer(switcherReducer, start, (s: 'list' | 'add') => initialSwitcherState(s));
	const [snapshot, setSnapshot] = useState<AccountsSnapshot | undefined>(undefined);
	const [loadError, setLoadError] = useState<string | undefined>(undefined);
	const [note, setNote] = useState<string | undefined>(undefined);
	const {mode} = state;

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

	const rows = snapshot ? switcherRows(snapshot) : [];
	const now = services.now();
	const items = snapshot ? rows.map((entry, index) => ({...rowItem(entry, snapshot, now), value: index})) : [];
	const initialIndex = Math.max(
		0,
		rows.findIndex((entry) => entry.type === 'account' && entry.row.fileActive && entry.row.provider === snapshot?.activeProvider),
	);
	const list = useSelectList(items, initialIndex);
	// Put the cursor on the active account once the accounts are in. A layout effect, so that no key typed
	// after the list appears can land before the cursor does (and be undone by it).
	const [placed, setPlaced] = useState(false);
	const place = list.setHighlighted;
	useLayoutEffect(() => {
		if (snapshot && !placed) {
			place(initialIndex);
			setPlaced(true);
		}
	}, [snapshot, placed, initialIndex, place]);

	const providerList = useSelectList(
		PROVIDER_IDS.map((provider) => ({value: provider, label: PROVIDER_NAMES[provider]})),
		0,
	);
	const needList = useSelectList(mode.kind === 'add-need' ? NEEDS[mode.provider] : NEEDS.openai, 0);
	const nameField = useTextField('');

	const work = useTask(async (_signal, job: () => Promise<void>) => job());
	const busy = work.state.status === 'running';
	const runJob = (job: () => Promise<void>) => {
		setNote(undefined);
		void work.run(job);
	};

	const switchTo = (provider: ProviderId, id?: string) =>
		runJob(async () => {
			const result = await api.switchTo(provider, id);
			onSwitched(result);
		});

	const choose = (entry: Row) => {
		if (!snapshot) return;
		if (entry.type === 'account') {
			if (entry.row.problem) return dispatch({type: 'warn-unusable', provider: entry.row.provider, row: entry.row, reason: entry.row.problem});
			return switchTo(entry.row.provider, entry.row.id);
		}
		const p = snapshot.providers.find((x) => x.provider === entry.provider)!;
		const active = p.accounts.find((a) => a.fileActive);
		if (!active) return dispatch({type: 'warn-unusable', provider: entry.provider, reason: p.error ?? `${PROVIDER_NAMES[entry.provider]} has no stored account`});
		if (active.problem) return dispatch({type: 'warn-unusable', provider: entry.provider, row: active, reason: active.problem});
		return switchTo(entry.provider);
	};

	const afterLogin = (account: SavedAccount, relogin: boolean) => {
		if (relogin) return switchTo(account.provider, account.id);
		if (state.startedInAdd) return onAdded ? onAdded(account) : onExit();
		// The list comes back only once it holds the new account.
		runJob(async () => {
			await reload();
			setNote(`Added ${accountName(account)}.`);
			setPlaced(false);
			dispatch({type: 'to-list'});
		});
	};

	useKeys(
		(input, key) => {
			if (busy) return;
			switch (mode.kind) {
				case 'list': {
					if (isBack(input, key)) return onExit();
					const highlighted = rows[list.highlighted];
					if (input === 'a') {
						// Preselect the provider of the highlighted row.
						const initial = highlighted ? (highlighted.type === 'provider' ? highlighted.provider : highlighted.row.provider) : undefined;
						providerList.setHighlighted(initial ? PROVIDER_IDS.indexOf(initial) : 0);
						return dispatch({type: 'add', ...(initial ? {initial} : {})});
					}
					if (input === 'd' || input === 'r') {
						if (highlighted?.type !== 'account') return setNote(`Highlight an account to ${input === 'd' ? 'remove' : 'rename'} it.`);
						setNote(undefined);
						if (input === 'r') nameField.set(highlighted.row.label);
						return dispatch({type: input === 'd' ? 'ask-remove' : 'ask-rename', row: highlighted.row});
					}
					// Rows are not numbered here, so a digit must not switch by surprise.
					if (digitIndex(input) !== undefined) return;
					const result = list.handleKey(input, key);
					if (result.handled) setNote(undefined);
					if (result.chosen !== undefined && rows[result.chosen]) choose(rows[result.chosen]!);
					return;
				}
				case 'confirm-remove': {
					if (input === 'y' || input === 'Y') {
						const {row} = mode;
						return runJob(async () => {
							await api.remove(row.provider, row.id);
							await reload();
							setNote(`Removed ${accountName(row)}.`);
							dispatch({type: 'to-list'});
						});
					}
					if (input === 'n' || input === 'N' || isBack(input, key) || isConfirm(input, key)) {
						setNote(`Kept ${accountName(mode.row)}.`);
						dispatch({type: 'back'});
					}
					return;
				}
				case 'rename': {
					if (isBack(input, key)) return dispatch({type: 'back'});
					const result = nameField.handleKey(input, key);
					if (result.handled) setNote(undefined);
					if (result.submitted === undefined) return;
					const {row} = mode;
					const label = result.submitted;
					if (label === row.label) return dispatch({type: 'back'});
					return runJob(async () => {
						try {
							await api.rename(row.provider, row.id, label);
						} catch (error) {
							setNote(errorMessage(error));
							return;
						}
						await reload();
						setNote(`Renamed ${accountName(row)} to ${JSON.stringify(label)}.`);
						dispatch({type: 'to-list'});
					});
				}
				case 'unusable': {
					if (isBack(input, key) || input === 'n' || input === 'N') return dispatch({type: 'back'});
					if (input === 'l' || isConfirm(input, key)) return dispatch({type: 'relogin'});
					if (input === 's') return switchTo(mode.provider, mode.row?.id);
					return;
				}
				case 'add-provider': {
					if (isBack(input, key)) return state.startedInAdd ? onExit() : dispatch({type: 'back'});
					const result = providerList.handleKey(input, key);
					if (result.chosen) {
						needList.setHighlighted(0);
						dispatch({type: 'provider-chosen', provider: result.chosen});
					}
					return;
				}
				case 'add-need': {
					if (isBack(input, key)) return dispatch({type: 'back'});
					const result = needList.handleKey(input, key);
					if (result.chosen) dispatch({type: 'need-chosen', need: result.chosen});
					return;
				}
				case 'login':
					// The login step has its own (only) useInput while it shows.
					return;
				default: {
					const unreachable: never = mode;
					return unreachable;
				}
			}
		},
		{isActive: isActive && mode.kind !== 'login'},
	);

	if (mode.kind === 'login') {
		return (
			<LoginStep
				key={`${mode.provider}-${mode.need}-${String(mode.relogin)}`}
				isActive={isActive}
				provider={mode.provider}
				need={mode.need}
				onDone={(account) => afterLogin(account, mode.relogin)}
				onBack={() => dispatch({type: 'back'})}
			/>
		);
	}

	let title = 'Accounts';
	let body: ReactNode;
	let hints: readonly Hint[] = [HINTS.select, ['enter', 'switch'], ['a', 'add'], ['d', 'remove'], ['r', 'rename'], ['esc', 'leave unchanged']];
	switch (mode.kind) {
		case 'list':
			body = loadError ? (
				<Text color={theme.danger}>{`✗ ${loadError}`}</Text>
			) : !snapshot ? (
				<Spinner label="Reading accounts…" />
			) : (
				<SelectList items={items} highlighted={list.highlighted} numbered={false} />
			);
			break;
		case 'confirm-remove':
			title = 'Remove account';
			hints = [
				['y', 'remove'],
				['n', 'keep'],
				['esc', 'keep'],
			];
			body = (
				<Box flexDirection="column">
					<Text wrap="wrap">{`Remove ${accountName(mode.row)} (${accountDetails(mode.row, now)})?`}</Text>
					<Text wrap="wrap">{`It is deleted from auth/${mode.row.provider}.json. [y/N]`}</Text>
				</Box>
			);
			break;
		case 'rename':
			title = 'Rename account';
			hints = [
				['enter', 'save'],
				['esc', 'cancel'],
			];
			body = (
				<Box flexDirection="column">
					<Text>{`New label for ${accountName(mode.row)}:`}</Text>
					<TextField label="Label:" value={nameField.value} />
				</Box>
			);
			break;
		case 'unusable':
			title = 'Not usable';
			hints = [
				['enter/l', 'log in again'],
				['s', 'switch anyway'],
				['esc', 'cancel'],
			];
			body = (
				<Box flexDirection="column">
					<Text color={theme.warning} wrap="wrap">{`⚠ ${mode.row ? accountName(mode.row) : PROVIDER_NAMES[mode.provider]}: ${mode.reason}.`}</Text>
					<Text wrap="wrap">Switching there would fail. Log in again?</Text>
				</Box>
			);
			break;
		case 'add-provider':
			title = 'Add an account';
			hints = LIST_HINTS;
			body = (
				<Box flexDirection="column">
					<Text>Which provider?</Text>
					<SelectList items={PROVIDER_IDS.map((provider) => ({value: provider, label: PROVIDER_NAMES[provider]}))} highlighted={providerList.highlighted} />
				</Box>
			);
			break;
		case 'add-need':
			title = `Add ${withArticle(PROVIDER_NAMES[mode.provider])} account`;
			hints = LIST_HINTS;
			body = (
				<Box flexDirection="column">
					<Text>Which kind?</Text>
					<SelectList items={NEEDS[mode.provider]} highlighted={needList.highlighted} />
				</Box>
			);
			break;
		default: {
			const unreachable: never = mode;
			body = unreachable;
		}
	}

	return (
		<Frame
			title={title}
			status={
				<>
					{busy ? <Spinner label="Saving…" /> : null}
					{work.state.status === 'failed' ? <Text color={theme.danger} wrap="wrap">{`✗ ${work.state.error}`}</Text> : null}
				</>
			}
			footer={<KeyHints hints={hints} note={note} />}
		>
			{body}
		</Frame>
	);
}

export type {SwitcherMode};

/** The element, built here so commands need not import('react') (a split bundle gives CJS modules only a default export). */
export function accountSwitcherElement({accounts, ...props}: AccountSwitcherProps & {readonly accounts?: AccountsApi}) {
	const screen = <AccountSwitcher {...props} />;
	return accounts ? <AccountsProvider api={accounts}>{screen}</AccountsProvider> : screen;
}
