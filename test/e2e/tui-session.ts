// Shared by the pty e2e tests: an isolated machine for the built CLI (temp HOME, no credentials from the
// runner's environment), a stand-in for the desktop's URL opener, and `tui auth status --json`.
import {chmod, mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {runCli} from '../helpers/run-cli.js';
import {until} from '../helpers/wait.js';
import {tempDir} from '../helpers/temp-home.js';

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
	const dir = await tempDir(`tui-e2e-${prefix}-`);
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
		const url = await until(
			async () => (await readFile(opened, 'utf8')).split('\n').filter(Boolean)[seen],
			'the app to open a URL',
			timeoutMs,
		);
		seen++;
		return url;
	};
	return {dir, home: join(dir, 'home'), env, nextOpenedUrl, remove: () => rm(dir, {recursive: true, force: true})};
}

export type StatusAccount = {
	readonly id: string;
	readonly label: string;
	readonly kind: string;
	readonly active: boolean;
	readonly plan?: string;
	readonly email?: string;
	readonly key?: string;
};
export type StatusJson = {
	readonly activeProvider: string | null;
	readonly providers: Record<
		'openai' | 'claude',
		{
			readonly usable: boolean;
			readonly source: string;
			readonly kind: string | null;
			readonly activeAccount: StatusAccount | null;
			readonly accounts: readonly StatusAccount[];
		}
	>;
};

/** `tui auth status --json` on the same home, as a separate process without a terminal. */
export async function authStatus(machine: TestMachine): Promise<StatusJson> {
	const env: Record<string, string> = {HOME: machine.dir, CODEX_HOME: join(machine.dir, 'codex')};
	const result = await runCli(['--sandbox', '--home', machine.home, 'auth', 'status', '--json'], {env});
	if (result.stdout.trim() === '')
		throw new Error(`auth status printed nothing (exit ${result.code}): ${result.stderr}`);
	return JSON.parse(result.stdout) as StatusJson;
}
