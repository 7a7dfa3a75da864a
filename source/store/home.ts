import os from 'node:os';
import path from 'node:path';
import type {Now} from '../core/clock.js';
import type {Env} from '../core/env.js';

/** `--home`, else TUI_HOME, else $XDG_CONFIG_HOME/tui, else ~/.config/tui. */
export function resolveHome(flag: string | undefined, env: Env, homedir: () => string = os.homedir): string {
	if (flag) return path.resolve(flag);
	if (env.TUI_HOME) return path.resolve(env.TUI_HOME);
	if (env.XDG_CONFIG_HOME) return path.join(path.resolve(env.XDG_CONFIG_HOME), 'tui');
	return path.join(homedir(), '.config', 'tui');
}

/** What every operation on a state folder is given: the folder, the environment, and the clock (default: real). */
export type StateOptions = {
	readonly home: string;
	readonly env: Env;
	/** Epoch ms, or a clock. */
	readonly now?: Now;
};
