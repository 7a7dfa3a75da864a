// Raw key sequences as a terminal sends them; tests write these to stdin.
export const KEYS = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	shiftUp: '\u001B[1;2A',
	shiftDown: '\u001B[1;2B',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	backspace: '\u007F',
	space: ' ',
	ctrlC: '\u0003',
} as const;
