// `tui auth env [--provider P] [--shell sh|fish|json]`: the environment a child agent needs for the selected
// account (app/agent-env.ts lists the variables), for `eval "$(tui auth env)"`. With `auth token`, the
// only command that prints a secret, and only to stdout.
import {UsageError} from '../core/errors.js';
import {agentEnvironment} from '../app/agent-env.js';
import {parseProvider} from '../core/schemas.js';
import type {CommandContext} from '../app/context.js';
import {refreshHook} from '../app/credential-hooks.js';

export type EnvOptions = {readonly provider?: string; readonly shell?: string};

export const SHELLS = ['sh', 'fish', 'json'] as const;
export type Shell = (typeof SHELLS)[number];

/** POSIX sh: single quotes, a quote written as '\''. */
export function quoteSh(value: string): string {
	return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** fish: single quotes, where only \\ and \' are escapes. */
export function quoteFish(value: string): string {
	return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function formatEnvironment(env: Readonly<Record<string, string>>, shell: Shell): string {
	const names = Object.keys(env).sort();
	for (const name of names) if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`bad variable name ${name}`);
	if (shell === 'json') return `${JSON.stringify(Object.fromEntries(names.map((n) => [n, env[n]])), null, 2)}\n`;
	if (shell === 'fish') return names.map((n) => `set -gx ${n} ${quoteFish(env[n]!)};\n`).join('');
	return names.map((n) => `export ${n}=${quoteSh(env[n]!)}\n`).join('');
}

export async function run(ctx: CommandContext, options: EnvOptions = {}): Promise<number> {
	const shell = (options.shell ?? 'sh') as Shell;
	if (!SHELLS.includes(shell))
		throw new UsageError(`unknown --shell ${JSON.stringify(options.shell)}; valid: ${SHELLS.join(', ')}`);
	const provider = options.provider === undefined ? undefined : parseProvider(options.provider);
	const refresh = refreshHook();
	const env = await agentEnvironment({
		home: ctx.home,
		env: ctx.env,
		now: ctx.now,
		...(provider ? {provider} : {}),
		refresh,
	});
	ctx.stdout.write(formatEnvironment(env, shell));
	return 0;
}
