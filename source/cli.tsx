// argv → command. Wires the real dependencies; everything else lives in commands/.
import {Command, CommanderError, Option} from 'commander';
import {TuiError} from './core/errors.js';
import {safeLine} from './core/text.js';
import type {CommandContext, Env} from './commands/context.js';

type Globals = {home?: string; sandbox?: boolean};
type Runner = (ctx: CommandContext) => Promise<number>;

const controller = new AbortController();
let cleanup: Array<() => Promise<void>> = [];

async function makeContext(globals: Globals): Promise<CommandContext> {
	const {resolveHome} = await import('./store/home.js');
	let env: Env = process.env;
	let home: string;
	if (globals.sandbox) {
		const {startSandbox} = await import('./sandbox/server.js');
		// Lazy: the providers build on the first request, so the first frame does not wait for RSA key generation.
		const sandbox = await startSandbox({lazy: true});
		cleanup.push(() => sandbox.close());
		env = {...process.env, ...sandbox.env};
		if (globals.home ?? process.env.TUI_HOME) home = resolveHome(globals.home, process.env);
		else {
			const {mkdtemp} = await import('node:fs/promises');
			const {tmpdir} = await import('node:os');
			const {join} = await import('node:path');
			home = await mkdtemp(join(tmpdir(), 'tui-sandbox-'));
		}
	} else {
		home = resolveHome(globals.home, process.env);
	}
	// Test seam for the screenshots: a frozen clock, honoured only in the sandbox (never against real providers).
	const frozen = globals.sandbox && process.env.TUI_NOW ? Date.parse(process.env.TUI_NOW) : Number.NaN;
	return {
		home,
		env,
		stdin: process.stdin,
		stdout: process.stdout,
		stderr: process.stderr,
		sandbox: Boolean(globals.sandbox),
		now: Number.isFinite(frozen) ? () => frozen : Date.now,
		fetch: globalThis.fetch,
		signal: controller.signal,
	};
}

function action(load: (ctx: CommandContext, ...args: any[]) => Promise<number>) {
	return async (...args: any[]) => {
		const command = args[args.length - 1] as Command;
		const ctx = await makeContext(command.optsWithGlobals<Globals>());
		process.exitCode = await load(ctx, ...args.slice(0, -1));
	};
}

const program = new Command('tui')
	.description('Sign in to OpenAI or Claude, manage accounts, fallback and quota for the tui coding assistant')
	.option('--home <dir>', 'state folder (default: $TUI_HOME, $XDG_CONFIG_HOME/tui or ~/.config/tui)')
	.option('--sandbox', 'run against local sandbox providers on 127.0.0.1 (offline, throwaway home unless --home)')
	.exitOverride()
	// One line per usage error, like every other error of ours.
	.configureOutput({outputError: (text, write) => write(`tui: ${(text.split('\n')[0] ?? '').replace(/^error: /, '')} (see --help)\n`)})
	.enablePositionalOptions();

program.action(action(async (ctx) => (await import('./commands/home.js')).run(ctx)));

program
	.command('onboard')
	.description('run the onboarding wizard (flags give its non-interactive form)')
	.addOption(new Option('--provider <provider>', 'openai or claude').choices(['openai', 'claude']))
	.option('--tier <tier>', 'your plan, e.g. plus, pro, max-5x, api')
	.addOption(new Option('--mode <mode>', 'auth mode').choices(['subscription', 'api', 'auto']))
	.addOption(new Option('--method <method>', 'login method').choices(['browser', 'paste', 'api-key', 'claude-code']))
	.option('--with-api-key', 'read the API key from stdin')
	.option('--label <name>', 'account label')
	.option('--no-browser', 'print the login URL instead of opening a browser')
	.action(action(async (ctx, opts) => (await import('./commands/onboard.js')).run(ctx, opts)));

const auth = program.command('auth').description('manage accounts and credentials');

auth
	.command('login')
	.description('add an account')
	.addOption(new Option('--provider <provider>', 'openai or claude').choices(['openai', 'claude']))
	.addOption(new Option('--method <method>', 'login method').choices(['browser', 'paste', 'api-key', 'claude-code']))
	.option('--label <name>', 'account label; naming a stored ChatGPT sign-in signs it in again')
	.option('--with-api-key', 'read an API key from stdin (never from argv)')
	.option('--no-browser', 'print the login URL instead of opening a browser')
	.option('--timeout <seconds>', 'give up waiting for the browser after this many seconds', '300')
	.action(action(async (ctx, opts) => (await import('./commands/auth-login.js')).run(ctx, opts)));

auth
	.command('switch')
	.description('change the active provider or account')
	.argument('[target]', 'PROVIDER or PROVIDER/LABEL; a picker opens without it')
	.action(action(async (ctx, target) => (await import('./commands/auth-switch.js')).run(ctx, target)));

auth
	.command('status')
	.description('which credential resolves for each provider, from where, and whether it is usable')
	.option('--json', 'machine-readable output')
	.action(action(async (ctx, opts) => (await import('./commands/auth-status.js')).run(ctx, opts)));

auth
	.command('logout')
	.description('remove an account (and revoke it where the provider allows)')
	.argument('[target]', 'PROVIDER or PROVIDER/LABEL')
	.option('--all', 'remove every account of every provider')
	.action(action(async (ctx, target, opts) => (await import('./commands/auth-logout.js')).run(ctx, target, opts)));

