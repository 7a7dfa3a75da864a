// `tui auth logout PROVIDER[/LABEL] | --all`: removes stored accounts. PROVIDER alone removes its active
// account (the next one becomes active, or none). Revocation at the provider goes through revokeHook().
import {activeAccount, removeAccount} from '../core/accounts.js';
import {TuiError, UsageError} from '../core/errors.js';
import {PROVIDER_IDS, PROVIDER_NAMES, type Account, type AuthFile, type ProviderId} from '../core/schemas.js';
import {safeLine} from '../core/text.js';
import {updateAuthFile} from '../store/auth-file.js';
import {API_KEY_ENV_VARS} from '../core/provider-registry.js';
import {parseAccountRef} from './auth-common.js';
import type {CommandContext} from '../app/context.js';
import {revokeHook} from '../app/credential-hooks.js';

export type LogoutOptions = {readonly all?: boolean};

const quote = (label: string) => JSON.stringify(label);

function labels(file: AuthFile): string {
	return file.accounts.map((a) => quote(a.label)).join(', ');
}

/** The account a target names, or a usage error listing the valid ones. */
function pick(provider: ProviderId, file: AuthFile, label: string | undefined): Account {
	const name = PROVIDER_NAMES[provider];
	if (label === undefined) {
		const active = activeAccount(file);
		if (active) return active;
		if (file.accounts.length === 0) throw new TuiError(`not logged in to ${name}: no account stored`);
		throw new UsageError(
			`no ${name} account is active; name one: ${file.accounts.map((a) => `${provider}/${a.label}`).join(', ')}`,
		);
	}
	const wanted = label.toLowerCase();
	const found =
		file.accounts.find((a) => a.id === label) ?? file.accounts.find((a) => a.label.toLowerCase() === wanted);
	if (found) return found;
	throw new UsageError(
		file.accounts.length === 0
			? `no ${name} account ${quote(label)}: none is stored`
			: `no ${name} account ${quote(label)}; valid: ${labels(file)}`,
	);
}

async function revoke(ctx: CommandContext, provider: ProviderId, removed: readonly Account[]): Promise<void> {
	const hook = revokeHook();
	if (!hook) return;
	for (const account of removed) {
		try {
			await hook(account, {provider, home: ctx.home, env: ctx.env, signal: ctx.signal});
		} catch (error) {
			// Best effort: the account is gone locally either way.
			ctx.stderr.write(
				`note: could not revoke ${PROVIDER_NAMES[provider]} ${quote(account.label)} at the provider: ${safeLine(error instanceof Error ? error.message : String(error), 200)}\n`,
			);
		}
	}
}

function envNote(ctx: CommandContext, provider: ProviderId): void {
	const set = API_KEY_ENV_VARS[provider].find((variable) => ctx.env[variable]?.trim());
	if (set)
		ctx.stderr.write(
			`note: ${set} is still set in the environment, so ${PROVIDER_NAMES[provider]} still has a credential\n`,
		);
}

async function logoutOne(ctx: CommandContext, provider: ProviderId, label: string | undefined): Promise<number> {
	const name = PROVIDER_NAMES[provider];
	const {removed, next} = await updateAuthFile(ctx.home, provider, (file) => {
		const target = pick(provider, file, label);
		const after = removeAccount(file, target.id);
		return {file: after.file, result: {removed: after.removed, next: activeAccount(after.file)}};
	});
	await revoke(ctx, provider, [removed]);
	const then = next ? `; ${quote(next.label)} is now the active ${name} account` : `; no ${name} account left`;
	ctx.stdout.write(`Logged out of ${name} ${quote(removed.label)}${then}\n`);
	envNote(ctx, provider);
	return 0;
}

async function logoutAll(ctx: CommandContext): Promise<number> {
	const done: string[] = [];
	const failures: string[] = [];
	for (const provider of PROVIDER_IDS) {
		try {
			const removed = await updateAuthFile(ctx.home, provider, (file) => ({
				file: {...file, active: null, accounts: []},
				result: file.accounts,
			}));
			await revoke(ctx, provider, removed);
			if (removed.length > 0) done.push(`${PROVIDER_NAMES[provider]} ${removed.map((a) => quote(a.label)).join(', ')}`);
		} catch (error) {
			if (!(error instanceof TuiError)) throw error;
			failures.push(safeLine(error.message, 300));
		}
		envNote(ctx, provider);
	}
	ctx.stdout.write(done.length > 0 ? `Logged out of ${done.join('; ')}\n` : 'No stored accounts to log out of\n');
	if (failures.length > 0) throw new TuiError(failures.join('; '));
	return 0;
}

export async function run(ctx: CommandContext, target?: string, options: LogoutOptions = {}): Promise<number> {
	if (options.all && target !== undefined) throw new UsageError('give PROVIDER[/LABEL] or --all, not both');
	if (options.all) return logoutAll(ctx);
	if (target === undefined)
		throw new UsageError(`tui auth logout needs PROVIDER[/LABEL] or --all (providers: ${PROVIDER_IDS.join(', ')})`);
	const {provider, label} = parseAccountRef(target, 'PROVIDER or PROVIDER/LABEL, e.g. tui auth logout openai/work');
	return logoutOne(ctx, provider, label);
}
