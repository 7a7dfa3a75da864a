// Mounts the quota screen on the command's streams and resolves when the user quits (or the signal aborts).
// The command reports resizes, so the screen re-lays out at the new size.
import {useEffect, useState} from 'react';
import {renderScreen, type ScreenStreams} from '../../render.js';
import type {TerminalSize} from '../../services.js';
import {QuotaScreen, type QuotaScreenProps} from './quota-screen.js';

export type QuotaScreenRun = QuotaScreenProps & {
	readonly onResize?: (listener: (size: TerminalSize) => void) => () => void;
};

function SizedQuotaScreen({onResize, ...props}: QuotaScreenRun) {
	const [size, setSize] = useState<Partial<TerminalSize>>({columns: props.columns, rows: props.rows});
	useEffect(() => onResize?.(setSize), [onResize]);
	return (
		<QuotaScreen
			{...props}
			{...(size.columns ? {columns: size.columns} : {})}
			{...(size.rows ? {rows: size.rows} : {})}
		/>
	);
}

export async function runQuotaScreen(streams: ScreenStreams, props: QuotaScreenRun): Promise<void> {
	const screen = renderScreen(<SizedQuotaScreen {...props} />, streams, {
		exitOnCtrlC: false,
		nonInteractiveHint: '--json or --line',
	});
	await screen.waitUntilExit();
}
