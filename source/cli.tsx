// argv → command. Wires the real dependencies; everything else lives in commands/.
import {Command, CommanderError, Option} from 'commander';
import {TuiError, UsageError} from './core/errors.js';
import {describeFsError} from './core/fs-errors.js';
import {markInterrupted, wasInterrupted} from './core/interrupt.js';
import {KEY_IN_ARGUMENT, looksLikeSecret, nearest, safeLine} from './core/text.js';
import {readFileSync} from 'node:fs';
import type {CommandContext, Env} from './app/context.js';
import {plainOutput} from './app/plain-output.js';

type Globals = {home?: string; sandbox?: boolean; fresh?: boolean};

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

type ContextOptions = {
	/** A command whose only output is text or JSON written in one piece: a pipe or file gets a plain writer. */
	readonly plainOutput?: boolean;
};

async function makeContext(globals: Globals, options: ContextOptions = {}): Promise<CommandContext> {
	const {resolveHome} = await import('./store/home.js');
	let env: Env = process.env;
	let home: string;
	let sandboxHome: CommandContext['sandboxHome'];
	if (globals.fresh && !globals.sandbox)
		throw new UsageError('--fresh needs --sandbox (it starts the sandbox home over)');
	if (globals.sandbox) {
		const named = globals.home ?? process.env.TUI_HOME;
		const setup = await (
			await import('./commands/sandbox-context.js')
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

function frozenClock(value: string | undefined): number {
	if (!value) return Number.NaN;
	const at = Date.parse(value);
	if (!Number.isFinite(at)) throw new TuiError('TUI_NOW must be an ISO date and time, e.g. 2026-12-02T23:30:00Z', 2);
	return at;
}

function action(load: (ctx: CommandContext, ...args: any[]) => Promise<number>, options: ContextOptions = {}) {
	return async (...args: any[]) => {
		const command = args[args.length - 1] as Command;
		const ctx = await makeContext(command.optsWithGlobals<Globals>(), options);
		process.exitCode = await load(ctx, ...args.slice(0, -1));
		// Damaged files set aside are named until the user deals with them (home and auth status show them themselves).
		if (command !== program && command.name() !== 'status') {
			const {quarantinedFiles, quarantineWarning} = await import('./store/state-warnings.js');
			for (const file of quarantinedFiles(ctx.home)) ctx.stderr.write(`tui: warning: ${quarantineWarning(file)}\n`);
		}
	};
}

// The commands scripts pipe: text or JSON, written in one piece.
const PLAIN: ContextOptions = {plainOutput: true};

const program = new Command('tui')
	.description('Sign in to OpenAI or Claude, manage accounts, fallback and quota for the tui coding assistant')
	.option('--home <dir>', 'state folder (default: $TUI_HOME, $XDG_CONFIG_HOME/tui or ~/.config/tui)')
	.option(
		'--sandbox',
		'run against local sandbox providers on 127.0.0.1 (offline; a throwaway home unless --home, which keeps them across runs)',
	)
	.option('--fresh', 'with --sandbox: start its home over first (as `reset --confirm`)')
	.version(packageVersion(), '-V, --version', 'print the version')
	.usage('[options] [command]')
	.helpCommand(false)
	.exitOverride()
	// One line per usage error, like every other error of ours.
	.configureOutput({
		outputError: (text, write) =>
			write(
				`tui: ${safeLine(
					text
						.trim()
						.split('\n')
						.join(' ')
						.replace(/^error: /, ''),
					500,
				)} (see --help)\n`,
			),
	});

// Each command's arguments, options, help text and action are added when it is about to run, or its help or its
// parent's (which shows its arguments and whether it has options) is about to print: a start needs one command's
// options, and building every command's took ~0.9 ms.
const definitions = new Map<Command, (command: Command) => Command>();

function command(parent: Command, name: string, description: string, define: (command: Command) => Command): void {
	definitions.set(parent.command(name).description(description), define);
}

function defined(command: Command): void {
	const define = definitions.get(command);
	definitions.delete(command);
	define?.(command);
}

function defineSubcommand(_parent: Command, subcommand: Command): void {
	defined(subcommand);
}

program.hook('preSubcommand', defineSubcommand).on('beforeAllHelp', ({command}: {command: Command}) => {
	defined(command);
	command.commands.forEach(defined);
});

// Without a command: the home screen. A stray word is an unknown command, not an argument of it.
program.argument('[command]').action(async (word: string | undefined, _opts: unknown, command: Command) => {
	if (word !== undefined) unknownCommand(program, word);
	await action(async (ctx) => (await import('./commands/home.js')).run(ctx))(command);
});

// The shared background sandbox of a named --sandbox home (source/sandbox/shared.ts starts it).
const SERVE_SANDBOX = '__serve-sandbox';
program
	.command(SERVE_SANDBOX, {hidden: true})
	.argument('<dir>')
	.action(async (dir: string) => (await import('./sandbox/shared.js')).serveSharedSandbox(dir));

command(program, 'onboard', 'run the onboarding wizard (flags give its non-interactive form)', (c) =>
	c
		.addOption(new Option('--provider <provider>', 'openai or claude').choices(['openai', 'claude']))
		.option('--tier <tier>', 'your plan, e.g. plus, pro, max-5x, api')
		.addOption(new Option('--mode <mode>', 'auth mode').choices(['subscription', 'api', 'auto']))
		.addOption(new Option('--method <method>', 'login method').choices(['browser', 'paste', 'api-key', 'claude-code']))
		.option('--with-api-key', 'read the API key from stdin')
		.option('--label <name>', 'account label')
		.option('--no-browser', 'print the login URL instead of opening a browser')
		.option(
			'--status-line',
			"with claude-code: show Claude quota in Claude Code's status line (edits its settings.json, no question)",
		)
		.option('--no-status-line', 'with claude-code: do not offer the status line')
		.action(action(async (ctx, opts) => (await import('./commands/onboard.js')).run(ctx, opts))),
);

const auth = program
	.command('auth')
	.description('manage accounts and credentials')
	.hook('preSubcommand', defineSubcommand);

command(auth, 'login', 'add an account', (c) =>
	c
		.addOption(new Option('--provider <provider>', 'openai or claude').choices(['openai', 'claude']))
		.addOption(new Option('--method <method>', 'login method').choices(['browser', 'paste', 'api-key', 'claude-code']))
		.option('--label <name>', 'account label; naming a stored ChatGPT sign-in signs it in again')
		.option('--with-api-key', 'read an API key from stdin (never from argv)')
		.option('--no-browser', 'print the login URL instead of opening a browser')
		.option('--timeout <seconds>', 'give up waiting after this many seconds (default 300)')
		.option('--yes', 'with --method claude-code: record an existing Claude Code login without asking')
		.option(
			'--status-line',
			"with claude-code: show Claude quota in Claude Code's status line (edits its settings.json, no question)",
		)
		.option('--no-status-line', 'with claude-code: do not offer the status line')
		.action(action(async (ctx, opts) => (await import('./commands/auth-login.js')).run(ctx, opts))),
);

command(auth, 'switch', 'change the active provider or account', (c) =>
	c
		.argument('[target]', 'PROVIDER or PROVIDER/LABEL; a picker opens without it')
		.action(action(async (ctx, target) => (await import('./commands/auth-switch.js')).run(ctx, target))),
);

command(auth, 'status', 'which credential resolves for each provider, from where, and whether it is usable', (c) =>
	c
		.option('--json', 'machine-readable output')
		.action(action(async (ctx, opts) => (await import('./commands/auth-status.js')).run(ctx, opts), PLAIN)),
);

command(auth, 'logout', 'remove an account (and revoke it where the provider allows)', (c) =>
	c
		.argument('[target]', 'PROVIDER or PROVIDER/LABEL')
		.option('--all', 'remove every account of every provider')
		.action(action(async (ctx, target, opts) => (await import('./commands/auth-logout.js')).run(ctx, target, opts))),
);

command(auth, 'fallback', 'which provider takes over, and when', (c) =>
	c
		.option('--order <providers>', 'comma-separated, e.g. claude,openai')
		.option('--on <triggers>', 'comma-separated: quota,rate-limit,auth-error,outage')
		.option('--threshold <percent>', 'quota percent that triggers fallback')
		.option('--off', 'turn fallback off')
		.addHelpText(
			'after',
			'\nWithout flags at a terminal: the fallback preferences screen. Without a terminal: prints the current settings.\nExamples:\n  tui auth fallback --order claude,openai --on quota,rate-limit --threshold 90\n  tui auth fallback --off',
		)
		.action(action(async (ctx, opts) => (await import('./commands/auth-fallback.js')).run(ctx, opts))),
);

command(auth, 'token', 'print a fresh credential for scripts (stdout only)', (c) =>
	c
		.argument('[provider]', 'openai or claude (default: the active provider)')
		.action(action(async (ctx, provider) => (await import('./commands/auth-token.js')).run(ctx, provider), PLAIN)),
);

command(auth, 'rotate', 'replace an API key in place, after validating the new one', (c) =>
	c
		.argument('[target]', 'PROVIDER/LABEL of an api-key account, e.g. openai/work')
		.option('--with-api-key', 'read the new key from stdin (never from argv)')
		.action(action(async (ctx, target, opts) => (await import('./commands/auth-rotate.js')).run(ctx, target, opts))),
);

command(auth, 'env', 'print the environment a child agent needs for the selected account (stdout only)', (c) =>
	c
		.option('--provider <provider>', 'openai or claude (default: selection with fallback)')
		.option('--shell <shell>', 'sh, fish or json', 'sh')
		.addHelpText(
			'after',
			'\nSets TUI_PROVIDER, TUI_ACCOUNT, TUI_AUTH_KIND, and: OPENAI_API_KEY or ANTHROPIC_API_KEY for an API key;\n' +
				'TUI_CHATGPT_ACCESS_TOKEN and TUI_CHATGPT_BASE_URL for a ChatGPT sign-in (a plan token for POST /responses with\n' +
				'store:false and stream:true, and GET /models; never as an API key); TUI_ACCESS_TOKEN for another sign-in;\n' +
				'TUI_ACCESS_TOKEN_EXPIRES_AT with either; ' +
				'TUI_DELEGATED_TOOL for a login held by another tool (no secret).\nUse: eval "$(tui auth env)"',
		)
		.action(action(async (ctx, opts) => (await import('./commands/auth-env.js')).run(ctx, opts), PLAIN)),
);

command(auth, 'export', 'write every account to FILE, encrypted with a passphrase (scrypt + AES-256-GCM)', (c) =>
	c
		.argument('<file>', 'where to write the export (mode 0600)')
		.option('--passphrase-fd <n>', 'read the passphrase from this file descriptor instead of the terminal')
		.option('--force', 'overwrite FILE if it exists')
		.action(action(async (ctx, file, opts) => (await import('./commands/auth-export.js')).run(ctx, file, opts))),
);

command(auth, 'import', 'add the accounts of an encrypted export; clashing labels are renamed', (c) =>
	c
		.argument('<file>', 'a file written by tui auth export')
		.option('--passphrase-fd <n>', 'read the passphrase from this file descriptor instead of the terminal')
		.action(action(async (ctx, file, opts) => (await import('./commands/auth-import.js')).run(ctx, file, opts))),
);

command(auth, 'storage', 'where secrets live: the auth files (default) or the OS keyring', (c) =>
	c
		.argument('[where]', 'file or keyring; shows the current one without it')
		.action(action(async (ctx, where) => (await import('./commands/auth-storage.js')).run(ctx, where))),
);

command(program, 'quota', 'subscription windows, rate limits and spend', (c) =>
	c
		.option('--json', 'machine-readable output')
		.option('--line', 'one short line for status bars')
		.option('--watch', 'refresh periodically')
		.option('--interval <seconds>', 'refresh interval for --watch', '30')
		.addHelpText(
			'after',
			'\nReading --line, e.g. "claude 43% 5h · 71% wk │ openai 12% req": per provider, the share used of each window\n' +
				'(5h = 5-hour, wk = weekly, day = daily, mo = monthly); ! at 80% or more, ✖ used up, ? figure may be stale;\n' +
				'"req" = share of the request rate limit used (API keys, from the last response); "via Claude Code" = its own quota.',
		)
		.action(action(async (ctx, opts) => (await import('./commands/quota.js')).run(ctx, opts))),
);

command(
	program,
	'statusline',
	"Claude Code's status-line command: records your Claude 5-hour and weekly windows, prints one line",
	(c) =>
		c
			.argument('<tool>', 'claude (the only one so far)')
			.option('--debug', 'say on stderr why windows were not recorded')
			.option('--install', "add it to Claude Code's settings.json (shows the change and asks first)")
			.option('--yes', 'with --install: install without asking')
			.option('--uninstall', 'put back the status line the install replaced')
			.addHelpText(
				'after',
				'\nClaude Code pipes a JSON document to it on every refresh; it never touches the network, and prints a line\n' +
					'and exits 0 whatever it reads. --install keeps an existing statusLine command by running it after ours.\n' +
					'Examples:\n  tui statusline claude --install\n  tui statusline claude --uninstall',
			)
			.action(action(async (ctx, tool, opts) => (await import('./commands/statusline.js')).run(ctx, tool, opts))),
);

command(program, 'recommend', 'which auth mode each module would use, why, and its estimated cost', (c) =>
	c
		.argument('<paths...>', 'files or directories')
		.option('--json', 'machine-readable output')
		.action(action(async (ctx, paths, opts) => (await import('./commands/recommend.js')).run(ctx, paths, opts))),
);

command(
	program,
	'reset',
	'remove all state under the home folder (config, accounts, usage, locks), after a summary',
	(c) =>
		c
			.option('--confirm', 'remove without asking; without it the summary is printed and nothing is removed')
			.action(action(async (ctx, opts) => (await import('./commands/reset.js')).run(ctx, opts))),
);

command(program, 'help', 'show help for a command, e.g. tui help auth login', (c) =>
	c.argument('[command...]').action((names: string[]) => {
		let target = program;
		for (const name of names)
			target =
				target.commands.find((c) => c.name() === name && !(c as {_hidden?: boolean})._hidden) ??
				unknownCommand(target, name);
		target.outputHelp();
	}),
);

function packageVersion(): string {
	// The build writes it in; running from the sources (tests), it is read.
	if (process.env.TUI_BUILT_VERSION) return process.env.TUI_BUILT_VERSION;
	try {
		return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string}).version;
	} catch {
		return 'unknown';
	}
}

/** "unknown command 'x'" with the nearest command name, as a usage error. */
function unknownCommand(parent: Command, word: string): never {
	const visible = (c: Command) => c.commands.filter((sub) => !(sub as {_hidden?: boolean})._hidden);
	// At the top, `tui status` is most likely `tui auth status`.
	const names = visible(parent).flatMap((c) => [
		c.name(),
		...(parent === program ? visible(c).map((sub) => `${c.name()} ${sub.name()}`) : []),
	]);
	const near = nearest(word, names, (name) => name.split(' ').pop()!);
	const where = parent === program ? '' : ` of tui ${parent.name()}`;
	throw new UsageError(
		`unknown command '${safeLine(word, 40)}'${where}${near ? `; did you mean '${near}'?` : ''} (see tui help)`,
	);
}

// The one error line, written without creating the stderr stream when it is a pipe or a file (plain-output.ts):
// `tui auth token` failing in a script should not load the stream classes to say so.
let errors: CommandContext['stderr'] | undefined;
const errorOutput = () => (errors ??= plainOutput(2, () => process.stderr));

async function main(argv: string[]): Promise<void> {
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
		await program.parseAsync(argv);
	} catch (error) {
		if (error instanceof CommanderError) {
			// help and version exit 0; every parse error is a usage error.
			process.exitCode = error.exitCode === 0 ? 0 : 2;
		} else if (error instanceof TuiError) {
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

void main(process.argv);
