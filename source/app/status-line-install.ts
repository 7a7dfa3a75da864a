// Installing tui's status line in Claude Code: the command it runs, the exact change shown before asking,
// and the wizard's form of the offer. `tui statusline claude --install` and the wizard both use these.
import path from 'node:path';
import {shellQuote} from '../core/status-line.js';
import {safeLine} from '../core/text.js';
import type {InstallPlan} from '../store/claude-status-line.js';
import type {StatusLineOffer} from '../ui/services.js';
import type {CommandContext} from './context.js';

/** The command Claude Code runs: this same node and CLI, with this home. */
export function statusLineCommand(home: string): string {
	const cli = path.resolve(process.argv[1] ?? 'tui');
	return [process.execPath, cli, '--home', home, 'statusline', 'claude'].map(shellQuote).join(' ');
}

/** The exact change, as shown before asking. */
export function describeInstall(plan: InstallPlan): string {
	const lines = [
		`This changes ${plan.settingsFile}${plan.existed ? '' : ' (a new file)'}; nothing else in it changes:`,
	];
	if (plan.edit.previous !== undefined) {
		lines.push('  "statusLine" was:');
		for (const l of plan.edit.previous.split('\n')) lines.push(`  - ${l}`);
		lines.push('  and becomes:');
	} else {
		lines.push('  adds "statusLine":');
	}
	for (const l of plan.edit.value.split('\n')) lines.push(`  + ${l}`);
	if (plan.edit.previousCommand) lines.push('Your status line command still runs: its output is printed after ours.');
	lines.push(
		'Claude Code then shows your 5-hour and weekly windows, and tui records them for the quota screen and fallback.',
	);
	lines.push('Undo with: tui statusline claude --uninstall');
	return lines.map((l) => safeLine(l, 1000)).join('\n');
}

/** The wizard's form of the offer: the change as lines, and an install that writes exactly that. */
export async function statusLineOffer(ctx: CommandContext): Promise<StatusLineOffer | undefined> {
	const store = await import('../store/claude-status-line.js');
	const state = await store.readInstallState(ctx.home);
	const plan = await store.planStatusLineInstall(ctx.env, statusLineCommand(ctx.home)).catch(() => undefined);
	if (!plan || plan.ours || (state && plan.edit.previous === state.installed)) return undefined;
	return {
		lines: describeInstall(plan).split('\n'),
		async install() {
			await store.applyStatusLineInstall(ctx.home, plan);
			return `Installed in ${plan.settingsFile}.`;
		},
	};
}
