// The key-hint footer every step shows: "↑↓ select · enter confirm · esc back".
import {Box, Text} from 'ink';
import type {Hint} from '../keymap.js';
import {useTheme} from '../theme.js';

export function formatHints(hints: readonly Hint[]): string {
	return hints.map(([keys, action]) => `${keys} ${action}`).join(' · ');
}

export function KeyHints({hints, note}: {readonly hints: readonly Hint[]; readonly note?: string}) {
	const theme = useTheme();
	return (
		<Box marginTop={1} flexDirection="column">
			{note ? <Text color={theme.warning}>{note}</Text> : null}
			<Text color={theme.muted} wrap="wrap">
				{formatHints(hints)}
			</Text>
		</Box>
	);
}
