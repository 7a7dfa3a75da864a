import os from 'node:os';
import path from 'node:path';
import type {Env} from '../commands/context.js';

/** `--home`, else TUI_HOME, else $XDG_CONFIG_HOME/tui, else ~/.config/tui. */
export function resolveHome(flag: string | undefined, env: Env, homedir: () => string = os.homedir): string {
	if (flag) return path.resolve(flag);
	if (env.TUI_HOME) return path.resolve(env.TUI_HOME);
	if (env.XDG_CONFIG_HOME) return path.join(path.resolve(env.XDG_CONFIG_HOME), 'tui');
	return path.join(homedir(), '.config', 'tui');
}
