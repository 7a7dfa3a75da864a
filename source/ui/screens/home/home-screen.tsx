// `tui` after onboarding: the active provider and account, the selection decision with its reason,
// a quota line when known, and a menu: Switch, Add account, Fallback preferences, Quota, Log out, Quit.
// Switch, add, fallback and quota open their screens in place (one screen replaces the other in the
// same tree); Esc there comes back here.
import {useCallback, useEffect, useReducer, useState} from 'react';
import {Box, Text, type Key} from 'ink';
import {useKeys} from '../../hooks/use-keys.js';
import {PROVIDER_NAMES} from '../../../core/schemas.js';
import {Frame} from '../../components/frame.js';
import {KeyHints} from '../../components/key-hints.js';
import {SelectList, useSelectList, type SelectItem} from '../../components/select-list.js';
import {Spinner} from '../../components/spinner.js';
import {errorMessage, useTask, type TaskState} from '../../hooks/use-task.js';
import {isBack, isConfirm, LIST_HINTS, type Hint} from '../../keymap.js';
import {useServices} from '../../services.js';
import {useTheme} from '../../theme.js';
import {AccountSwitcher} from '../accounts/account-switcher.js';
import {accountDetails, accountName} from '../accounts/account-text.js';
import {AccountsProvider, useAccountsApi, type AccountRow, type AccountsApi} from '../accounts/accounts-api.js';
import {FallbackPreferences} from '../fallback/fallback-preferences.js';
import {CHATGPT_MANAGE_USAGE_URL, CHATGPT_PLUS_LIMIT_NOTE} from '../../../core/tiers.js';
import {hyperlink} from '../quota/quota-text.js';
import {QuotaScreen, type QuotaScreenProps} from '../quota/quota-screen.js';
import {useTerminalSize} from '../../hooks/use-terminal-size.js';
import type {HomeSummary} from '../../../app/home-summary.js';
import {chatgptAccountLine, homeQuotaLine} from './home-text.js';

export type HomeView =
	| {readonly kind: 'menu'}
	| {readonly kind: 'switch'}
	| {readonly kind: 'add'}
	| {readonly kind: 'fallback'}
	| {readonly kind: 'quota'}
	| {readonly kind: 'confirm-logout'; readonly row: AccountRow};

export type HomeAction =
	| {readonly type: 'open'; readonly view: 'switch' | 'add' | 'fallback' | 'quota'}
	| {readonly type: 'ask-logout'; readonly row: AccountRow}
	| {readonly type: 'back'};

export function homeReducer(view: HomeView, action: HomeAction): HomeView {
	switch (action.type) {
		case 'open':
			return view.kind === 'menu' ? {kind: action.view} : view;
		case 'ask-logout':
			return view.kind === 'menu' ? {kind: 'confirm-logout', row: action.row} : view;
		case 'back':
			return {kind: 'menu'};
		default: {
			const unreachable: never = action;
			return unreachable;
		}
	}
}

export type MenuChoice = 'switch' | 'add' | 'fallback' | 'quota' | 'logout' | 'quit';

export type HomeScreenProps = {
	readonly isActive?: boolean;
	/** The quota screen's data; it then opens in place. Without it (nor onQuota) the entry says to run `tui quota`. */
	readonly quota?: Pick<QuotaScreenProps, 'load' | 'timeZone' | 'intervalMs'>;
	/** Leaves the home screen for a quota screen of the caller's. */
	readonly onQuota?: () => void;
	readonly onExit: () => void;
	/** Defaults to services.loadHomeSummary. */
	readonly loadSummary?: () => Promise<HomeSummary>;
	/** Defaults to removing the account from its auth file (no revocation). */
	readonly logout?: (row: AccountRow) => Promise<void>;
};

