// `tui auth token [PROVIDER]`: the resolved secret on stdout, for scripts. With `auth env`, the only place a
// secret is printed. Everything else (reasons, notes) goes to stderr as one line.
import {TuiError} from '../core/errors.js';
import {PROVIDER_IDS, PROVIDER_NAMES, parseProvider, type ProviderId} from '../core/schemas.js';
import type {ResolvedCredential} from '../store/resolve-credential.js';
import {refreshHook} from '../app/credential-hooks.js';
import {currentSelection} from '../app/selection.js';
import {resolveFor} from './auth-common.js';
import type {CommandContext} from '../app/context.js';

function secretOf(provider: ProviderId, resolved: ResolvedCredential): string {
	if (resolved.usable && resolved.secret) return resolved.secret;
	if (resolved.usable && resolved.kind === 'delegated')
		throw new TuiError(
			`the active ${PROVIDER_NAMES[provider]} account is delegated to ${resolved.account?.tool ?? 'another tool'}, which keeps its own login; there is no token to print`,
		);
	throw new TuiError(`${PROVIDER_NAMES[provider]}: ${resolved.reason}`);
}

export async function run(ctx: CommandContext, providerArg?: string): Promise<number> {
	let provider: ProviderId;
	let resolved: ResolvedCredential;
	if (providerArg !== undefined) {
		provider = parseProvider(providerArg);
		resolved = await resolveFor(ctx, provider);
	} else {
		// Offline: the token of the account selection would use now (quota figures are the quota screen's business).
		const selection = await currentSelection({
			home: ctx.home,
			env: ctx.env,
			now: ctx.now,
			refresh: refreshHook(),
			quota: false,
		});
		const chosen = selection.decision.ok ? selection.decision.provider : selection.preferred;
		if (!chosen)
			throw new TuiError(
				`no usable credential: ${PROVIDER_IDS.map((p) => `${PROVIDER_NAMES[p]}: ${selection.resolved[p]!.reason}`).join('; ')}`,
			);
		provider = chosen;
		resolved = selection.resolved[chosen]!;
	}
	ctx.stdout.write(`${secretOf(provider, resolved)}\n`);
	return 0;
}
