// What every command and the real Services receive from the entry; nothing below it reads process globals.
import type {Readable, Writable} from 'node:stream';
import type {Env} from '../providers/config-env.js';

export type {Env};

export type CommandContext = {
	readonly home: string;
	readonly env: Env;
	readonly stdin: Readable & {isTTY?: boolean};
	readonly stdout: Writable & {isTTY?: boolean; columns?: number};
	readonly stderr: Writable & {isTTY?: boolean};
	readonly sandbox: boolean;
	/** With --sandbox: the home as shown on screen, whether it is removed on exit, and the prefix of the keys it accepts. */
	readonly sandboxHome?: {readonly label: string; readonly throwaway: boolean; readonly keyPrefix: string};
	readonly now: () => number;
	readonly fetch: typeof fetch;
	/** Aborted on Ctrl+C / SIGTERM so long work can stop cleanly. */
	readonly signal: AbortSignal;
};

export function isInteractive(ctx: CommandContext): boolean {
	return Boolean(ctx.stdin.isTTY && ctx.stdout.isTTY);
}

/** Calls back with the terminal's new size on each resize of stdout; returns the unsubscribe. */
export function watchResize(
	stdout: CommandContext['stdout'],
): (listener: (size: {readonly columns: number; readonly rows: number}) => void) => () => void {
	return (listener) => {
		const terminal = stdout as CommandContext['stdout'] & {rows?: number};
		const resized = () => listener({columns: terminal.columns ?? 80, rows: terminal.rows ?? 24});
		terminal.on('resize', resized);
		return () => void terminal.off('resize', resized);
	};
}
