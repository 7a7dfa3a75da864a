// The one place tests wait and press keys. Every wait is for a condition, a frame, an output line or an exit, with a
// deadline that fails naming what was awaited; nothing sleeps a fixed time.
import type {ChildProcessWithoutNullStreams} from 'node:child_process';
import {act} from 'react';
import type {render} from 'ink-testing-library';
import type {PtySession} from './pty.js';

/** A screen rendered by ink-testing-library. */
export type Rendered = ReturnType<typeof render>;

/** What a test waits to see: text, a pattern, or a test of the whole frame. */
export type ScreenMatch = string | RegExp | ((screen: string) => boolean);

const POLL_MS = 10;
// Ink closes each frame it writes with the synchronized-output end mark.
const END_OF_FRAME = '\u001B[?2026l';

function matches(screen: string, expected: ScreenMatch): boolean {
	if (typeof expected === 'string') return screen.includes(expected);
	return typeof expected === 'function' ? expected(screen) : expected.test(screen);
}

function actEnvironment(): boolean {
	return (globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT === true;
}

async function pause(inAct: boolean): Promise<void> {
	const tick = () => new Promise<void>((resolve) => setTimeout(resolve, POLL_MS));
	if (inAct) await act(tick);
	else await tick();
}

/** Polls `probe` until it gives something other than undefined or false; the probe may throw to give up early. */
async function poll<T>(
	probe: () => T | Promise<T>,
	timedOut: () => string,
	timeoutMs: number,
	inAct: boolean,
): Promise<Exclude<T, undefined | false>> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined && value !== false) return value as Exclude<T, undefined | false>;
		if (Date.now() > deadline) throw new Error(timedOut());
		// Between polls React work (effects, task hooks) settles inside act, where a test renders with React.
		await pause(inAct);
	}
}

/**
 * Waits until `probe` gives a value (anything but undefined or false) and returns it, or fails naming `what`.
 * With React's act environment on (test/helpers/setup.ts) the waits run inside act, so screens update meanwhile.
 */
export function until<T>(
	probe: () => T | Promise<T>,
	what: string,
	timeoutMs = 10_000,
): Promise<Exclude<T, undefined | false>> {
	return poll(probe, () => `timed out waiting for ${what}`, timeoutMs, actEnvironment());
}

function isRendered(screen: Rendered | PtySession): screen is Rendered {
	return 'lastFrame' in screen;
}

/**
 * Waits for a frame that matches and returns it. For ink-testing-library the last frame; for a pty the whole
 * screen once the last frame Ink wrote is complete: a key written while a frame is still arriving can reach the
 * screen being replaced (seen on a loaded machine).
 */
export function waitForFrame(
	screen: Rendered | PtySession,
	expected: ScreenMatch,
	timeoutMs?: number,
): Promise<string> {
	if (isRendered(screen)) {
		const frame = () => screen.lastFrame() ?? '';
		return poll(
			() => matches(frame(), expected) && frame(),
			() => `timed out waiting for ${String(expected)}; last frame:\n${frame()}`,
			timeoutMs ?? 10_000,
			true,
		);
	}
	return waitForScreen(screen, expected, {timeoutMs, complete: () => screen.output().endsWith(END_OF_FRAME)});
}

/** Waits for text on a pty screen that is not an Ink frame (a readline prompt such as "[y/N]"). */
export function waitForText(session: PtySession, expected: ScreenMatch, timeoutMs?: number): Promise<string> {
	return waitForScreen(session, expected, {timeoutMs, complete: () => true});
}

function waitForScreen(
	session: PtySession,
	expected: ScreenMatch,
	options: {readonly timeoutMs?: number; readonly complete: () => boolean; readonly after?: string},
): Promise<string> {
	let exited = false;
	void session.exited.then(() => (exited = true));
	const probe = () => {
		const screen = session.screen();
		if (matches(screen, expected) && options.complete()) return screen;
		if (exited) throw new Error(`the process exited before ${String(expected)} appeared; screen:\n${screen}`);
		return undefined;
	};
	return poll(
		probe,
		() => `timed out waiting for ${String(expected)}${options.after ?? ''}; screen:\n${session.screen()}`,
		options.timeoutMs ?? 20_000,
		false,
	);
}

