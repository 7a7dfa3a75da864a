// What every run of a command shares, parsed by commander or not: its context (home, env, clock, fetch, stdio,
// abort signal), the interrupt handling, the one error line, and the cleanups at the end.
import {TuiError, UsageError} from '../core/errors.js';
import {describeFsError} from '../core/fs-errors.js';
import {markInterrupted, wasInterrupted} from '../core/interrupt.js';
import {KEY_IN_ARGUMENT, looksLikeSecret, safeLine} from '../core/text.js';
import type {CommandContext, Env} from '../app/context.js';
import {plainOutput} from '../app/plain-output.js';

export type Globals = {home?: string; sandbox?: boolean; fresh?: boolean};

export type ContextOptions = {
	/** A command whose only output is text or JSON written in one piece: a pipe or file gets a plain writer. */
	readonly plainOutput?: boolean;
};

/** A command's run(): its arguments, then its options, as commander hands them to an action. */
export type CommandRun = (ctx: CommandContext, ...args: any[]) => Promise<number>;

// Made when a command first reads its context's signal: most runs never wait on the network, and an AbortController
// loads its module (~0.3 ms). Read after SIGINT or SIGTERM, it is already aborted.
let controller: AbortController | undefined;
let stopped: Error | undefined;

function abortSignal(): AbortSignal {
	if (!controller) {
		controller = new AbortController();
		if (stopped) controller.abort(stopped);
	}
	return controller.signal;
}

function stop(): void {
	stopped ??= new Error('interrupted');
	controller?.abort(stopped);
}

let cleanup: Array<() => Promise<void>> = [];

async function makeContext(globals: Globals, options: ContextOptions): Promise<CommandContext> {
	const {resolveHome} = await import('../store/home.js');
	let env: Env = process.env;
	let home: string;
	let sandboxHome: CommandContext['sandboxHome'];
	if (globals.fresh && !globals.sandbox)
		throw new UsageError('--fresh needs --sandbox (it starts the sandbox home over)');
	if (globals.sandbox) {
		const named = globals.home ?? process.env.TUI_HOME;
		const setup = await (
			await import('../commands/sandbox-context.js')
		).setUpSandbox(named ? resolveHome(named, process.env) : undefined, {
			fresh: globals.fresh,
			serveCommand: [process.argv[1]!, SERVE_SANDBOX],
		});
		cleanup.push(setup.cleanup);
		({home, env} = setup);
		const {relative, isAbsolute} = await import('node:path');
		const inCwd = relative(process.cwd(), home);
		sandboxHome = {
			label: setup.named ? (inCwd && !inCwd.startsWith('..') && !isAbsolute(inCwd) ? inCwd : home) : home,
			throwaway: !setup.named,
			keyPrefix: setup.keyPrefix,
		};
	} else {
		home = resolveHome(globals.home, process.env);
	}
	// A frozen clock (TUI_NOW, an ISO time) for tests and screenshots, so no output depends on the wall clock.
	const frozen = frozenClock(process.env.TUI_NOW);
	let stdout: CommandContext['stdout'] | undefined;
	let stderr: CommandContext['stderr'] | undefined;
	return {
		home,
		env,
		// Read on use: creating a stdio stream loads the stream classes (and net, for a pipe), and most commands
		// never read stdin or write to stderr; the commands scripts pipe write stdout without one (plain-output.ts).
		get stdin() {
			return process.stdin;
		},
		get stdout() {
			return (stdout ??= options.plainOutput ? plainOutput(1, () => process.stdout) : process.stdout);
		},
		get stderr() {
			return (stderr ??= options.plainOutput ? plainOutput(2, () => process.stderr) : process.stderr);
		},
		sandbox: Boolean(globals.sandbox),
		sandboxHome,
		now: Number.isFinite(frozen) ? () => frozen : Date.now,
		fetch: globalThis.fetch,
		get signal() {
			return abortSignal();
		},
	};
}

/** The hidden command a sandbox's background server runs as. */
export const SERVE_SANDBOX = '__serve-sandbox';

function frozenClock(value: string | undefined): number {
	if (!value) return Number.NaN;
	const at = Date.parse(value);
	if (!Number.isFinite(at)) throw new TuiError('TUI_NOW must be an ISO date and time, e.g. 2026-12-02T23:30:00Z', 2);
	return at;
}

/**
 * Runs one command with its context and sets the exit code. `name` is the command's own name, none for the bare
 * `tui`: damaged files set aside are named after every command but those two (the home screen and auth status show
 * them themselves).
 */
export async function runCommand(
	globals: Globals,
	options: ContextOptions,
	run: CommandRun,
	args: readonly unknown[],
	name: string | undefined,
): Promise<void> {
	const ctx = await makeContext(globals, options);
	process.exitCode = await run(ctx, ...args);
	if (name !== undefined && name !== 'status') {
		const {quarantinedFiles, quarantineWarning} = await import('../store/state-warnings.js');
		for (const file of quarantinedFiles(ctx.home)) ctx.stderr.write(`tui: warning: ${quarantineWarning(file)}\n`);
	}
}

// The one error line, written without creating the stderr stream when it is a pipe or a file (plain-output.ts):
// `tui auth token` failing in a script should not load the stream classes to say so.
let errors: CommandContext['stderr'] | undefined;
const errorOutput = () => (errors ??= plainOutput(2, () => process.stderr));

/** The process around a command: interrupts, the check for a key in argv, one error line, then the cleanups. */
export async function runMain(argv: readonly string[], dispatch: (argv: readonly string[]) => Promise<void>) {
	const interrupt = () => {
		markInterrupted();
		stop();
	};
	// `on`, not `once`: signal-exit (under proper-lockfile) re-raises the signal when it thinks it is the only listener.
	process.on('SIGINT', interrupt);
	process.on('SIGTERM', stop);
	try {
		// Before any parsing: a key pasted into an argument must not be echoed back by an error, nor used.
		if (argv.slice(2).some(looksLikeSecret)) throw new UsageError(KEY_IN_ARGUMENT);
		await dispatch(argv);
	} catch (error) {
		if (error instanceof TuiError) {
			errorOutput().write(`tui: ${safeLine(error.message, 500)}\n`);
			process.exitCode = error.exitCode;
		} else {
			const message = describeFsError(error) ?? (error instanceof Error ? error.message : String(error));
			errorOutput().write(`tui: ${safeLine(message, 500)}\n`);
			if (process.env.TUI_DEBUG === '1' && error instanceof Error) errorOutput().write(`${error.stack}\n`);
			process.exitCode = 1;
		}
	} finally {
		const pending = cleanup;
		cleanup = [];
		await Promise.allSettled(pending.map((close) => close()));
		if (wasInterrupted()) process.exitCode = 130;
		process.off('SIGINT', interrupt);
		process.off('SIGTERM', stop);
	}
}
