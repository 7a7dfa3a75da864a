// `tui auth fallback`: fallback on/off, the provider order (shift+↑/↓ or k/j moves the highlighted
// provider), the triggers (space toggles), the quota threshold (←/→ in steps of 5) and a live preview
// with real account labels. Enter saves to config.json; Esc discards.
import {useEffect, useReducer, useState} from 'react';
import {Box, Text} from 'ink';
import {useHoldKeys, useKeys} from '../../hooks/use-keys.js';
import {
	PROVIDER_NAMES,
	type FallbackPreferences as FallbackPrefs,
	type FallbackTrigger,
} from '../../../core/schemas.js';
import {Frame} from '../../components/frame.js';
import {KeyHints} from '../../components/key-hints.js';
import {Spinner} from '../../components/spinner.js';
import {errorMessage, useTask} from '../../hooks/use-task.js';
import {isBack, isConfirm, isDown, isToggle, isUp, type Hint} from '../../keymap.js';
import {useServices} from '../../services.js';
import {useTheme} from '../../theme.js';
import {AccountsProvider, useAccountsApi, type AccountsApi} from '../accounts/accounts-api.js';
import {previewLine, type ActiveLabels} from './preview.js';
import {fallbackReducer, fallbackRows, initialFallbackState, THRESHOLD_STEP, toPreferences} from './state.js';

export const TRIGGER_TEXT: Readonly<Record<FallbackTrigger, string>> = {
	quota: 'quota at or over',
	'rate-limit': 'rate limited',
	'auth-error': 'auth failing',
	outage: 'provider outage',
};

export type FallbackPreferencesProps = {
	readonly isActive?: boolean;
	readonly onSaved: (fallback: FallbackPrefs) => void;
	/** Esc: nothing written. */
	readonly onExit: () => void;
};

type Loaded = {readonly fallback: FallbackPrefs; readonly labels: ActiveLabels};

export function FallbackPreferences({isActive = true, onSaved, onExit}: FallbackPreferencesProps) {
	const api = useAccountsApi();
	const theme = useTheme();
	const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
	const [error, setError] = useState<string | undefined>(undefined);
	useEffect(() => {
		let live = true;
		api.list().then(
			(snapshot) => {
				const labels: ActiveLabels = {};
				for (const p of snapshot.providers) {
					const active = p.accounts.find((a) => a.fileActive);
					if (active) labels[p.provider] = active.label;
				}
				if (live) setLoaded({fallback: snapshot.preferences.fallback, labels});
			},
			(failure: unknown) => live && setError(errorMessage(failure)),
		);
		return () => {
			live = false;
		};
	}, [api]);
	useHoldKeys(isActive && !loaded && !error);
	if (error || !loaded) {
		return (
			<Frame title="Fallback preferences" footer={<KeyHints hints={[['ctrl+c', 'quit']]} />}>
				{error ? <Text color={theme.danger}>{`✗ ${error}`}</Text> : <Spinner label="Reading preferences…" />}
			</Frame>
		);
	}
	return (
		<FallbackEditor
			isActive={isActive}
			initial={loaded.fallback}
			labels={loaded.labels}
			onSaved={onSaved}
			onExit={onExit}
		/>
	);
}

function FallbackEditor({
	isActive,
	initial,
	labels,
	onSaved,
	onExit,
}: {
	readonly isActive: boolean;
	readonly initial: FallbackPrefs;
	readonly labels: ActiveLabels;
	readonly onSaved: (fallback: FallbackPrefs) => void;
	readonly onExit: () => void;
}) {
	const services = useServices();
	const theme = useTheme();
	const [state, dispatch] = useReducer(fallbackReducer, initial, initialFallbackState);
	const save = useTask(async (_signal, fallback: FallbackPrefs) => {
		const saved = await services.savePreferences((preferences) => ({...preferences, fallback}));
		return saved.fallback;
	});
	const rows = fallbackRows(state.draft);
	const current = rows[state.row];

	useKeys(
		(input, key) => {
			if (save.state.status === 'running') return;
			if (isBack(input, key)) return onExit();
			if (isConfirm(input, key)) {
				void save.run(toPreferences(state.draft)).then((saved) => (saved ? onSaved(saved) : undefined));
				return;
			}
			// Shift+arrow (or k/j) moves a provider; plain arrows move the cursor.
			if ((key.shift && key.upArrow) || input === 'k') return dispatch({type: 'move', by: -1});
			if ((key.shift && key.downArrow) || input === 'j') return dispatch({type: 'move', by: 1});
			if (isUp(input, key)) return dispatch({type: 'up'});
			if (isDown(input, key)) return dispatch({type: 'down'});
			if (key.leftArrow) return dispatch({type: 'threshold', by: -THRESHOLD_STEP});
			if (key.rightArrow) return dispatch({type: 'threshold', by: THRESHOLD_STEP});
			if (isToggle(input, key)) dispatch({type: 'toggle'});
		},
		{isActive},
	);

	const {draft} = state;
	const mark = (index: number) => (index === state.row ? '› ' : '  ');
	const colour = (index: number) => (index === state.row ? theme.accent : undefined);
	const hints: Hint[] = [['↑↓', 'select']];
	if (current?.kind === 'order') hints.push(['shift+↑↓/k j', 'move']);
	else hints.push(['space', 'toggle']);
	hints.push(['←→', 'threshold'], ['enter', 'save'], ['esc', 'discard']);

	return (
		<Frame title="Fallback preferences" footer={<KeyHints hints={hints} />}>
			<Text color={colour(0)} bold={state.row === 0}>
				{mark(0)}
				{draft.enabled ? '[x] ' : '[ ] '}
				{draft.enabled ? 'Fallback on' : 'Fallback off'}
			</Text>
			<Box flexDirection="column" marginTop={1}>
				<Text>Order (first is used first):</Text>
				{draft.order.map((provider, index) => {
					const at = 1 + index;
					return (
						<Text key={provider} color={colour(at)} bold={state.row === at}>
							{mark(at)}
							{`${index + 1}. ${PROVIDER_NAMES[provider]}`}
							{labels[provider] ? ` / ${labels[provider]}` : ' (no account)'}
						</Text>
					);
				})}
			</Box>
			<Box flexDirection="column" marginTop={1}>
				<Text>Switch to the next provider when:</Text>
				{rows.map((row, at) => {
					if (row.kind !== 'trigger') return null;
					const on = draft.triggers.includes(row.trigger);
					return (
						<Text key={row.trigger} color={colour(at)} bold={state.row === at}>
							{mark(at)}
							{on ? '[x] ' : '[ ] '}
							{TRIGGER_TEXT[row.trigger]}
							{row.trigger === 'quota' ? ` ${draft.thresholdPercent}%  (←→ ±${THRESHOLD_STEP})` : ''}
						</Text>
					);
				})}
			</Box>
			<Box marginTop={1}>
				<Text wrap="wrap">{`Preview: ${previewLine(draft, labels)}`}</Text>
			</Box>
			{save.state.status === 'running' ? <Spinner label="Saving…" /> : null}
			{save.state.status === 'failed' ? (
				<Text color={theme.danger} wrap="wrap">{`✗ Could not save: ${save.state.error}`}</Text>
			) : null}
		</Frame>
	);
}

/** The element, built here so commands need not import('react') (a split bundle gives CJS modules only a default export). */
export function fallbackPreferencesElement({
	accounts,
	...props
}: FallbackPreferencesProps & {readonly accounts?: AccountsApi}) {
	const screen = <FallbackPreferences {...props} />;
	return accounts ? <AccountsProvider api={accounts}>{screen}</AccountsProvider> : screen;
}
