// The commands scripts and Claude Code run many times a day, described once: program.ts defines them for commander
// from this, and a plain form of their argv runs without commander (about 2 ms of the 14 ms `tui auth status` took
// beyond bare node; bench/): scripts/launcher.cjs bundles this module (so it imports nothing) and sends such an argv
// to dist/tui-script.cjs. Anything else, help included, goes through commander.

export type ScriptOption = {
	/** `--name` (a switch) or `--name <value>`, as commander takes it. */
	readonly flags: string;
	readonly description: string;
	readonly defaultValue?: string;
};

export type ScriptCommand = {
	readonly words: readonly string[];
	readonly description: string;
	readonly argument?: {readonly name: string; readonly required: boolean; readonly description: string};
	readonly options: readonly ScriptOption[];
	readonly helpAfter?: string;
	/** Its only output is text or JSON written in one piece (run-command.ts gives a pipe or file a plain writer). */
	readonly plainOutput: boolean;
};

export const SCRIPT_COMMANDS: readonly ScriptCommand[] = [
	{
		words: ['auth', 'status'],
		description: 'which credential resolves for each provider, from where, and whether it is usable',
		options: [{flags: '--json', description: 'machine-readable output'}],
		plainOutput: true,
	},
	{
		words: ['auth', 'token'],
		description: 'print a fresh credential for scripts (stdout only)',
		argument: {name: 'provider', required: false, description: 'openai or claude (default: the active provider)'},
		options: [],
		plainOutput: true,
	},
	{
		words: ['auth', 'env'],
		description: 'print the environment a child agent needs for the selected account (stdout only)',
		options: [
			{flags: '--provider <provider>', description: 'openai or claude (default: selection with fallback)'},
			{flags: '--shell <shell>', description: 'sh, fish or json', defaultValue: 'sh'},
		],
		helpAfter:
			'\nSets TUI_PROVIDER, TUI_ACCOUNT, TUI_AUTH_KIND, and: OPENAI_API_KEY or ANTHROPIC_API_KEY for an API key;\n' +
			'TUI_CHATGPT_ACCESS_TOKEN and TUI_CHATGPT_BASE_URL for a ChatGPT sign-in (a plan token for POST /responses with\n' +
			'store:false and stream:true, and GET /models; never as an API key); TUI_ACCESS_TOKEN for another sign-in;\n' +
			'TUI_ACCESS_TOKEN_EXPIRES_AT with either; ' +
			'TUI_DELEGATED_TOOL for a login held by another tool (no secret).\nUse: eval "$(tui auth env)"',
		plainOutput: true,
	},
	{
		words: ['statusline'],
		description: "Claude Code's status-line command: records your Claude 5-hour and weekly windows, prints one line",
		argument: {name: 'tool', required: true, description: 'claude (the only one so far)'},
		options: [
			{flags: '--debug', description: 'say on stderr why windows were not recorded'},
			{flags: '--install', description: "add it to Claude Code's settings.json (shows the change and asks first)"},
			{flags: '--yes', description: 'with --install: install without asking'},
			{flags: '--uninstall', description: 'put back the status line the install replaced'},
		],
		helpAfter:
			'\nClaude Code pipes a JSON document to it on every refresh; it never touches the network, and prints a line\n' +
			'and exits 0 whatever it reads. --install keeps an existing statusLine command by running it after ours.\n' +
			'Examples:\n  tui statusline claude --install\n  tui statusline claude --uninstall',
		plainOutput: false,
	},
];

export type ScriptCall = {
	readonly command: ScriptCommand;
	readonly globals: {readonly home?: string};
	/** The argument, when the command has one, then the options, as commander would hand them to the action. */
	readonly args: readonly unknown[];
};

/** `--shell <shell>` → shell; `--dry-run` → dryRun, as commander names an option's value. */
function optionKey(flags: string): string {
	return flags
		.split(' ')[0]!
		.slice(2)
		.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
}

/** A value commander would take that we leave to it: none, empty, or one that looks like an option. */
const plainValue = (value: string | undefined): value is string => Boolean(value) && !value!.startsWith('-');

/** argv's words without `--home DIR` / `--home=DIR` (a program option, taken anywhere), and that DIR. */
function withoutHome(words: readonly string[]): {rest: string[]; home?: string} | undefined {
	const rest: string[] = [];
	let home: string | undefined;
	for (let i = 0; i < words.length; i++) {
		const word = words[i]!;
		if (word !== '--home' && !word.startsWith('--home=')) {
			rest.push(word);
			continue;
		}
		const value = word === '--home' ? words[++i] : word.slice('--home='.length);
		if (home !== undefined || !plainValue(value)) return undefined;
		home = value;
	}
	return {rest, home};
}

/** The positional words and the options after a command's words, each option at most once. */
function readTail(command: ScriptCommand, tail: readonly string[]) {
	const opts: Record<string, string | true> = {};
	for (const option of command.options)
		if (option.defaultValue !== undefined) opts[optionKey(option.flags)] = option.defaultValue;
	const given = new Set<string>();
	const positional: string[] = [];
	for (let i = 0; i < tail.length; i++) {
		const word = tail[i]!;
		if (!word.startsWith('-')) {
			positional.push(word);
			continue;
		}
		const equals = word.indexOf('=');
		const name = equals === -1 ? word : word.slice(0, equals);
		const inline = equals === -1 ? undefined : word.slice(equals + 1);
		const option = command.options.find(({flags}) => flags.split(' ')[0] === name);
		if (!option || given.has(name)) return undefined;
		given.add(name);
		if (!option.flags.includes(' <')) {
			if (inline !== undefined) return undefined;
			opts[optionKey(option.flags)] = true;
			continue;
		}
		const value = inline ?? tail[++i];
		if (!plainValue(value)) return undefined;
		opts[optionKey(option.flags)] = value;
	}
	return {opts, positional};
}

/**
 * The call argv (with node and the script first) makes, when it is a plain form of a script command: its words,
 * at most its one argument, each of its options at most once, `--home` anywhere, values never starting with "-".
 * Anything else is left to commander, which gives the same result or the usage error: undefined.
 */
export function plainScriptCall(argv: readonly string[]): ScriptCall | undefined {
	const split = withoutHome(argv.slice(2));
	if (!split) return undefined;
	const command = SCRIPT_COMMANDS.find(({words}) => words.every((word, i) => split.rest[i] === word));
	const tail = command && readTail(command, split.rest.slice(command.words.length));
	if (!command || !tail) return undefined;
	const {argument} = command;
	const count = tail.positional.length;
	if (count > (argument ? 1 : 0) || (argument?.required && count === 0)) return undefined;
	const globals = split.home === undefined ? {} : {home: split.home};
	return {command, globals, args: argument ? [tail.positional[0], tail.opts] : [tail.opts]};
}
