// Runs the built CLI (`node dist/cli.cjs`) as a real child process with stdin piped (not a TTY),
// a clean environment (no credentials inherited from the machine) and a deadline.
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {clockEnv} from './clock-env.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));

export type CliResult = {readonly code: number | null; readonly stdout: string; readonly stderr: string};

export type CliOptions = {
	/** Added to a minimal environment (PATH, HOME, COLUMNS, XDG_CACHE_HOME); nothing else leaks in from the test runner. */
	readonly env?: Readonly<Record<string, string>>;
	/** Written to stdin, then stdin is closed. Without it stdin is closed at once (empty, not a TTY). */
	readonly input?: string;
	readonly timeoutMs?: number;
};

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? '/usr/bin:/bin',
		HOME: '/nonexistent-home',
		COLUMNS: '100',
		NO_COLOR: '1',
		XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? '',
		...clockEnv(),
		...options.env,
	};
	const child = spawn(process.execPath, [CLI, ...args], {cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	child.stdin.on('error', () => {});
	child.stdin.end(options.input ?? '');
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(
				new Error(`tui ${args.join(' ')} did not exit within ${options.timeoutMs ?? 20_000} ms; stderr: ${stderr}`),
			);
		}, options.timeoutMs ?? 20_000);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({code, stdout, stderr});
		});
	});
}
