// The commander program: every command's arguments, options, help and action. cli.tsx loads it for any argv that is
// not a plain form of a script command (script-commands.ts), so those runs never build it.
import {Command, CommanderError, Option} from 'commander';
import {UsageError} from '../core/errors.js';
import {nearest, safeLine} from '../core/text.js';
import {readFileSync} from 'node:fs';
import {runCommand, SERVE_SANDBOX, type CommandRun, type ContextOptions, type Globals} from './run-command.js';
import {SCRIPT_COMMANDS} from './script-commands.js';
import {scriptRun} from './script-runs.js';

function action(run: CommandRun, options: ContextOptions = {}) {
	return async (...args: any[]) => {
		const command = args[args.length - 1] as Command;
		await runCommand(
			command.optsWithGlobals<Globals>(),
			options,
			run,
			args.slice(0, -1),
			command === program ? undefined : command.name(),
		);
	};
}

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

/** A command of script-commands.ts, defined from its one description there. */
function scriptCommand(parent: Command, name: string): void {
	const words = parent === program ? [name] : [parent.name(), name];
	const spec = SCRIPT_COMMANDS.find((c) => c.words.join(' ') === words.join(' '));
	if (!spec) throw new Error(`internal: ${words.join(' ')} is not a script command`);
	command(parent, name, spec.description, (c) => {
		const {argument} = spec;
		if (argument) c.argument(argument.required ? `<${argument.name}>` : `[${argument.name}]`, argument.description);
		for (const option of spec.options) c.option(option.flags, option.description, option.defaultValue);
		if (spec.helpAfter) c.addHelpText('after', spec.helpAfter);
		return c.action(action(scriptRun(spec), spec));
	});
}

program.hook('preSubcommand', defineSubcommand).on('beforeAllHelp', ({command}: {command: Command}) => {
	defined(command);
	command.commands.forEach(defined);
});

// Without a command: the home screen. A stray word is an unknown command, not an argument of it.
program.argument('[command]').action(async (word: string | undefined, _opts: unknown, command: Command) => {
	if (word !== undefined) unknownCommand(program, word);
	await action(async (ctx) => (await import('../commands/home.js')).run(ctx))(command);
});

// The shared background sandbox of a named --sandbox home (source/sandbox/shared.ts starts it).

program
	.command(SERVE_SANDBOX, {hidden: true})
	.argument('<dir>')
	.action(async (dir: string) => (await import('../sandbox/shared.js')).serveSharedSandbox(dir));

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
		.action(action(async (ctx, opts) => (await import('../commands/onboard.js')).run(ctx, opts))),
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
		.action(action(async (ctx, opts) => (await import('../commands/auth-login.js')).run(ctx, opts))),
);

command(auth, 'switch', 'change the active provider or account', (c) =>
	c
		.argument('[target]', 'PROVIDER or PROVIDER/LABEL; a picker opens without it')
		.action(action(async (ctx, target) => (await import('../commands/auth-switch.js')).run(ctx, target))),
);

scriptCommand(auth, 'status');

command(auth, 'logout', 'remove an account (and revoke it where the provider allows)', (c) =>
	c
		.argument('[target]', 'PROVIDER or PROVIDER/LABEL')
		.option('--all', 'remove every account of every provider')
		.action(action(async (ctx, target, opts) => (await import('../commands/auth-logout.js')).run(ctx, target, opts))),
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
		.action(action(async (ctx, opts) => (await import('../commands/auth-fallback.js')).run(ctx, opts))),
);

scriptCommand(auth, 'token');

command(auth, 'rotate', 'replace an API key in place, after validating the new one', (c) =>
	c
		.argument('[target]', 'PROVIDER/LABEL of an api-key account, e.g. openai/work')
		.option('--with-api-key', 'read the new key from stdin (never from argv)')
		.action(action(async (ctx, target, opts) => (await import('../commands/auth-rotate.js')).run(ctx, target, opts))),
);

scriptCommand(auth, 'env');

command(auth, 'export', 'write every account to FILE, encrypted with a passphrase (scrypt + AES-256-GCM)', (c) =>
	c
		.argument('<file>', 'where to write the export (mode 0600)')
		.option('--passphrase-fd <n>', 'read the passphrase from this file descriptor instead of the terminal')
		.option('--force', 'overwrite FILE if it exists')
		.action(action(async (ctx, file, opts) => (await import('../commands/auth-export.js')).run(ctx, file, opts))),
);

command(auth, 'import', 'add the accounts of an encrypted export; clashing labels are renamed', (c) =>
	c
		.argument('<file>', 'a file written by tui auth export')
		.option('--passphrase-fd <n>', 'read the passphrase from this file descriptor instead of the terminal')
		.action(action(async (ctx, file, opts) => (await import('../commands/auth-import.js')).run(ctx, file, opts))),
);

command(auth, 'storage', 'where secrets live: the auth files (default) or the OS keyring', (c) =>
	c
		.argument('[where]', 'file or keyring; shows the current one without it')
		.action(action(async (ctx, where) => (await import('../commands/auth-storage.js')).run(ctx, where))),
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
		.action(action(async (ctx, opts) => (await import('../commands/quota.js')).run(ctx, opts))),
);

scriptCommand(program, 'statusline');

command(program, 'recommend', 'which auth mode each module would use, why, and its estimated cost', (c) =>
	c
		.argument('<paths...>', 'files or directories')
		.option('--json', 'machine-readable output')
		.action(action(async (ctx, paths, opts) => (await import('../commands/recommend.js')).run(ctx, paths, opts))),
);

command(
	program,
	'reset',
	'remove all state under the home folder (config, accounts, usage, locks), after a summary',
	(c) =>
		c
			.option('--confirm', 'remove without asking; without it the summary is printed and nothing is removed')
			.action(action(async (ctx, opts) => (await import('../commands/reset.js')).run(ctx, opts))),
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
		return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string})
			.version;
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

/** Parses argv and runs its command. Help and version exit 0; every parse error is a usage error (its line is out). */
export async function parseWithCommander(argv: readonly string[]): Promise<void> {
	try {
		await program.parseAsync([...argv]);
	} catch (error) {
		if (!(error instanceof CommanderError)) throw error;
		process.exitCode = error.exitCode === 0 ? 0 : 2;
	}
}
