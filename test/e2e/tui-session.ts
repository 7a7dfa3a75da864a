// Shared by the pty e2e tests: an isolated machine for the built CLI (temp HOME, no credentials from the
// runner's environment), a stand-in for the desktop's URL opener, and `tui auth status --json`.
import {chmod, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {PtySession} from '../helpers/pty.js';
import {runCli} from '../helpers/run-cli.js';

export type TestMachine = {
	readonly dir: string;
	/** The --home given to tui. */
	readonly home: string;
	/** Environment for spawnTui: the fake opener first on PATH, a DISPLAY so the app opens rather than prints. */
	readonly env: Record<string, string | undefined>;
	/** The next URL the app handed to `xdg-open` (through the `open` package), waiting up to timeoutMs. */
	readonly nextOpenedUrl: (timeoutMs?: number) => Promise<string>;
	readonly remove: () => Promise<void>;
};

/**
 * `open@11` on Linux runs `xdg-open URL` from PATH when bundled (dist/ has no copy of its own script).
 * This `xdg-open` stands in for the desktop's: it appends the URL to a file, and the test's Chromium opens it.
 */
export async function makeMachine(prefix: string): Promise<TestMachine> {
	const dir = await mkdtemp(join(tmpdir(), `tui-e2e-${prefix}-`));
	const bin = join(dir, 'bin');
	const opened = join(dir, 'opened-urls.txt');
	await mkdir(bin);
	await writeFile(opened, '');
	await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`);
	await chmod(join(bin, 'xdg-open'), 0o755);
	const env: Record<string, string | undefined> = {
		HOME: dir,
		PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
		DISPLAY: ':99',
		CODEX_HOME: join(dir, 'codex'),
		OPENAI_API_KEY: undefined,
		ANTHROPIC_API_KEY: undefined,
		CLAUDE_API_KEY: undefined,
		TUI_HOME: undefined,
		XDG_CONFIG_HOME: undefined,
		SSH_CONNECTION: undefined,
		SSH_TTY: undefined,
		SSH_CLIENT: undefined,
		WAYLAND_DISPLAY: undefined,
		BROWSER: undefined,
		NO_COLOR: '1',
	};
	let seen = 0;
	const nextOpenedUrl = async (timeoutMs = 20_000) => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const lines = (await readFile(opened, 'utf8')).split('\n').filter(Boolean);
			if (lines.length > seen) return lines[seen++]!;
			if (Date.now() > deadline) throw new Error(`the app opened no URL within ${timeoutMs} ms`);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	};
	return {dir, home: join(dir, 'home'), env, nextOpenedUrl, remove: () => rm(dir, {recursive: true, force: true})};
}

export type StatusAccount = {readonly id: string; readonly label: string; readonly kind: string; readonly active: boolean; readonly plan?: string; readonly email?: string; readonly key?: string};
export type StatusJson = {
	readonly activeProvider: string | null;
	readonly providers: Record<'openai' | 'claude', {readonly usable: boolean; readonly source: string; readonly kind: string | null; readonly activeAccount: StatusAccount | null; readonly accounts: readonly StatusAccount[]}>;
};

/** `tui auth status --json` on the same home, as a separate process without a terminal. */
export async function authStatus(machine: TestMachine): Promise<StatusJson> {
	const env: Record<string, string> = {HOME: machine.dir, CODEX_HOME: join(machine.dir, 'codex')};
	const result = await runCli(['--sandbox', '--home', machine.home, 'auth', 'status', '--json'], {env});
	if (result.stdout.trim() === '') throw new Error(`auth status printed nothing (exit ${result.code}): ${result.stderr}`);
	return JSON.parse(result.stdout) as StatusJson;
}


const END_OF_FRAME = '\u001B[?2026l';

/** What a test waits to see: text, a pattern, or a test of the whole screen. */
export type ScreenMatch = string | RegExp | ((screen: string) => boolean);

/**
 * Waits until the screen matches and the last frame Ink wrote is complete (it closes each frame with the
 * synchronized-output end mark). A key written while a frame is still arriving can be lost (seen on a loaded
 * machine: the key reached the step being replaced); waiting for the whole frame avoids that.
 */
export async function waitForFrame(session: PtySession, expected: ScreenMatch, timeoutMs = 20_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	const matches = (screen: string) => (typeof expected === 'string' ? screen.includes(expected) : typeof expected === 'function' ? expected(screen) : expected.test(screen));
	let exited = false;
	void session.exited.then(() => (exited = true));
	for (;;) {
		const screen = session.screen();
		if (matches(screen) && session.output().endsWith(END_OF_FRAME)) return screen;
		if (exited) throw new Error(`the process exited before ${String(expected)} appeared; screen:\n${screen}`);
		if (Date.now() > deadline) throw new Error(`timed out waiting for a complete frame with ${String(expected)}; screen:\n${screen}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/**
 * Writes `keys` once and waits for the complete frame that shows `expected`. A key is never written twice:
 * a key typed right after a screen change must reach the new screen (source/ui/hooks/use-keys.ts), and this
 * is where a lost key would show, as a timeout naming the screen.
 */
export async function press(session: PtySession, keys: string, expected: ScreenMatch, options: {readonly timeoutMs?: number; readonly lastFrame?: boolean} = {}): Promise<string> {
	const deadline = Date.now() + (options.timeoutMs ?? 20_000);
	// The last frame before an exit may be followed by Ink's cleanup (cursor, raw mode), not the frame mark.
	const complete = () => options.lastFrame === true || session.output().endsWith(END_OF_FRAME);
	const matches = (screen: string) => (typeof expected === 'string' ? screen.includes(expected) : typeof expected === 'function' ? expected(screen) : expected.test(screen));
	session.write(keys);
	for (;;) {
		const screen = session.screen();
		if (matches(screen) && complete()) return screen;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(expected)} after writing ${JSON.stringify(keys)}; screen:\n${screen}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** The exit code, or a rejection naming the screen when the process is still running after withinMs. */
export async function exitWithin(session: PtySession, withinMs = 10_000): Promise<number> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no exit within ${withinMs} ms; screen:\n${session.screen()}`)), withinMs);
	});
	try {
		return (await Promise.race([session.exited, late])).exitCode;
	} finally {
		clearTimeout(timer);
	}
}
