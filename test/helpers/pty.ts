// Runs the built CLI in a real pseudo-terminal and reads the screen through a headless xterm.
import path from 'node:path';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';

export const CLI = path.resolve('dist/cli.cjs');

export type PtySession = {
	readonly screen: () => string;
	/** Only the rows the terminal shows now (no scrollback). */
	readonly visible: () => string;
	readonly resize: (cols: number, rows: number) => void;
	readonly write: (data: string) => void;
	readonly exited: Promise<{exitCode: number; signal?: number}>;
	readonly kill: () => void;
	readonly output: () => string;
};

export function spawnTui(
	args: readonly string[],
	options: {env?: Record<string, string | undefined>; cols?: number; rows?: number; cwd?: string} = {},
): PtySession {
	const cols = options.cols ?? 100;
	const rows = options.rows ?? 30;
	const term = new xterm.Terminal({cols, rows, allowProposedApi: true});
	const env = {
		...process.env,
		TERM: 'xterm-256color',
		COLUMNS: String(cols),
		LINES: String(rows),
		...options.env,
	} as Record<string, string>;
	for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
	const child = pty.spawn(process.execPath, [CLI, ...args], {
		name: 'xterm-256color',
		cols,
		rows,
		cwd: options.cwd ?? process.cwd(),
		env,
	});
	let raw = '';
	child.onData((data) => {
		raw += data;
		term.write(data);
	});
	const exited = new Promise<{exitCode: number; signal?: number}>((resolve) => {
		child.onExit((event) => {
			// Let xterm finish parsing what arrived before the exit.
			term.write('', () => resolve(event));
		});
	});

	const screen = () => {
		const buffer = term.buffer.active;
		const lines: string[] = [];
		for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
		return lines.join('\n').replace(/\n+$/, '');
	};

	const visible = () => {
		const buffer = term.buffer.active;
		const lines: string[] = [];
		for (let i = buffer.viewportY; i < buffer.viewportY + term.rows; i++)
			lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
		return lines.join('\n');
	};

	return {
		screen,
		visible,
		resize: (cols, rows) => {
			child.resize(cols, rows);
			term.resize(cols, rows);
		},
		write: (data) => child.write(data),
		exited,
		kill: () => {
			try {
				child.kill('SIGKILL');
			} catch {}
		},
		output: () => raw,
	};
}
