// What each script command (script-commands.ts) runs, whether commander parsed its argv or not.
import type {CommandRun} from './run-command.js';
import type {ScriptCommand} from './script-commands.js';

const RUNS: Readonly<Record<string, CommandRun>> = {
	'auth status': async (ctx, opts) => (await import('../commands/auth-status.js')).run(ctx, opts),
	'auth token': async (ctx, provider) => (await import('../commands/auth-token.js')).run(ctx, provider),
	'auth env': async (ctx, opts) => (await import('../commands/auth-env.js')).run(ctx, opts),
	statusline: async (ctx, tool, opts) => (await import('../commands/statusline.js')).run(ctx, tool, opts),
};

export function scriptRun(command: ScriptCommand): CommandRun {
	const run = RUNS[command.words.join(' ')];
	if (!run) throw new Error(`internal: no run for the script command ${command.words.join(' ')}`);
	return run;
}
