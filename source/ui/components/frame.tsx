// The page every step sits in: a title line with the step counter, the body, and the footer.
import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import {useServices} from '../services.js';
import {makeTheme, useTheme} from '../theme.js';

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

/** The line every sandbox screen shows under its title, so nobody takes it for a real sign-in. */
export function sandboxBannerText(sandbox: {readonly home: string; readonly throwaway: boolean}): string {
	return `Sandbox: no real account is used · ${sandbox.throwaway ? 'throwaway home' : `home ${sandbox.home}`}`;
}

/** Takes `color` rather than the theme hook: the quota screen renders without services. */
export function SandboxBanner({sandbox, color}: {readonly sandbox?: {readonly home: string; readonly throwaway: boolean}; readonly color: boolean}) {
	// One row even at 60 columns: a long home path is cut, never wrapped.
	return sandbox ? (
		<Text color={makeTheme(color).warning} wrap="truncate-end">
			{sandboxBannerText(sandbox)}
		</Text>
	) : null;
}

export function Frame({title, step, children, footer}: {readonly title: string; readonly step?: string; readonly children?: ReactNode; readonly footer?: ReactNode}) {
	const {columns, sandbox, color} = useServices();
	// Never wider than the terminal, so nothing wraps twice at 60 columns.
	return (
		<Box flexDirection="column" width={Math.max(40, columns)} paddingX={1}>
			<SandboxBanner sandbox={sandbox} color={color} />
			<Title step={step}>{title}</Title>
			{children}
			{footer}
		</Box>
	);
}
