// `tui reset [--confirm]`: prints what goes, then removes all of tui's state under the home folder.
// Without --confirm: at a terminal it asks y/N; otherwise it prints the summary and exits 2.
import {TuiError, UsageError} from '../core/errors.js';
import {describePlan, planReset, resetHome} from '../store/reset.js';
import {askYesNo} from './ask.js';
import {isInteractive, type CommandContext} from '../app/context.js';

export type ResetOptions = {readonly confirm?: boolean};

export async function run(ctx: CommandContext, options: ResetOptions = {}): Promise<number> {
	const plan = await planReset(ctx.home);
	const summary = describePlan(plan);
	if (plan.items.length === 0) {
		ctx.stdout.write(`${summary.join('\n')}\n`);
		return 0;
	}
	if (!options.confirm) {
		if (!isInteractive(ctx)) {
			ctx.stdout.write(`${summary.join('\n')}\n`);
			throw new UsageError('nothing was removed; run `tui reset --confirm` to remove all of the above');
		}
		ctx.stdout.write(`${summary.join('\n')}\n`);
		if (!(await askYesNo(ctx, 'Remove all of this? [y/N] ')))
			throw new TuiError('reset cancelled; nothing was removed');
	} else {
		ctx.stdout.write(`${summary.join('\n')}\n`);
	}
	// A sandbox serving this home would keep writing its state: stop it first.
	await (await import('../sandbox/shared.js')).stopSharedSandbox(ctx.home);
	// Re-plan right before removing: the summary is what goes, and anything new since is caught too.
	const result = await resetHome(ctx.home);
	ctx.stdout.write(
		`Removed ${result.removed.length} item(s); ${result.kept.length > 0 ? `kept ${result.kept.length} file(s) that are not tui's` : 'the home folder is empty'}\n`,
	);
	return 0;
}
