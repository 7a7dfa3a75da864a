// Renders an interactive screen, but only where it can work: Ink's useInput needs raw mode, and
// without a TTY it throws "Raw mode is not supported". Callers get a UsageError instead (exit 2),
// naming the flag form, so a piped command never hangs or crashes.
import type {ReactElement} from 'react';
import {render, useApp, useInput, type Instance} from 'ink';
import {markInterrupted} from '../core/interrupt.js';
import {UsageError} from '../core/errors.js';
import {ServicesProvider, type Services} from './services.js';

export type ScreenStreams = {
	readonly stdin: NodeJS.ReadableStream & {isTTY?: boolean; setRawMode?: unknown};
	readonly stdout: NodeJS.WritableStream & {isTTY?: boolean};
	readonly stderr: NodeJS.WritableStream;
	/** Aborting it unmounts the screen (SIGINT/SIGTERM from the entry). */
	readonly signal?: AbortSignal;
};

export type RenderScreenOptions = {
	/** The flag form to name when there is no terminal, e.g. "--provider, --tier and --mode". */
	readonly nonInteractiveHint?: string;
	/** Let Ink exit on Ctrl+C (screens that handle Ctrl+C themselves turn this off). */
	readonly exitOnCtrlC?: boolean;
	readonly services?: Services;
};

export function isRawModeSupported(stdin: ScreenStreams['stdin']): boolean {
	return Boolean(stdin.isTTY) && typeof stdin.setRawMode === 'function';
}

export type Screen = {
	readonly waitUntilExit: () => Promise<unknown>;
	readonly unmount: () => void;
	readonly instance: Instance;
};

/** Ink's own Ctrl+C exit, plus a note that the process should end with 130; screens that handle Ctrl+C get it too. */
function CtrlC({exit}: {readonly exit: boolean}) {
	const app = useApp();
	useInput((input, key) => {
		if (!(key.ctrl && input === 'c')) return;
		markInterrupted();
		if (exit) app.exit();
	});
	return null;
}

export function renderScreen(element: ReactElement, streams: ScreenStreams, options: RenderScreenOptions = {}): Screen {
	if (!isRawModeSupported(streams.stdin)) {
		const hint = options.nonInteractiveHint ? `; pass ${options.nonInteractiveHint}` : '';
		throw new UsageError(`stdin is not a terminal, so this screen cannot run${hint}`);
	}
	const screen = (
		<>
			<CtrlC exit={options.exitOnCtrlC ?? true} />
			{element}
		</>
	);
	const tree = options.services ? <ServicesProvider services={options.services}>{screen}</ServicesProvider> : screen;
	const instance = render(tree, {
		stdin: streams.stdin as NodeJS.ReadStream,
		stdout: streams.stdout as NodeJS.WriteStream,
		stderr: streams.stderr as NodeJS.WriteStream,
		exitOnCtrlC: false,
		patchConsole: false,
		// Ink's default 30 fps throttle holds a keystroke's frame up to 33 ms; our frames are small, so draw each within 2 ms.
		maxFps: 500,
	});
	// The launcher (scripts/launcher.cjs) writes its code cache then, so the cache holds what a first frame compiles.
	(process as NodeJS.EventEmitter).emit('tui:first-frame');
	const onAbort = () => instance.unmount();
	streams.signal?.addEventListener('abort', onAbort, {once: true});
	return {
		instance,
		unmount: () => instance.unmount(),
		waitUntilExit: async () => {
			try {
				return await instance.waitUntilExit();
			} finally {
				streams.signal?.removeEventListener('abort', onAbort);
			}
		},
	};
}

/**
 * Renders a screen until it finishes, and returns what it finished with: `build` gets the `finish` callback the
 * screen calls (with a value, or none for "left without a result"). Undefined when the screen ended otherwise.
 */
export async function runScreen<T>(
	build: (finish: (value?: T) => void) => ReactElement,
	streams: ScreenStreams,
	options: RenderScreenOptions = {},
): Promise<T | undefined> {
	let result: T | undefined;
	let screen: Screen | undefined;
	let finished = false;
	const finish = (value?: T): void => {
		if (value !== undefined) result = value;
		finished = true;
		screen?.unmount();
	};
	screen = renderScreen(build(finish), streams, options);
	// A screen that finished during its first render is unmounted now that there is one to unmount.
	if (finished) screen.unmount();
	await screen.waitUntilExit();
	return result;
}
