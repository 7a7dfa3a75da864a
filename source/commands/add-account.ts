// `tui auth login` at a terminal with no provider: the account switcher opened on its add-account step.
import type {SwitchResult} from '../app/accounts.js';
import type {SavedAccount} from '../ui/services.js';
import {commandAccountsApi, switchedLine} from './auth-switch.js';
import type {CommandContext} from '../app/context.js';

export const LOGIN_FORM =
	'--provider openai|claude --method browser|paste|claude-code, or --with-api-key with the key on stdin';

export async function runAddAccountScreen(
	ctx: CommandContext,
	options: {readonly browser?: boolean; readonly label?: string},
): Promise<number> {
	const [{runScreen}, {accountSwitcherElement}, {createRealServices}] = await Promise.all([
		import('../ui/render.js'),
		import('../ui/screens/accounts/account-switcher.js'),
		import('../app/services.js'),
	]);
	const accounts = await commandAccountsApi(ctx);
	const services = createRealServices(ctx, {
		noBrowser: options.browser === false,
		...(options.label ? {label: options.label} : {}),
	});
	type Outcome = {readonly switched: SwitchResult} | {readonly added: SavedAccount};
	const outcome = await runScreen<Outcome>(
		(finish) =>
			accountSwitcherElement({
				start: 'add',
				accounts,
				onSwitched: (switched: SwitchResult) => finish({switched}),
				onAdded: (added: SavedAccount) => finish({added}),
				onExit: () => finish(),
			}),
		ctx,
		{services, nonInteractiveHint: LOGIN_FORM},
	);
	const added = outcome && 'added' in outcome ? outcome.added : undefined;
	const switched = outcome && 'switched' in outcome ? outcome.switched : undefined;
	if (added) ctx.stdout.write(`Added ${added.provider}/${added.label} (${added.kind})\n`);
	else if (switched) ctx.stdout.write(`${switchedLine(switched)}\n`);
	else {
		ctx.stderr.write('No account added.\n');
		return 1;
	}
	return 0;
}
