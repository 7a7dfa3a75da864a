// The frame every phase of the login step draws in: the same title and step, its own key hints.
import type {ReactNode} from 'react';
import {Frame} from '../../../components/frame.js';
import {KeyHints} from '../../../components/key-hints.js';
import type {Hint} from '../../../keymap.js';

export type LoginFrameProps = {readonly title: string; readonly step?: string};

export function LoginFrame({frame, hints, note, children}: {readonly frame: LoginFrameProps; readonly hints: readonly Hint[]; readonly note?: string; readonly children?: ReactNode}) {
	return (
		<Frame title={frame.title} step={frame.step} footer={hints.length > 0 ? <KeyHints hints={hints} note={note} /> : undefined}>
			{children}
		</Frame>
	);
}