export function HomeScreen({isActive = true, quota, onQuota, onExit, loadSummary, logout}: HomeScreenProps) {
	const services = useServices();
	const theme = useTheme();
	const api = useAccountsApi();
	const [view, dispatch] = useReducer(homeReducer, {kind: 'menu'});
	const [summary, setSummary] = useState<HomeSummary | undefined>(undefined);
	const [loadError, setLoadError] = useState<string | undefined>(undefined);
	const [note, setNote] = useState<string | undefined>(undefined);

	const load = useCallback(async () => {
		try {
			setSummary(await (loadSummary ? loadSummary() : services.loadHomeSummary()));
			setLoadError(undefined);
		} catch (error) {
			setLoadError(errorMessage(error));
		}
	}, [loadSummary, services]);
	useEffect(() => {
		if (view.kind === 'menu') void load();
	}, [view.kind, load]);

	const active = summary?.account;
	const items = menuItems(active);
	const menu = useSelectList(items, 0);

	// The one-time notice the first time plan usage is on; acknowledged once, kept in the preferences.
	const [noticeDone, setNoticeDone] = useState(false);
	const noticeOpen = Boolean(summary?.planNotice) && !noticeDone && view.kind === 'menu';
	const acknowledge = useTask(async () => {
		await services.savePreferences((preferences) => ({
			...preferences,
			chatgptPlanNoticeAt: new Date(services.now()).toISOString(),
		}));
		return true;
	});

	const signOut = useTask(async (_signal, row: AccountRow) => {
		await (logout ? logout(row) : api.remove(row.provider, row.id).then(() => undefined));
		return row;
	});

	const back = () => dispatch({type: 'back'});
	const noticeKey = (input: string, key: Key) => {
		if (input === 'q' || isBack(input, key)) return onExit();
		if (!isConfirm(input, key) || acknowledge.state.status === 'running') return;
		void acknowledge.run().then((done) => {
			if (done) setNoticeDone(true);
		});
	};
	const confirmKey = (row: AccountRow, input: string, key: Key) => {
		if (input === 'y' || input === 'Y') {
			void signOut.run(row).then((done) => {
				if (done) setNote(`Logged out of ${accountName(done)}.`);
				back();
			});
		} else if (input === 'n' || input === 'N' || isBack(input, key) || isConfirm(input, key)) {
			setNote('Nothing logged out.');
			back();
		}
	};
	const choose = (choice: MenuChoice) => {
		switch (choice) {
			case 'switch':
			case 'add':
			case 'fallback':
				return dispatch({type: 'open', view: choice});
			case 'quota':
				if (quota) return dispatch({type: 'open', view: 'quota'});
				if (onQuota) return onQuota();
				return setNote('The quota screen: run tui quota');
			case 'logout':
				if (active) dispatch({type: 'ask-logout', row: active});
				return;
			case 'quit':
				return onExit();
			default: {
				const unreachable: never = choice;
				return unreachable;
			}
		}
	};
	const menuKey = (input: string, key: Key) => {
		if (input === 'q' || isBack(input, key)) return onExit();
		const result = menu.handleKey(input, key);
		if (result.handled) setNote(result.blocked ? `Unavailable: ${result.blocked}` : undefined);
		if (result.chosen !== undefined) choose(result.chosen);
	};

	useKeys(
		(input, key) => {
			if (signOut.state.status === 'running') return;
			if (noticeOpen) return noticeKey(input, key);
			if (view.kind === 'confirm-logout') return confirmKey(view.row, input, key);
			menuKey(input, key);
		},
		{isActive: isActive && (view.kind === 'menu' || view.kind === 'confirm-logout')},
	);

	if (view.kind !== 'menu' && view.kind !== 'confirm-logout')
		return <InPlace view={view} isActive={isActive} quota={quota} setNote={setNote} back={back} />;

	return (
		<Frame
			title="tui"
			status={<SignOutStatus state={signOut.state} />}
			footer={<KeyHints hints={homeHints(noticeOpen, view)} note={note} />}
		>
			{loadError ? <Text color={theme.danger} wrap="wrap">{`✗ ${loadError}`}</Text> : null}
			{!summary && !loadError ? <Spinner label="Reading accounts…" /> : null}
			{summary ? <SummaryLines summary={summary} now={services.now()} /> : null}
			{noticeOpen ? (
				<PlanNotice
					email={summary?.chatgpt?.email}
					saveError={acknowledge.state.status === 'failed' ? acknowledge.state.error : undefined}
				/>
			) : view.kind === 'confirm-logout' ? (
				<Text wrap="wrap">{`Log out of ${accountName(view.row)}? It is removed from auth/${view.row.provider}.json. [y/N]`}</Text>
			) : (
				<SelectList items={items} highlighted={menu.highlighted} />
			)}
		</Frame>
	);
}

function SignOutStatus({state}: {readonly state: TaskState<AccountRow>}) {
	const theme = useTheme();
	if (state.status === 'running') return <Spinner label="Logging out…" />;
	return state.status === 'failed' ? <Text color={theme.danger} wrap="wrap">{`✗ ${state.error}`}</Text> : null;
}

function menuItems(active: AccountRow | undefined): SelectItem<MenuChoice>[] {
	return [
		{value: 'switch', label: 'Switch provider or account'},
		{value: 'add', label: 'Add account'},
		{value: 'fallback', label: 'Fallback preferences'},
		{value: 'quota', label: 'Quota'},
		{
			value: 'logout',
			label: active ? `Log out of ${accountName(active)}` : 'Log out',
			...(active ? {} : {disabled: 'no active account'}),
		},
		{value: 'quit', label: 'Quit'},
	];
}

