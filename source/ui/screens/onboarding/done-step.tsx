// Step 7: the summary. Enter makes the last save (onboardingCompletedAt) and leaves.
import {useEffect} from 'react';
import {Box, Text} from 'ink';
import {useKeys} from '../../hooks/use-keys.js';
import {PROVIDER_NAMES} from '../../../core/schemas.js';
import {findTier} from '../../../core/tiers.js';
import {Frame} from '../../components/frame.js';
import {KeyHints} from '../../components/key-hints.js';
import {Spinner} from '../../components/spinner.js';
import {useTask} from '../../hooks/use-task.js';
import {isBack, isConfirm} from '../../keymap.js';
import {useServices} from '../../services.js';
import {useTheme} from '../../theme.js';
import type {OnboardingSummary} from './summary.js';

export const NEXT_COMMANDS: ReadonlyArray<readonly [string, string]> = [
	['tui auth switch', 'change the active provider or account'],
	['tui quota', 'subscription windows, rate limits and spend'],
	['tui auth status', 'which credential is used, and from where'],
];

const NEXT_WIDTH = Math.max(...NEXT_COMMANDS.map(([command]) => command.length));

export function DoneStep({
	isActive,
	summary,
	onDone,
	onBack,
}: {
	readonly isActive: boolean;
	readonly summary: OnboardingSummary;
	readonly onDone: (summary: OnboardingSummary) => void;
	readonly onBack: () => void;
}) {
	const services = useServices();
	const theme = useTheme();
	const save = useTask(async () => {
		const completedAt = new Date(services.now()).toISOString();
		await services.savePreferences((preferences) => ({
			...preferences,
			activeProvider: summary.provider,
			onboardingCompletedAt: completedAt,
		}));
		return completedAt;
	});
	useKeys(
		(input, key) => {
			if (save.state.status === 'running') return;
			if (isBack(input, key)) return onBack();
			if (isConfirm(input, key)) void save.run();
		},
		{isActive: isActive && save.state.status !== 'done'},
	);
	// Hand back only after the saved state has rendered, so the last frame says it is saved.
	const completedAt = save.state.status === 'done' ? save.state.value : undefined;
	useEffect(() => {
		if (completedAt) onDone({...summary, completedAt});
	}, [completedAt]); // eslint-disable-line react-hooks/exhaustive-deps
	const account = summary.account;
	return (
		<Frame
			title="You are set up"
			step="7/7"
			status={
				<>
					{save.state.status === 'running' ? <Spinner label="Saving…" /> : null}
					{save.state.status === 'done' ? <Text color={theme.success}>✓ Saved. Welcome aboard.</Text> : null}
					{save.state.status === 'failed' ? (
						<Text color={theme.danger} wrap="wrap">{`Could not save: ${save.state.error}`}</Text>
					) : null}
				</>
			}
			footer={
				// The last frame stays on the terminal after exit: no keys are offered there.
				save.state.status === 'done' ? undefined : (
					<KeyHints
						hints={[
							['enter', 'finish'],
							['esc', 'back'],
						]}
					/>
				)
			}
		>
			<Text>
				<Text bold>Active: </Text>
				{`${PROVIDER_NAMES[summary.provider]} ${findTier(summary.provider, summary.tier)?.name ?? summary.tier}, mode ${summary.mode}`}
				{account ? `, account "${account.label}" (${account.kind}${account.email ? `, ${account.email}` : ''})` : ''}
			</Text>
			{summary.fallback ? (
				<Text>
					<Text bold>Fallback: </Text>
					{summary.fallback.enabled
						? `${summary.fallback.order.map((provider) => PROVIDER_NAMES[provider]).join(' → ')} on ${summary.fallback.triggers.join(', ')}`
						: 'off'}
				</Text>
			) : null}
			<Box flexDirection="column" marginTop={1}>
				<Text bold>Files:</Text>
				{summary.files.map((file) => (
					<Text key={file} wrap="wrap">{`  ${file}`}</Text>
				))}
			</Box>
			<Box flexDirection="column" marginTop={1}>
				<Text bold>Next:</Text>
				{NEXT_COMMANDS.map(([command, what]) => (
					<Text key={command} wrap="wrap">
						<Text color={theme.accent}>{`  ${command.padEnd(NEXT_WIDTH)}`}</Text>
						{`  ${what}`}
					</Text>
				))}
			</Box>
		</Frame>
	);
}
