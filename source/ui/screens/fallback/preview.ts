// The live preview sentence of the fallback screen and of `tui auth fallback` without flags.
import {PROVIDER_NAMES, type ProviderId} from '../../../core/schemas.js';
import type {FallbackDraft} from './state.js';

/** Label of each provider's active stored account, when it has one. */
export type ActiveLabels = Partial<Record<ProviderId, string>>;

function target(provider: ProviderId, labels: ActiveLabels): string {
	const label = labels[provider];
	return label
		? `${PROVIDER_NAMES[provider]} / ${label}`
		: `${PROVIDER_NAMES[provider]} (no account yet: tui auth login --provider ${provider})`;
}

/** "If Claude hits its 5-hour limit (95%), tui switches to OpenAI / personal". */
export function previewLine(draft: FallbackDraft, labels: ActiveLabels): string {
	const [first, next] = draft.order;
	if (!first) return 'No provider in the order.';
	const name = PROVIDER_NAMES[first];
	if (!draft.enabled) return `Fallback is off: if ${name} hits a limit, tui stops and tells you.`;
	if (!next) return `Only ${name} is in the order: nothing to switch to.`;
	const to = target(next, labels);
	const t = draft.triggers;
	if (t.includes('quota'))
		return `If ${name} hits its 5-hour limit (${draft.thresholdPercent}% used), tui switches to ${to}`;
	if (t.includes('rate-limit')) return `If ${name} is rate limited, tui switches to ${to}`;
	if (t.includes('auth-error')) return `If ${name} sign-in fails, tui switches to ${to}`;
	if (t.includes('outage')) return `If ${name} has an outage, tui switches to ${to}`;
	return `No trigger is on: tui stays on ${name}.`;
}
