// Step 4: subscription vs API key vs auto for this provider and plan. The table is also the picker:
// the highlighted column carries "›", the recommended one "★ recommended". Wide terminals get three
// columns; below 80 columns the modes stack; when neither fits the terminal's height, one mode at a
// time with ←/→.
import {useEffect, useRef, useState} from 'react';
import {Box, measureElement, Text, type DOMElement} from 'ink';
import {useKeys} from '../../hooks/use-keys.js';
import {PROVIDER_NAMES, type AuthMode, type ProviderId} from '../../../core/schemas.js';
import {compareModes, findTier, policyNotes, recommendForTier, type ModeComparison} from '../../../core/tiers.js';
import {Bullet} from '../../components/bullet.js';
import {Frame, useFrameBody} from '../../components/frame.js';
import {useTerminalSize} from '../../hooks/use-terminal-size.js';
import {KeyHints} from '../../components/key-hints.js';
import {Spinner} from '../../components/spinner.js';
import {useSelectList, type ListStepProps, type SelectItem} from '../../components/select-list.js';
import {useTask} from '../../hooks/use-task.js';
import {isBack, type Hint} from '../../keymap.js';
import {useServices} from '../../services.js';
import {useTheme} from '../../theme.js';
import type {Purpose} from './state.js';

export const WIDE_COLUMNS = 80;

const HINTS: readonly Hint[] = [
	['←→/↑↓', 'select'],
	['1-3', 'pick'],
	['enter', 'confirm'],
	['esc', 'back'],
];

const PAGED_HINTS: readonly Hint[] = [
	['←→', 'other modes'],
	['1-3', 'pick'],
	['enter', 'confirm'],
	['esc', 'back'],
];

/** From the roomiest layout down: the first whose height fits is kept. */
export type ComparisonLayout = 'columns' | 'stacked' | 'paged';

function ModeBlock({
	row,
	index,
	active,
	width,
}: {
	readonly row: ModeComparison;
	readonly index: number;
	readonly active: boolean;
	readonly width?: number;
}) {
	const theme = useTheme();
	const unavailable = !row.availability.available;
	return (
		<Box flexDirection="column" width={width} paddingRight={width ? 1 : 0}>
			<Text
				bold={active}
				color={unavailable ? theme.muted : active ? theme.accent : row.recommended ? theme.success : undefined}
				wrap="wrap"
			>
				{`${active ? '›' : ' '} ${index + 1}. ${row.title}`}
				{row.recommended && !width ? '  ★ recommended' : ''}
			</Text>
			{/* In columns the marker gets its own line so the header never wraps at 80 columns. */}
			{row.recommended && width ? <Text color={theme.success}>{'  ★ recommended'}</Text> : null}
			{row.pros.map((pro) => (
				<Bullet key={pro} mark="  + ">
					{pro}
				</Bullet>
			))}
			{row.cons.map((con) => (
				<Bullet key={con} mark="  − " color={theme.warning}>
					{con}
				</Bullet>
			))}
			{row.availability.available ? (
				row.availability.note ? (
					<Bullet mark="  " color={theme.muted}>
						{row.availability.note}
					</Bullet>
				) : null
			) : (
				<Bullet mark="  ✗ " color={theme.danger}>
					{`unavailable: ${row.availability.reason}`}
				</Bullet>
			)}
		</Box>
	);
}

