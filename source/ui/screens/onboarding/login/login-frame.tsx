// The frame every phase of the login step draws in: the same title and step, its own key hints.
import type {ReactNode} from 'react';
import {Frame} from '../../../components/frame.js';
import {KeyHints} from '../../../components/key-hints.js';
import type {Hint} from '../../../keymap.js';
import type {SavedAccount} from '../../../services.js';
import type {OnFailed} from './report-failure.js';

export type LoginFrameProps = {readonly title: string; readonly step?: string};

/** What the login step hands every method's component. */
export type MethodProps = {
	readonly isActive: boolean;
	readonly frame: LoginFrameProps;
	readonly onSignedIn: (account: SavedAccount) => void;
	readonly onFailed: OnFailed;
	readonly onLeave: () => void;
};

export function LoginFrame({
	frame,
	hints,
	note,
	children,
}: {
	readonly frame: LoginFrameProps;
	readonly hints: readonly Hint[];
	readonly note?: string;
	readonly children?: ReactNode;
}) {
	return (
		<Frame
			title={frame.title}
			step={frame.step}
			footer={hints.length > 0 ? <KeyHints hints={hints} note={note} /> : undefined}
		>
			{children}
		</Frame>
	);
}
