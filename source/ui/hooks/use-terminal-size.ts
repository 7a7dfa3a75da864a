// The terminal's size as the command reports it (Services), kept current on resize so a screen
// re-lays out; nothing here reads process.stdout.
import {useEffect, useState} from 'react';
import {useServices, type TerminalSize} from '../services.js';

/** Without a known height there is no limit to fit. */
export const UNLIMITED_ROWS = 10_000;

export function useTerminalSize(): TerminalSize {
	const {columns, rows, onResize} = useServices();
	const [size, setSize] = useState<TerminalSize>({columns, rows: rows ?? UNLIMITED_ROWS});
	useEffect(() => {
		setSize({columns, rows: rows ?? UNLIMITED_ROWS});
		if (!onResize) return;
		return onResize((next) => setSize(next));
	}, [columns, rows, onResize]);
	return size;
}
