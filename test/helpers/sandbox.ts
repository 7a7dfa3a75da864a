// Starts the offline sandbox for a test: in-process (fast, stats and faults at hand) or as
// a separate real process (source/sandbox/main.ts).
import {spawn, type ChildProcess} from 'node:child_process';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, onTestFinished} from 'vitest';
import {startSandbox, type Sandbox, type SandboxOptions} from '../../source/sandbox/server.js';

export type {Sandbox, SandboxOptions} from '../../source/sandbox/server.js';

const MAIN = fileURLToPath(new URL('../../source/sandbox/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A sandbox closed when the current test finishes. Call it inside a test. */
export async function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const sandbox = await startSandbox(options);
	onTestFinished(() => sandbox.close());
	return sandbox;
}

/** One sandbox for every test of the file (or describe block): call at its top level. */
export function useSandbox(options: SandboxOptions = {}): () => Sandbox {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox(options);
	});
	afterAll(async () => {
		await sandbox?.close();
	});
	return () => {
		if (!sandbox)
			throw new Error('the sandbox is not running: useSandbox() must be called at the top level of a file or describe');
		return sandbox;
	};
}

export type SandboxProcess = {
	readonly env: Record<string, string>;
	readonly url: string;
	readonly child: ChildProcess;
	/** Everything the process wrote so far: stderr, and stdout after the env line. */
	readonly output: {stdout: string; stderr: string};
	/** SIGTERM, then the exit code. */
	stop(): Promise<number | null>;
};

/** The sandbox as its own process; resolves once it printed its env line. */
export async function spawnSandboxProcess(args: readonly string[] = [], timeoutMs = 20_000): Promise<SandboxProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const output = {stdout: '', stderr: ''};
	child.stderr!.on('data', (chunk: Buffer) => {
		output.stderr += chunk.toString();
	});
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	const line = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`sandbox process did not start within ${timeoutMs} ms: ${output.stderr}`)),
			timeoutMs,
		);
		const lines = createInterface({input: child.stdout!});
		lines.once('line', (text) => {
			clearTimeout(timer);
			lines.on('line', (more) => {
				output.stdout += `${more}\n`;
			});
			resolve(text);
		});
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`sandbox process exited with ${code}: ${output.stderr}`));
		});
	});
	const env = JSON.parse(line) as Record<string, string>;
	return {
		env,
		url: env.TUI_OPENAI_ISSUER!,
		child,
		output,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			return exited;
		},
	};
}