/** ink-testing-library: writes each key inside act, then lets Ink flush a lone Esc (it waits one setImmediate for a sequence). */
export function press(screen: Rendered, ...keys: string[]): Promise<void>;
/**
 * A pty: writes `keys` once and waits for the complete frame that shows `expected`. A key is never written twice:
 * a key typed right after a screen change must reach the new screen (source/ui/hooks/use-keys.ts), and this is
 * where a lost key shows, as a timeout naming the screen. `lastFrame`: the frame before an exit may be followed
 * by Ink's cleanup (cursor, raw mode) rather than the frame mark.
 */
export function press(
	session: PtySession,
	keys: string,
	expected: ScreenMatch,
	options?: {readonly timeoutMs?: number; readonly lastFrame?: boolean},
): Promise<string>;
export async function press(target: Rendered | PtySession, ...rest: unknown[]): Promise<string | void> {
	if (isRendered(target)) {
		for (const key of rest as string[]) {
			await act(async () => {
				target.stdin.write(key);
				await new Promise((resolve) => setImmediate(resolve));
			});
		}
		return;
	}
	const [keys, expected, options = {}] = rest as [
		string,
		ScreenMatch,
		{readonly timeoutMs?: number; readonly lastFrame?: boolean}?,
	];
	target.write(keys);
	const complete = () => options.lastFrame === true || target.output().endsWith(END_OF_FRAME);
	return waitForScreen(target, expected, {
		timeoutMs: options.timeoutMs,
		complete,
		after: ` after writing ${JSON.stringify(keys)}`,
	});
}

/** Types text into an ink-testing-library screen. */
export function type(screen: Rendered, text: string): Promise<void> {
	return press(screen, text);
}

/** The exit code, or a rejection naming the screen when the process is still running after withinMs. */
export async function exitWithin(session: PtySession, withinMs = 10_000): Promise<number> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(
			() => reject(new Error(`no exit within ${withinMs} ms; screen:\n${session.screen()}`)),
			withinMs,
		);
	});
	try {
		return (await Promise.race([session.exited, late])).exitCode;
	} finally {
		clearTimeout(timer);
	}
}

/** A child process whose stdout lines and stderr are kept from its start (see recordOutput). */
export type Worker = ChildProcessWithoutNullStreams & {readonly lines: string[]; readonly stderrText: () => string};

/** Keeps the child's stdout lines and stderr; call it right after spawn, so waitForLine sees every line. */
export function recordOutput(child: ChildProcessWithoutNullStreams): Worker {
	const lines: string[] = [];
	let partial = '';
	let err = '';
	child.stdout.on('data', (chunk: Buffer) => {
		partial += chunk.toString();
		const parts = partial.split('\n');
		partial = parts.pop() ?? '';
		lines.push(...parts);
		child.emit('line');
	});
	child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
	return Object.assign(child, {lines, stderrText: () => err});
}

/** Resolves with the first stdout line matching `wanted` (already printed or to come); rejects on exit or timeout. */
export function waitForLine(child: Worker, wanted: RegExp, timeoutMs = 60_000): Promise<string> {
	return new Promise((resolve, reject) => {
		const check = () => {
			const line = child.lines.find((l) => wanted.test(l));
			if (line !== undefined) {
				cleanup();
				resolve(line);
			}
		};
		const onExit = () => {
			check();
			cleanup();
			reject(
				new Error(
					`worker exited (${child.exitCode ?? child.signalCode}) before ${wanted}: ${child.stderrText().slice(-2000)}`,
				),
			);
		};
		const timer = setTimeout(() => {
			cleanup();
			reject(new Error(`no ${wanted} from the worker within ${timeoutMs} ms: ${child.stderrText().slice(-2000)}`));
		}, timeoutMs);
		const cleanup = () => {
			clearTimeout(timer);
			child.off('line', check);
			child.off('exit', onExit);
		};
		child.on('line', check);
		child.on('exit', onExit);
		check();
	});
}

export function waitForExit(child: ChildProcessWithoutNullStreams): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}
