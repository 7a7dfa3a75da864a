// Step 6: optionally add the other provider (through the same tier, comparison and login steps),
// then the order and the triggers. Defaults: this provider first, every trigger on.
import {useEffect, useReducer} from 'react';
import {Box, Text} from 'ink';
import {useKeys} from '../../hooks/use-keys.js';
import {
	DEFAULT_PREFERENCES,
	FALLBACK_TRIGGERS,
	PROVIDER_NAMES,
	type FallbackPreferences,
	type FallbackTrigger,
	type ProviderId,
} from '../../../core/schemas.js';
import {Frame} from '../../components/frame.js';
import {KeyHints} from '../../components/key-hints.js';
import {SelectList, useSelectList, type SelectItem} from '../../components/select-list.js';
import {Spinner} from '../../components/spinner.js';
import {useTask} from '../../hooks/use-task.js';
import {isBack, isConfirm, isDown, isToggle, isUp, LIST_HINTS} from '../../keymap.js';
import {useServices} from '../../services.js';
import {useTheme} from '../../theme.js';
import {otherProvider} from './state.js';

const TRIGGER_TEXT: Readonly<Record<FallbackTrigger, string>> = {
	quota: 'quota at or over the threshold',
	'rate-limit': 'rate limited until a reset',
	'auth-error': 'sign-in failing',
	outage: 'provider outage',
};

type Offer = 'add' | 'skip';

/** The order and triggers editor. A reducer, so that keys arriving in one read each see the one before. */
type Editor = {
	readonly order: readonly ProviderId[];
	readonly triggers: ReadonlySet<FallbackTrigger>;
	readonly row: number;
	/** Enter presses: each saves, once the keys before it have been applied (again after a failed save). */
	readonly confirmations: number;
};
type EditorKey = 'up' | 'down' | 'toggle' | 'confirm';
// Rows: 0 = order, 1.. = triggers.
const EDITOR_ROWS = 1 + FALLBACK_TRIGGERS.length;

function editorReducer(editor: Editor, key: EditorKey): Editor {
	switch (key) {
		case 'up':
			return {...editor, row: (editor.row - 1 + EDITOR_ROWS) % EDITOR_ROWS};
		case 'down':
			return {...editor, row: (editor.row + 1) % EDITOR_ROWS};
		case 'toggle': {
			if (editor.row === 0) return {...editor, order: [...editor.order].reverse()};
			const trigger = FALLBACK_TRIGGERS[editor.row - 1]!;
			const triggers = new Set(editor.triggers);
			if (triggers.has(trigger)) triggers.delete(trigger);
			else triggers.add(trigger);
			return {...editor, triggers};
		}
		case 'confirm':
			return {...editor, confirmations: editor.confirmations + 1};
		default: {
			const unreachable: never = key;
			return unreachable;
		}
	}
}

export function FallbackStep({
	isActive,
	primary,
	secondaryReady,
	onAddOther,
	onDone,
	onBack,
}: {
	readonly isActive: boolean;
	readonly primary: ProviderId;
	/** The other provider has an account now: show order and triggers. */
	readonly secondaryReady: boolean;
	readonly onAddOther: () => void;
	readonly onDone: (fallback: FallbackPreferences) => void;
	readonly onBack: () => void;
}) {
	const services = useServices();
	const theme = useTheme();
	const other = otherProvider(primary);
	const offer: SelectItem<Offer>[] = [
		{
			value: 'add',
			label: `Add ${PROVIDER_NAMES[other]} now as the fallback`,
			description: `Used when ${PROVIDER_NAMES[primary]} hits its quota, a rate limit, a sign-in error or an outage`,
		},
		{
			value: 'skip',
			label: `Skip: use ${PROVIDER_NAMES[primary]} only`,
			description: 'You can add it later with `tui auth login` and `tui auth fallback`',
		},
	];
	const offerList = useSelectList(offer, 0);
	const [{order, triggers, row, confirmations}, edit] = useReducer(editorReducer, {
		order: [primary, other],
		triggers: new Set(FALLBACK_TRIGGERS),
		row: 0,
		confirmations: 0,
	});
	const save = useTask(async (_signal, fallback: FallbackPreferences) => {
		await services.savePreferences((preferences) => ({...preferences, fallback}));
		return fallback;
	});
	const finish = (fallback: FallbackPreferences) => {
		void save.run(fallback).then((saved) => (saved ? onDone(saved) : undefined));
	};

	useEffect(() => {
		if (confirmations === 0) return;
		finish({
			enabled: triggers.size > 0,
			order: [...order],
			triggers: FALLBACK_TRIGGERS.filter((trigger) => triggers.has(trigger)),
			thresholdPercent: DEFAULT_PREFERENCES.fallback.thresholdPercent,
		});
	}, [confirmations]); // eslint-disable-line react-hooks/exhaustive-deps -- once per Enter, with the state it saw

	useKeys(
		(input, key) => {
			if (save.state.status === 'running') return;
			if (isBack(input, key)) return onBack();
			if (!secondaryReady) {
				const result = offerList.handleKey(input, key);
				if (result.chosen === 'add') onAddOther();
				if (result.chosen === 'skip')
					finish({...DEFAULT_PREFERENCES.fallback, enabled: false, order: [primary, other]});
				return;
			}
			if (isUp(input, key)) edit('up');
			else if (isDown(input, key)) edit('down');
			else if (isToggle(input, key)) edit('toggle');
			else if (isConfirm(input, key)) edit('confirm');
		},
		{isActive},
	);

	if (!secondaryReady) {
		return (
			<Frame title="A fallback provider?" step="6/7" footer={<KeyHints hints={LIST_HINTS} />}>
				<SelectList items={offer} highlighted={offerList.highlighted} />
				{save.state.status === 'running' ? <Spinner label="Saving…" /> : null}
				{save.state.status === 'failed' ? (
					<Text color={theme.danger}>{`Could not save: ${save.state.error}`}</Text>
				) : null}
			</Frame>
		);
	}
	return (
		<Frame
			title="Fallback: order and triggers"
			step="6/7"
			footer={
				<KeyHints
					hints={[
						['↑↓', 'select'],
						['space', 'toggle'],
						['enter', 'save'],
						['esc', 'back'],
					]}
				/>
			}
		>
			<Text color={row === 0 ? theme.accent : undefined}>
				{row === 0 ? '› ' : '  '}
				Order: {order.map((provider, index) => `${index + 1}. ${PROVIDER_NAMES[provider]}`).join('  ')}
				<Text color={theme.muted}>{'  (space swaps)'}</Text>
			</Text>
			<Box flexDirection="column" marginTop={1}>
				<Text>Switch to the next provider on:</Text>
				{FALLBACK_TRIGGERS.map((trigger, index) => (
					<Text key={trigger} color={row === index + 1 ? theme.accent : undefined}>
						{row === index + 1 ? '› ' : '  '}
						{triggers.has(trigger) ? '[x] ' : '[ ] '}
						{TRIGGER_TEXT[trigger]}
					</Text>
				))}
			</Box>
			<Text
				color={theme.muted}
			>{`Quota threshold: ${DEFAULT_PREFERENCES.fallback.thresholdPercent}% (change it with tui auth fallback --threshold).`}</Text>
			{save.state.status === 'running' ? <Spinner label="Saving…" /> : null}
			{save.state.status === 'failed' ? (
				<Text color={theme.danger}>{`Could not save: ${save.state.error}`}</Text>
			) : null}
		</Frame>
	);
}
