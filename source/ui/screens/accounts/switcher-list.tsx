// The switcher's list: both providers and every account under them, the active one marked. Enter switches,
// a adds, d removes, r renames, Esc leaves unchanged. Keys typed while the accounts are read are kept
// for the list (useHoldKeys), so none is lost to a handler that has no rows yet.
import {Text} from 'ink';
import {PROVIDER_NAMES, type ProviderId} from '../../../core/schemas.js';
import {SelectList, type SelectItem, type SelectListState} from '../../components/select-list.js';
import {Spinner} from '../../components/spinner.js';
import {useHoldKeys} from '../../hooks/use-keys.js';
import {digitIndex, HINTS, isBack, type Hint} from '../../keymap.js';
import {useTheme} from '../../theme.js';
import {accountDetails} from './account-text.js';
import type {AccountRow, AccountsSnapshot} from './accounts-api.js';
import {SwitcherFrame, useModeKeys, type SwitcherShell} from './switcher-frame.js';

export type Row =
	{readonly type: 'provider'; readonly provider: ProviderId} | {readonly type: 'account'; readonly row: AccountRow};

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
		const description = p.error
			? `cannot read: ${p.error}`
			: count === 0
				? 'no accounts: press a to add one'
				: `${count} account${count === 1 ? '' : 's'}`;
		return {
			key: entry.provider,
			value: 0,
			label: PROVIDER_NAMES[entry.provider],
			...(snapshot.activeProvider === entry.provider ? {tag: 'active provider'} : {}),
			description,
		};
	}
	const {row} = entry;
	const active = row.fileActive && snapshot.activeProvider === row.provider;
	const tag = active ? 'active' : row.fileActive ? `${PROVIDER_NAMES[row.provider]} default` : undefined;
	return {
		key: `${row.provider}/${row.id}`,
		value: 0,
		label: `  ${row.label}`,
		...(tag ? {tag} : {}),
		description: `  ${accountDetails(row, now)}`,
	};
}

/** The list's items, each valued by its row index. */
export function switcherItems(
	rows: readonly Row[],
	snapshot: AccountsSnapshot | undefined,
	now: number,
): SelectItem<number>[] {
	return snapshot ? rows.map((entry, index) => ({...rowItem(entry, snapshot, now), value: index})) : [];
}

/** The active account's row, where the cursor starts. */
export function activeRowIndex(rows: readonly Row[], snapshot: AccountsSnapshot | undefined): number {
	return Math.max(
		0,
		rows.findIndex(
			(entry) => entry.type === 'account' && entry.row.fileActive && entry.row.provider === snapshot?.activeProvider,
		),
	);
}

const LIST_KEYS: readonly Hint[] = [
	HINTS.select,
	['enter', 'switch'],
	['a', 'add'],
	['d', 'remove'],
	['r', 'rename'],
	['esc', 'leave unchanged'],
];

export function SwitcherList({
	isActive,
	shell,
	snapshot,
	loadError,
	rows,
	items,
	list,
	onExit,
	onAdd,
	onAsk,
	onChoose,
}: {
	readonly isActive: boolean;
	readonly shell: SwitcherShell;
	readonly snapshot: AccountsSnapshot | undefined;
	readonly loadError: string | undefined;
	readonly rows: readonly Row[];
	readonly items: readonly SelectItem<number>[];
	readonly list: SelectListState<number>;
	readonly onExit: () => void;
	/** `a`, with the provider of the highlighted row. */
	readonly onAdd: (initial: ProviderId | undefined) => void;
	readonly onAsk: (what: 'remove' | 'rename', row: AccountRow) => void;
	readonly onChoose: (row: Row) => void;
}) {
	const theme = useTheme();
	const loading = !snapshot && !loadError;
	useHoldKeys(isActive && loading);
	useModeKeys(shell, isActive && !loading, (input, key) => {
		if (isBack(input, key)) return onExit();
		const highlighted = rows[list.highlighted];
		if (input === 'a')
			return onAdd(
				highlighted ? (highlighted.type === 'provider' ? highlighted.provider : highlighted.row.provider) : undefined,
			);
		if (input === 'd' || input === 'r') {
			const what = input === 'd' ? 'remove' : 'rename';
			if (highlighted?.type !== 'account') return shell.setNote(`Highlight an account to ${what} it.`);
			shell.setNote(undefined);
			return onAsk(what, highlighted.row);
		}
		// Rows are not numbered here, so a digit must not switch by surprise.
		if (digitIndex(input) !== undefined) return;
		const result = list.handleKey(input, key);
		if (result.handled) shell.setNote(undefined);
		if (result.chosen !== undefined && rows[result.chosen]) onChoose(rows[result.chosen]!);
	});
	return (
		<SwitcherFrame shell={shell} title="Accounts" hints={LIST_KEYS}>
			{loadError ? (
				<Text color={theme.danger}>{`✗ ${loadError}`}</Text>
			) : !snapshot ? (
				<Spinner label="Reading accounts…" />
			) : (
				<SelectList items={items} highlighted={list.highlighted} numbered={false} />
			)}
		</SwitcherFrame>
	);
}
