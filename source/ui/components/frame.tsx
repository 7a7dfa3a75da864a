// The page every step sits in: a title line with the step counter, the body, and the footer.
import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import {useServices} from '../services.js';
import {useTheme} from '../theme.js';

export function Title({children, step}: {readonly children: ReactNode; readonly step?: string}) {
	const theme = useTheme();
	return (
		<Box marginBottom={1}>
			<Text bold color={theme.accent}>
				{children}
			</Text>
			{step ? <Text color={theme.muted}>{`  ${step}`}</Text> : null}
		</Box>
	);
}

export function Frame({title, step, children, footer}: {readonly title: string; readonly step?: string; readonly children?: ReactNode; readonly footer?: ReactNode}) {
	const {columns} = useServices();
	// Never wider than the terminal, so nothing wraps twice at 60 columns.
	return (
		<Box flexDirection="column" width={Math.max(40, columns)} paddingX={1}>
			<Title step={step}>{title}</Title>
			{children}
			{footer}
		</Box>
	);
}
