// Shared by the account commands: provider arguments, resolving both providers, and which one is active.
// Light on purpose (status/token hot path): discovery and preferences only.
import {TuiError, UsageError} from '../core/errors.js';
import {PROVIDER_IDS, isProviderId, type ProviderId} from '../core/schemas.js';
import {safeLine} from '../core/text.js';
import {resolveCredential, type ResolvedCredential} from '../store/discovery.js';
import {readPreferences} from '../store/preferences.js';
import type {CommandContext} from './context.js';
import {refreshHook} from './credential-hooks.js';

export function parseProvider(value: string): ProviderId {
	const lower = value.toLowerCase();
	if (isProviderId(lower)) return lower;
	throw new UsageError(`unknown provider ${JSON.stringify(value)}; valid: ${PROVIDER_IDS.join(', ')}`);
}

export function resolveFor(ctx: CommandContext, provider: ProviderId): Promise<ResolvedCredential> {
	const refresh = refreshHook();
	return resolveCredential(provider, {home: ctx.home, env: ctx.env, now: ctx.now, refresh});
}

export async function resolveAll(ctx: CommandContext): Promise<Record<ProviderId, ResolvedCredential>> {
	const [openai, claude] = await Promise.all([resolveFor(ctx, 'openai'), resolveFor(ctx, 'claude')]);
	return {openai, claude};
}

export type ProviderPreference = {
	readonly preferred?: ProviderId;
	/** Providers in the order to try: the fallback order, then any left out. */
	readonly order: readonly ProviderId[];
	/** config.json could not be read; the defaults apply. */
	readonly warning?: string;
};

export async function providerPreference(ctx: CommandContext): Promise<ProviderPreference> {
	try {
		const prefs = await readPreferences(ctx.home);
		const order = [...prefs.fallback.order, ...PROVIDER_IDS.filter((p) => !prefs.fallback.order.includes(p))];
		return {...(prefs.activeProvider ? {preferred: prefs.activeProvider} : {}), order};
	} catch (error) {
		if (!(error instanceof TuiError)) throw error;
		return {order: PROVIDER_IDS, warning: safeLine(error.message, 400)};
	}
}

/** The active provider: the preferred one, else the first usable in order, else none. */
export function activeProviderOf(preference: ProviderPreference, resolved: Readonly<Record<ProviderId, ResolvedCredential>>): ProviderId | undefined {
	return preference.preferred ?? preference.order.find((p) => resolved[p].usable);
}
