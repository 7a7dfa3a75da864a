// `tui auth login` at a terminal with no provider: the account switcher opened on its add-account step.
import type {SwitchResult} from '../ui/screens/accounts/accounts-store.js';
import {commandAccountsApi, switchedLine} from './auth-switch.js';
import type {CommandContext} from './context.js';

export const LOGIN_FORM = '--provider openai|claude --method browser|device|paste|claude-code, or --with-api-key with the key on stdin';

export async function runAddAccountScreen(ctx: CommandContext, options: {readonly browser?: boolean; readonly label?: string}): Promise<number> {
	const [{renderScreen}, {accountSwitcherElement}, {createRealServices}] = await Promise.all([
		import('../ui/render.js'),
		import('../ui/screens/accounts/account-switcher.js'),
		import('./services.js'),
	]);
	const api = await commandAccountsApi(ctx);
	const before = new Set((await api.list()).providers.flatMap((p) => p.accounts.map((a) => `${p.provider}/${a.id}`)));
	let added: SwitchResult | undefined;
	let screen: {unmount: () => void} | undefined;
	const element = accountSwitcherElement({
		start: 'add',
		accounts: api,
		onSwitched: (result: SwitchResult) => {
			added = result;
			screen?.unmount();
		},
		onExit: () => screen?.unmount(),
	});
	const services = createRealServices(ctx, {noBrowser: options.browser === false, ...(options.label ? {label: options.label} : {})});
	screen = renderScreen(element, ctx, {services, nonInteractiveHint: LOGIN_FORM});
	await (screen as unknown as {waitUntilExit: () => Promise<void>}).waitUntilExit();
	if (!added) {
		// Finishing an add from this entry closes the screen without a switch: find the new account.
		const after = await api.list();
		for (const p of after.providers)
			for (const a of p.accounts)
				if (!before.has(`${p.provider}/${a.id}`)) {
					ctx.stdout.write(`Added ${p.provider}/${a.label} (${a.kind})\n`);
					return 0;
				}
	}
	if (!added) {
		ctx.stderr.write('No account added.\n');
		return 1;
	}
	ctx.stdout.write(`${switchedLine(added)}\n`);
	return 0;
}
