// `tui auth switch [PROVIDER[/LABEL]]`: with an argument, switch at once and print the new active
// provider/account on one line (an unusable target is switched to, with a warning on stderr);
// without one, the AccountSwitcher picker. No terminal and no argument: exit 2 naming the form.
import {UsageError} from '../core/errors.js';
import {PROVIDER_NAMES, type ProviderId} from '../core/schemas.js';
import {readAuthFile} from '../store/auth-file.js';
import type {AccountRow, AccountsApi, SwitchResult} from '../app/accounts.js';
import {parseAccountRef} from './auth-common.js';
import type {CommandContext} from '../app/context.js';
import {revokeHook} from '../app/credential-hooks.js';

export const SWITCH_FORM = 'PROVIDER or PROVIDER/LABEL, e.g. tui auth switch claude/work';

export function parseTarget(target: string): {readonly provider: ProviderId; readonly label?: string} {
	return parseAccountRef(target, SWITCH_FORM);
}

/** "Active: Claude / work (api-key …abcd)". */
export function switchedLine(result: SwitchResult): string {
	const name = PROVIDER_NAMES[result.provider];
	const account = result.account;
	if (!account) return `Active: ${name} (no stored account)`;
	const detail = [account.kind, account.plan, account.keyLast4].filter(Boolean).join(' ');
	return `Active: ${name} / ${account.label} (${detail})`;
}

function problemOf(result: SwitchResult): string | undefined {
	const account: AccountRow | undefined = result.account;
	if (!account)
		return `${PROVIDER_NAMES[result.provider]} has no stored account; run tui auth login --provider ${result.provider}`;
	if (account.problem)
		return `${PROVIDER_NAMES[result.provider]} / ${account.label}: ${account.problem}; run tui auth login --provider ${result.provider}`;
	return undefined;
}

/** The screens' AccountsApi for a command: the real store, and removal revokes through revokeHook() (best effort). */
export async function commandAccountsApi(ctx: CommandContext): Promise<AccountsApi> {
	const {createAccountsApi} = await import('../app/accounts.js');
	return createAccountsApi(ctx.home, ctx.now, {
		revoke: async (provider, account) => {
			await revokeHook()?.(account, {provider, home: ctx.home, env: ctx.env, signal: ctx.signal});
		},
	});
}

async function switchWithArgument(ctx: CommandContext, target: string): Promise<number> {
	const {provider, label} = parseTarget(target);
	if (label !== undefined) {
		// Validate before writing anything, listing the valid labels.
		const file = await readAuthFile(ctx.home, provider);
		const wanted = label.toLowerCase();
		if (!file.accounts.some((a) => a.id === label || a.label.toLowerCase() === wanted)) {
			const valid = file.accounts.map((a) => `${provider}/${a.label}`).join(', ');
			throw new UsageError(
				`no ${PROVIDER_NAMES[provider]} account ${JSON.stringify(label)}; valid: ${valid || `none stored (run tui auth login --provider ${provider})`}`,
			);
		}
	}
	const result = await (await commandAccountsApi(ctx)).switchTo(provider, label);
	ctx.stdout.write(`${switchedLine(result)}\n`);
	const problem = problemOf(result);
	if (problem) ctx.stderr.write(`warning: ${problem}\n`);
	return 0;
}

async function runPicker(ctx: CommandContext): Promise<number> {
	const [{runScreen}, {accountSwitcherElement}, {createRealServices}] = await Promise.all([
		import('../ui/render.js'),
		import('../ui/screens/accounts/account-switcher.js'),
		import('../app/services.js'),
	]);
	const accounts = await commandAccountsApi(ctx);
	const switched = await runScreen<SwitchResult>(
		(finish) => accountSwitcherElement({accounts, onSwitched: finish, onExit: () => finish()}),
		ctx,
		{
			services: createRealServices(ctx),
			nonInteractiveHint: SWITCH_FORM,
		},
	);
	if (!switched) {
		ctx.stderr.write('Nothing switched.\n');
		return 0;
	}
	ctx.stdout.write(`${switchedLine(switched)}\n`);
	return 0;
}

export async function run(ctx: CommandContext, target?: string): Promise<number> {
	if (target !== undefined) return switchWithArgument(ctx, target);
	if (!ctx.stdin.isTTY) throw new UsageError(`stdin is not a terminal, so the picker cannot run; pass ${SWITCH_FORM}`);
	return runPicker(ctx);
}
