// `tui auth token [PROVIDER]`: the resolved secret on stdout, for scripts. With `auth env`, the only place a
// secret is printed. Everything else (reasons, notes) goes to stderr as one line.
import {TuiError} from '../core/errors.js';
import {PROVIDER_NAMES, type ProviderId} from '../core/schemas.js';
import type {ResolvedCredential} from '../store/discovery.js';
import {parseProvider, providerPreference, resolveAll, resolveFor} from './auth-common.js';
import type {CommandContext} from './context.js';

function secretOf(provider: ProviderId, resolved: ResolvedCredential): string {
	if (resolved.usable && resolved.secret) return resolved.secret;
	if (resolved.usable && resolved.kind === 'delegated')
		throw new TuiError(`the active ${PROVIDER_NAMES[provider]} account is delegated to ${resolved.account?.tool ?? 'another tool'}, which keeps its own login; there is no token to print`);
	throw new TuiError(`${PROVIDER_NAMES[provider]}: ${resolved.reason}`);
}

export async function run(ctx: CommandContext, providerArg?: string): Promise<number> {
	let provider: ProviderId;
	let resolved: ResolvedCredential;
	if (providerArg !== undefined) {
		provider = parseProvider(providerArg);
		resolved = await resolveFor(ctx, provider);
	} else {
		const preference = await providerPreference(ctx);
		if (preference.preferred) {
			provider = preference.preferred;
			resolved = await resolveFor(ctx, provider);
		} else {
			const all = await resolveAll(ctx);
			const usable = preference.order.find((p) => all[p].usable && all[p].secret);
			if (!usable) throw new TuiError(`no usable credential: ${preference.order.map((p) => `${PROVIDER_NAMES[p]}: ${all[p].reason}`).join('; ')}`);
			provider = usable;
			resolved = all[usable];
		}
	}
	ctx.stdout.write(`${secretOf(provider, resolved)}\n`);
	return 0;
}
