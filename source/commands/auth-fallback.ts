// `tui auth fallback`: the FallbackPreferences screen at a terminal, else its flag form:
//   tui auth fallback --order claude,openai --on quota,rate-limit --threshold 90
//   tui auth fallback --off
// Every flag is checked before anything is written; a bad value exits 2 naming the valid ones.
// No flags and no terminal: print the current settings and exit 0 (scripts can read them).
import {UsageError} from '../core/errors.js';
import {
	FALLBACK_TRIGGERS,
	PROVIDER_IDS,
	type FallbackPreferences,
	type FallbackTrigger,
	type ProviderId,
} from '../core/schemas.js';
import type {CommandContext} from '../app/context.js';

export type FallbackOptions = {
	readonly order?: string;
	readonly on?: string;
	readonly threshold?: string;
	readonly off?: boolean;
};

/** For the lead: `.addHelpText('after', FALLBACK_HELP)` on the command in cli.tsx. */
export const FALLBACK_HELP = `
Without flags at a terminal, opens the fallback preferences screen.
Without flags and without a terminal, prints the current settings and exits 0.
--order lists providers (${PROVIDER_IDS.join(', ')}); missing ones are appended.
--on sets the triggers (${FALLBACK_TRIGGERS.join(', ')}) and turns fallback on.
--threshold is a whole percent from 1 to 100. --off cannot be combined with --on.
--order or --threshold alone keep fallback on or off as it is.
Examples:
  tui auth fallback --order claude,openai --on quota,rate-limit --threshold 90
  tui auth fallback --off`;

function list(value: string): string[] {
	return value
		.split(',')
		.map((part) => part.trim().toLowerCase())
		.filter(Boolean);
}

/** The new fallback preferences from the flags over the current ones; a UsageError names the valid values. */
export function applyFallbackFlags(current: FallbackPreferences, options: FallbackOptions): FallbackPreferences {
	if (options.off && options.on !== undefined)
		throw new UsageError('--off and --on contradict each other; pass one of them');
	let next: FallbackPreferences = {...current, order: [...current.order], triggers: [...current.triggers]};
	if (options.order !== undefined) {
		const order = list(options.order);
		const bad = order.filter((p) => !(PROVIDER_IDS as readonly string[]).includes(p));
		if (order.length === 0 || bad.length > 0)
			throw new UsageError(
				`invalid --order ${JSON.stringify(options.order)}; valid providers: ${PROVIDER_IDS.join(', ')}`,
			);
		if (new Set(order).size !== order.length)
			throw new UsageError(`--order names a provider twice; valid providers: ${PROVIDER_IDS.join(', ')}`);
		const given = order as ProviderId[];
		next = {...next, order: [...given, ...PROVIDER_IDS.filter((p) => !given.includes(p))]};
	}
	if (options.on !== undefined) {
		const triggers = list(options.on);
		const bad = triggers.filter((t) => !(FALLBACK_TRIGGERS as readonly string[]).includes(t));
		if (triggers.length === 0 || bad.length > 0)
			throw new UsageError(
				`invalid --on ${JSON.stringify(options.on)}; valid triggers: ${FALLBACK_TRIGGERS.join(', ')}`,
			);
		next = {...next, enabled: true, triggers: FALLBACK_TRIGGERS.filter((t) => triggers.includes(t))};
	}
	if (options.threshold !== undefined) {
		const text = options.threshold.trim().replace(/%$/, '');
		const value = Number(text);
		if (!/^\d+$/.test(text) || value < 1 || value > 100)
			throw new UsageError(
				`invalid --threshold ${JSON.stringify(options.threshold)}; valid: a whole percent from 1 to 100`,
			);
		next = {...next, thresholdPercent: value};
	}
	if (options.off) next = {...next, enabled: false};
	return next;
}

function triggerList(triggers: readonly FallbackTrigger[]): string {
	return triggers.length > 0 ? triggers.join(',') : 'none';
}

/** "fallback on: order claude,openai; on quota,rate-limit; threshold 90%". */
export function describeFallback(fallback: FallbackPreferences): string {
	return `fallback ${fallback.enabled ? 'on' : 'off'}: order ${fallback.order.join(',')}; on ${triggerList(fallback.triggers)}; threshold ${fallback.thresholdPercent}%`;
}

function givenFlags(options: FallbackOptions): boolean {
	return (
		options.order !== undefined || options.on !== undefined || options.threshold !== undefined || Boolean(options.off)
	);
}

async function withFlags(ctx: CommandContext, options: FallbackOptions): Promise<number> {
	const {readPreferences, updatePreferences} = await import('../store/preferences.js');
	// Checked against the current values first, so a bad flag writes nothing.
	applyFallbackFlags((await readPreferences(ctx.home)).fallback, options);
	const saved = await updatePreferences(ctx.home, (preferences) => ({
		...preferences,
		fallback: applyFallbackFlags(preferences.fallback, options),
	}));
	ctx.stdout.write(`Saved ${describeFallback(saved.fallback)}\n`);
	return 0;
}

async function printCurrent(ctx: CommandContext): Promise<number> {
	const [{createAccountsApi}, {previewLine}] = await Promise.all([
		import('../app/accounts.js'),
		import('../ui/screens/fallback/preview.js'),
	]);
	const snapshot = await createAccountsApi(ctx.home, ctx.now).list();
	const labels: Partial<Record<ProviderId, string>> = {};
	for (const p of snapshot.providers) {
		const active = p.accounts.find((a) => a.fileActive);
		if (active) labels[p.provider] = active.label;
	}
	const fallback = snapshot.preferences.fallback;
	ctx.stdout.write(`${describeFallback(fallback)}\n${previewLine(fallback, labels)}\n`);
	return 0;
}

async function runScreen(ctx: CommandContext): Promise<number> {
	const [{runScreen}, {fallbackPreferencesElement}, {createRealServices}] = await Promise.all([
		import('../ui/render.js'),
		import('../ui/screens/fallback/fallback-preferences.js'),
		import('../app/services.js'),
	]);
	const saved = await runScreen<FallbackPreferences>(
		(finish) => fallbackPreferencesElement({onSaved: finish, onExit: () => finish()}),
		ctx,
		{
			services: createRealServices(ctx),
			nonInteractiveHint: '--order, --on, --threshold or --off',
		},
	);
	if (saved) ctx.stdout.write(`Saved ${describeFallback(saved)}\n`);
	else ctx.stderr.write('Nothing changed.\n');
	return 0;
}

export async function run(ctx: CommandContext, options: FallbackOptions = {}): Promise<number> {
	if (givenFlags(options)) return withFlags(ctx, options);
	if (!ctx.stdin.isTTY) return printCurrent(ctx);
	return runScreen(ctx);
}
