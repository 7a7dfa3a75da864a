// Shared by the account commands: provider arguments, resolving both providers, and which one is active.
// Light on purpose (status/token hot path): discovery and preferences only.
import {UsageError} from '../core/errors.js';
import {parseProvider, type ProviderId} from '../core/schemas.js';
import {resolveCredential, type ResolvedCredential} from '../store/resolve-credential.js';
import type {CommandContext} from '../app/context.js';
import {refreshHook} from '../app/credential-hooks.js';

export function resolveFor(ctx: CommandContext, provider: ProviderId): Promise<ResolvedCredential> {
	const refresh = refreshHook();
	return resolveCredential(provider, {home: ctx.home, env: ctx.env, now: ctx.now, refresh});
}

export async function resolveAll(ctx: CommandContext): Promise<Record<ProviderId, ResolvedCredential>> {
	const [openai, claude] = await Promise.all([resolveFor(ctx, 'openai'), resolveFor(ctx, 'claude')]);
	return {openai, claude};
}

/**
 * "PROVIDER" or "PROVIDER/LABEL", for every command that names an account: the provider in any case, spaces
 * around either part dropped. `form` is the usage to name when the label after the slash is empty.
 */
export function parseAccountRef(
	target: string,
	form: string,
): {readonly provider: ProviderId; readonly label?: string} {
	const slash = target.indexOf('/');
	const provider = parseProvider((slash < 0 ? target : target.slice(0, slash)).trim());
	const label = slash < 0 ? undefined : target.slice(slash + 1).trim();
	if (label === '') throw new UsageError(`no label after "${provider}/"; pass ${form}`);
	return {provider, ...(label !== undefined ? {label} : {})};
}