auth
	.command('fallback')
	.description('which provider takes over, and when')
	.option('--order <providers>', 'comma-separated, e.g. claude,openai')
	.option('--on <triggers>', 'comma-separated: quota,rate-limit,auth-error,outage')
	.option('--threshold <percent>', 'quota percent that triggers fallback')
	.option('--off', 'turn fallback off')
	.addHelpText('after', '\nWithout flags at a terminal: the fallback preferences screen. Without a terminal: prints the current settings.\nExamples:\n  tui auth fallback --order claude,openai --on quota,rate-limit --threshold 90\n  tui auth fallback --off')
	.action(action(async (ctx, opts) => (await import('./commands/auth-fallback.js')).run(ctx, opts)));

auth
	.command('token')
	.description('print a fresh credential for scripts (stdout only)')
	.argument('[provider]', 'openai or claude (default: the active provider)')
	.action(action(async (ctx, provider) => (await import('./commands/auth-token.js')).run(ctx, provider)));

auth
	.command('rotate')
	.description('replace an API key in place, after validating the new one')
	.argument('[target]', 'PROVIDER/LABEL of an api-key account, e.g. openai/work')
	.option('--with-api-key', 'read the new key from stdin (never from argv)')
	.action(action(async (ctx, target, opts) => (await import('./commands/auth-rotate.js')).run(ctx, target, opts)));

auth
	.command('env')
	.description('print the environment a child agent needs for the selected account (stdout only)')
	.option('--provider <provider>', 'openai or claude (default: selection with fallback)')
	.option('--shell <shell>', 'sh, fish or json', 'sh')
	.addHelpText(
		'after',
		'\nSets TUI_PROVIDER, TUI_ACCOUNT, TUI_AUTH_KIND, and: OPENAI_API_KEY or ANTHROPIC_API_KEY for an API key;\n' +
			'TUI_ACCESS_TOKEN (+ TUI_ACCOUNT_ID, TUI_ACCESS_TOKEN_EXPIRES_AT) for a sign-in, never as an API key;\n' +
			'TUI_DELEGATED_TOOL for a login held by another tool (no secret).\nUse: eval "$(tui auth env)"',
	)
	.action(action(async (ctx, opts) => (await import('./commands/auth-env.js')).run(ctx, opts)));

auth
	.command('export')
	.description('write every account to FILE, encrypted with a passphrase (scrypt + AES-256-GCM)')
	.argument('<file>', 'where to write the export (mode 0600)')
	.option('--passphrase-fd <n>', 'read the passphrase from this file descriptor instead of the terminal')
	.option('--force', 'overwrite FILE if it exists')
	.action(action(async (ctx, file, opts) => (await import('./commands/auth-export.js')).run(ctx, file, opts)));

auth
	.command('import')
	.description('add the accounts of an encrypted export; clashing labels are renamed')
	.argument('<file>', 'a file written by tui auth export')
	.option('--passphrase-fd <n>', 'read the passphrase from this file descriptor instead of the terminal')
	.action(action(async (ctx, file, opts) => (await import('./commands/auth-import.js')).run(ctx, file, opts)));

auth
	.command('storage')
	.description('where secrets live: the auth files (default) or the OS keyring')
	.argument('[where]', 'file or keyring; shows the current one without it')
	.action(action(async (ctx, where) => (await import('./commands/auth-storage.js')).run(ctx, where)));

program
	.command('quota')
	.description('subscription windows, rate limits and spend')
	.option('--json', 'machine-readable output')
	.option('--line', 'one short line for status bars')
	.option('--watch', 'refresh periodically')
	.option('--interval <seconds>', 'refresh interval for --watch', '30')
	.action(action(async (ctx, opts) => (await import('./commands/quota.js')).run(ctx, opts)));

program
	.command('recommend')
	.description('which auth mode each module would use, why, and its estimated cost')
	.argument('<paths...>', 'files or directories')
	.option('--json', 'machine-readable output')
	.action(action(async (ctx, paths, opts) => (await import('./commands/recommend.js')).run(ctx, paths, opts)));

program
	.command('reset')
	.description('remove all state under the home folder (config, accounts, usage, locks), after a summary')
	.option('--confirm', 'remove without asking; without it the summary is printed and nothing is removed')
	.action(action(async (ctx, opts) => (await import('./commands/reset.js')).run(ctx, opts)));

async function main(argv: string[]): Promise<void> {
	const stop = () => controller.abort(new Error('interrupted'));
	// `on`, not `once`: signal-exit (under proper-lockfile) re-raises the signal when it thinks it is the only listener.
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	try {
		await program.parseAsync(argv);
	} catch (error) {
		if (error instanceof CommanderError) {
			// help and version exit 0; every parse error is a usage error.
			process.exitCode = error.exitCode === 0 ? 0 : 2;
		} else if (error instanceof TuiError) {
			process.stderr.write(`tui: ${safeLine(error.message, 500)}\n`);
			process.exitCode = error.exitCode;
		} else {
			const message = error instanceof Error ? error.message : String(error);
			process.stderr.write(`tui: ${safeLine(message, 500)}\n`);
			if (process.env.TUI_DEBUG === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
			process.exitCode = 1;
		}
	} finally {
		const pending = cleanup;
		cleanup = [];
		await Promise.allSettled(pending.map((close) => close()));
		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
	}
}

void main(process.argv);
