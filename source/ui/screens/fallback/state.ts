// The fallback preferences screen's state: a draft of preferences.fallback and the highlighted row,
// moved by one reducer. Nothing is written until the screen saves the draft on Enter.
import {
	FALLBACK_TRIGGERS,
	PROVIDER_IDS,
	type FallbackPreferences,
	type FallbackTrigger,
	type ProviderId,
} from '../../../core/schemas.js';

export const THRESHOLD_STEP = 5;
export const THRESHOLD_MIN = 1;
export const THRESHOLD_MAX = 100;

/** Rows top to bottom: the on/off switch, one per provider in order, one per trigger. */
export type FallbackRow =
	| {readonly kind: 'enabled'}
	| {readonly kind: 'order'; readonly index: number}
	| {readonly kind: 'trigger'; readonly trigger: FallbackTrigger};

export type FallbackDraft = {
	readonly enabled: boolean;
	readonly order: readonly ProviderId[];
	readonly triggers: readonly FallbackTrigger[];
	readonly thresholdPercent: number;
};

export type FallbackState = {readonly draft: FallbackDraft; readonly row: number};

export type FallbackAction =
	| {readonly type: 'up'}
	| {readonly type: 'down'}
	/** Move the highlighted provider up (-1) or down (+1) in the order; the cursor follows it. */
	| {readonly type: 'move'; readonly by: -1 | 1}
	| {readonly type: 'toggle'}
	| {readonly type: 'threshold'; readonly by: number};

/** Every provider once: the saved order first, any missing one after it. */
export function fullOrder(order: readonly ProviderId[]): ProviderId[] {
	const seen = order.filter((p, i) => order.indexOf(p) === i);
	return [...seen, ...PROVIDER_IDS.filter((p) => !seen.includes(p))];
}

export function initialFallbackState(fallback: FallbackPreferences): FallbackState {
	return {
		draft: {
			enabled: fallback.enabled,
			order: fullOrder(fallback.order),
			triggers: FALLBACK_TRIGGERS.filter((t) => fallback.triggers.includes(t)),
			thresholdPercent: fallback.thresholdPercent,
		},
		row: 0,
	};
}

export function fallbackRows(draft: FallbackDraft): FallbackRow[] {
	return [
		{kind: 'enabled'},
		...draft.order.map((_, index) => ({kind: 'order' as const, index})),
		...FALLBACK_TRIGGERS.map((trigger) => ({kind: 'trigger' as const, trigger})),
	];
}

export function clampThreshold(value: number): number {
	return Math.min(THRESHOLD_MAX, Math.max(THRESHOLD_MIN, value));
}

export function toPreferences(draft: FallbackDraft): FallbackPreferences {
	return {
		enabled: draft.enabled,
		order: [...draft.order],
		triggers: [...draft.triggers],
		thresholdPercent: draft.thresholdPercent,
	};
}

export function fallbackReducer(state: FallbackState, action: FallbackAction): FallbackState {
	const rows = fallbackRows(state.draft);
	const current = rows[state.row];
	switch (action.type) {
		case 'up':
			return {...state, row: (state.row - 1 + rows.length) % rows.length};
		case 'down':
			return {...state, row: (state.row + 1) % rows.length};
		case 'move': {
			if (current?.kind !== 'order') return state;
			const to = current.index + action.by;
			if (to < 0 || to >= state.draft.order.length) return state;
			const order = [...state.draft.order];
			[order[current.index], order[to]] = [order[to]!, order[current.index]!];
			return {draft: {...state.draft, order}, row: state.row + action.by};
		}
		case 'toggle': {
			if (!current) return state;
			switch (current.kind) {
				case 'enabled':
					return {...state, draft: {...state.draft, enabled: !state.draft.enabled}};
				case 'order':
					return state;
				case 'trigger': {
					const has = state.draft.triggers.includes(current.trigger);
					const triggers = FALLBACK_TRIGGERS.filter((t) =>
						t === current.trigger ? !has : state.draft.triggers.includes(t),
					);
					return {...state, draft: {...state.draft, triggers}};
				}
				default: {
					const unreachable: never = current;
					return unreachable;
				}
			}
		}
		case 'threshold':
			return {
				...state,
				draft: {...state.draft, thresholdPercent: clampThreshold(state.draft.thresholdPercent + action.by)},
			};
		default: {
			const unreachable: never = action;
			return unreachable;
		}
	}
}