function homeHints(noticeOpen: boolean, view: HomeView): readonly Hint[] {
	if (noticeOpen)
		return [
			['enter', 'got it'],
			['q/esc', 'quit'],
		];
	if (view.kind === 'confirm-logout')
		return [
			['y', 'log out'],
			['n', 'keep'],
			['esc', 'keep'],
		];
	return [...LIST_HINTS.slice(0, 2), ['q/esc', 'quit']];
}

type InPlaceView = Extract<HomeView, {readonly kind: 'switch' | 'add' | 'fallback' | 'quota'}>;

/** A screen the menu opens in place; it calls back() to return to the menu. */
function InPlace({
	view,
	isActive,
	quota,
	setNote,
	back,
}: {
	readonly view: InPlaceView;
	readonly isActive: boolean;
	readonly quota: HomeScreenProps['quota'];
	readonly setNote: (note: string) => void;
	readonly back: () => void;
}) {
	const services = useServices();
	const size = useTerminalSize();
	const done = (note: string) => {
		setNote(note);
		back();
	};
	switch (view.kind) {
		case 'switch':
		case 'add':
			return (
				<AccountSwitcher
					isActive={isActive}
					start={view.kind === 'add' ? 'add' : 'list'}
					onSwitched={(result) =>
						done(`Switched to ${PROVIDER_NAMES[result.provider]}${result.account ? ` / ${result.account.label}` : ''}.`)
					}
					onExit={back}
				/>
			);
		case 'fallback':
			return (
				<FallbackPreferences
					isActive={isActive}
					onSaved={() => done('Fallback preferences saved.')}
					onExit={() => done('Fallback preferences unchanged.')}
				/>
			);
		case 'quota':
			return quota ? (
				<QuotaScreen
					{...quota}
					isActive={isActive}
					columns={size.columns}
					rows={size.rows}
					color={services.color}
					onExit={back}
				/>
			) : null;
		default: {
			const unreachable: never = view;
			return unreachable;
		}
	}
}

/** Active account, ChatGPT sign-in, the selection decision, quota and warnings. */
function SummaryLines({summary, now}: {readonly summary: HomeSummary; readonly now: number}) {
	const theme = useTheme();
	return (
		<Box flexDirection="column" marginBottom={1}>
			<Text wrap="wrap">
				<Text bold>Active: </Text>
				{activeLine(summary, now)}
			</Text>
			{summary.chatgpt ? (
				<Text wrap="wrap">
					<Text bold>ChatGPT: </Text>
					{chatgptAccountLine(summary.chatgpt)}
				</Text>
			) : null}
			<Text wrap="wrap">
				<Text bold>Selection: </Text>
				{summary.decision}
			</Text>
			{summary.quota ? (
				<Text wrap="wrap">
					<Text bold>Quota: </Text>
					{homeQuotaLine(summary)}
				</Text>
			) : null}
			{summary.warnings?.map((warning) => (
				<Text key={warning} color={theme.warning} wrap="wrap">{`! ${warning}`}</Text>
			))}
		</Box>
	);
}

function activeLine(summary: HomeSummary, now: number): string {
	if (!summary.activeProvider) return 'no provider chosen';
	const who = summary.account
		? `${summary.account.label} (${accountDetails(summary.account, now)})`
		: 'no stored account';
	return `${PROVIDER_NAMES[summary.activeProvider]} / ${who}`;
}

/** "You're using your ChatGPT plan": shown once, until Enter acknowledges it. */
function PlanNotice({email, saveError}: {readonly email?: string; readonly saveError?: string}) {
	const theme = useTheme();
	return (
		<Box flexDirection="column" borderStyle="round" paddingX={1}>
			<Text bold>{"You're using your ChatGPT plan"}</Text>
			<Text wrap="wrap">{`Requests through ${email ?? 'this account'} count toward your ChatGPT plan, not an API bill.`}</Text>
			<Text wrap="wrap">{`${CHATGPT_PLUS_LIMIT_NOTE}; each app's weekly share is set in ChatGPT settings. Apps get no usage numbers.`}</Text>
			<Text wrap="wrap">{hyperlink('Manage usage', CHATGPT_MANAGE_USAGE_URL, theme.color)}</Text>
			<Text color={theme.accent}>› Got it (enter)</Text>
			{saveError ? <Text color={theme.danger} wrap="wrap">{`✗ Could not save: ${saveError}`}</Text> : null}
		</Box>
	);
}

/** The element, built here so commands need not import('react') (a split bundle gives CJS modules only a default export). */
export function homeScreenElement({accounts, ...props}: HomeScreenProps & {readonly accounts?: AccountsApi}) {
	const screen = <HomeScreen {...props} />;
	return accounts ? <AccountsProvider api={accounts}>{screen}</AccountsProvider> : screen;
}
