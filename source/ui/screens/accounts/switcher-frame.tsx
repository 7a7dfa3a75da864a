// What every mode of the account switcher shares: the frame with the saving spinner or the last error,
// the footer's note, and keys that wait while a change is being saved.
import type {ReactNode} from 'react';
import type {Key} from 'ink';
import {Frame} from '../../components/frame.js';
import {KeyHints} from '../../components/key-hints.js';
import {useKeys} from '../../hooks/use-keys.js';
import type {Hint} from '../../keymap.js';

export type SwitcherShell = {
	/** A change is being saved: keys are ignored until it is done. */
	readonly busy: boolean;
	/** The spinner while saving, or the error of the last change. */
	readonly status: ReactNode;
	readonly note?: string;
	readonly setNote: (note: string | undefined) => void;
};

export function SwitcherFrame({
	shell,
	title,
	hints,
	children,
}: {
	readonly shell: SwitcherShell;
	readonly title: string;
	readonly hints: readonly Hint[];
	readonly children?: ReactNode;
}) {
	return (
		<Frame title={title} status={shell.status} footer={<KeyHints hints={hints} note={shell.note} />}>
			{children}
		</Frame>
	);
}

/** A mode's one key handler: live while the mode shows, silent while a change is saved. */
export function useModeKeys(shell: SwitcherShell, isActive: boolean, handler: (input: string, key: Key) => void): void {
	useKeys(
		(input, key) => {
			if (!shell.busy) handler(input, key);
		},
		{isActive},
	);
}
