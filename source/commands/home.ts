import type {CommandContext} from './context.js';
import {notBuilt} from './not-built.js';

export async function run(_ctx: CommandContext, ..._args: unknown[]): Promise<number> {
	return notBuilt('home screen');
}
