// A real pseudo-terminal (node-pty) read through a headless xterm, for the frame benches.
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';

export function spawnPty(file, args, {env = {}, cols = 100, rows = 30} = {}) {
	const term = new xterm.Terminal({cols, rows, allowProposedApi: true});
	const fullEnv = {...process.env, TERM: 'xterm-256color', COLUMNS: String(cols), LINES: String(rows), ...env};
	for (const key of Object.keys(fullEnv)) if (fullEnv[key] === undefined) delete fullEnv[key];
	const started = performance.now();
	const child = pty.spawn(file, args, {name: 'xterm-256color', cols, rows, cwd: process.cwd(), env: fullEnv});
	const listeners = new Set();
	let exited = false;
	child.onData((data) => term.write(data, () => listeners.forEach((listener) => listener())));
	child.onExit(() => {
		exited = true;
		term.write('', () => listeners.forEach((listener) => listener()));
	});
	const screen = () => {
		const buffer = term.buffer.active;
		const lines = [];
		for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
		return lines.join('\n');
	};
	/** Resolves with performance.now() when `test(screen)` first holds. */
	const until = (test, timeoutMs = 20_000) =>
		new Promise((resolve, reject) => {
			const check = () => {
				if (test(screen())) {
					done();
					resolve(performance.now());
				} else if (exited) {
					done();
					reject(new Error(`exited before the expected frame; screen:\n${screen()}`));
				}
			};
			const timer = setTimeout(() => {
				done();
				reject(new Error(`timed out; screen:\n${screen()}`));
			}, timeoutMs);
			const done = () => {
				clearTimeout(timer);
				listeners.delete(check);
			};
			listeners.add(check);
			check();
		});
	/** Resolves when the program exits by itself; rejects after `timeoutMs`. */
	const exit = (timeoutMs = 20_000) =>
		until(() => exited, timeoutMs).catch(() => {
			if (!exited) throw new Error(`still running after ${timeoutMs} ms; screen:\n${screen()}`);
		});
	const kill = () =>
		new Promise((resolve) => {
			if (exited) return resolve();
			child.onExit(() => resolve());
			try {
				child.kill('SIGKILL');
			} catch {
				resolve();
			}
		});
	return {started, pid: child.pid, screen, until, exit, write: (data) => child.write(data), kill};
}