export function ComparisonStep({
	isActive,
	provider,
	tier,
	purpose,
	onChosen,
	onBack,
}: ListStepProps<AuthMode> & {readonly provider: ProviderId; readonly tier: string; readonly purpose: Purpose}) {
	const services = useServices();
	const theme = useTheme();
	const rows = compareModes(provider, tier);
	const recommendation = recommendForTier(provider, tier);
	const items: SelectItem<AuthMode>[] = rows.map((row) => ({
		value: row.mode,
		label: row.title,
		disabled: row.availability.available ? undefined : row.availability.reason,
	}));
	const list = useSelectList(
		items,
		Math.max(
			0,
			rows.findIndex((row) => row.recommended),
		),
	);
	const [blocked, setBlocked] = useState<string | undefined>(undefined);
	// The step is complete once its choice is on disk: the plan and mode for this provider.
	const save = useTask(async (_signal, mode: AuthMode) => {
		await services.savePreferences((preferences) => ({
			...preferences,
			...(purpose === 'primary' ? {activeProvider: provider} : {}),
			providers: {...preferences.providers, [provider]: {...preferences.providers[provider], tier, mode}},
		}));
		return mode;
	});

	useKeys(
		(input, key) => {
			if (save.state.status === 'running') return;
			if (isBack(input, key)) return onBack();
			const translated = key.leftArrow ? {...key, upArrow: true} : key.rightArrow ? {...key, downArrow: true} : key;
			const result = list.handleKey(input, translated);
			if (result.handled) setBlocked(result.blocked);
			if (result.chosen) {
				void save.run(result.chosen).then((mode) => {
					if (mode) onChosen(mode);
				});
			}
		},
		{isActive},
	);

	const size = useTerminalSize();
	const body = useFrameBody();
	const first: ComparisonLayout = size.columns >= WIDE_COLUMNS ? 'columns' : 'stacked';
	const [fitted, setFitted] = useState<{readonly at: string; readonly layout: ComparisonLayout}>({
		at: '',
		layout: first,
	});
	// A new size starts again from the roomiest layout.
	const sizeKey = `${size.columns}x${size.rows}`;
	const layout = fitted.at === sizeKey ? fitted.layout : first;
	const content = useRef<DOMElement>(null);
	// eslint-disable-next-line react-hooks/exhaustive-deps -- measures after every layout; state changes only when the measurement does
	useEffect(() => {
		if (!content.current || layout === 'paged') {
			if (fitted.at !== sizeKey) setFitted({at: sizeKey, layout});
			return;
		}
		const tooTall = measureElement(content.current).height > body.rows;
		const next: ComparisonLayout = !tooTall ? layout : layout === 'columns' ? 'stacked' : 'paged';
		if (fitted.at !== sizeKey || fitted.layout !== next) setFitted({at: sizeKey, layout: next});
	});
	const wide = layout === 'columns';
	const paged = layout === 'paged';
	const columnWidth = Math.floor((Math.max(size.columns, WIDE_COLUMNS) - 2) / rows.length);
	const tierName = findTier(provider, tier)?.name ?? tier;
	const recommendedTitle = rows.find((row) => row.mode === recommendation.mode)?.title ?? recommendation.mode;

	return (
		<Frame
			title={`How to use ${PROVIDER_NAMES[provider]} ${tierName}`}
			step="4/7"
			status={
				<>
					{save.state.status === 'running' ? <Spinner label="Saving your choice…" /> : null}
					{save.state.status === 'failed' ? (
						<Text color={theme.danger} wrap="wrap">{`Could not save: ${save.state.error}`}</Text>
					) : null}
				</>
			}
			footer={
				<KeyHints
					hints={paged ? PAGED_HINTS : HINTS}
					note={blocked ? `That mode is unavailable: ${blocked}` : undefined}
				/>
			}
		>
			<Box ref={content} flexDirection="column" flexShrink={0}>
				{paged ? (
					<Text
						color={theme.muted}
					>{`Mode ${list.highlighted + 1} of ${rows.length}: ${rows.map((row, index) => (index === list.highlighted ? `[${row.title}]` : row.title)).join(' · ')}`}</Text>
				) : null}
				<Box flexDirection={wide ? 'row' : 'column'}>
					{rows.map((row, index) =>
						paged && index !== list.highlighted ? null : (
							<Box key={row.mode} marginBottom={wide ? 0 : 1}>
								<ModeBlock
									row={row}
									index={index}
									active={index === list.highlighted}
									width={wide ? columnWidth : undefined}
								/>
							</Box>
						),
					)}
				</Box>
				<Box marginTop={wide ? 1 : 0} flexDirection="column">
					<Bullet
						mark="★ "
						color={theme.success}
					>{`Recommended for ${tierName}: ${recommendedTitle}. ${recommendation.reason}.`}</Bullet>
					<Text bold>Policy:</Text>
					{policyNotes(provider).map((note) => (
						<Bullet key={note} mark="  • " color={theme.muted}>
							{note}
						</Bullet>
					))}
				</Box>
			</Box>
		</Frame>
	);
}
