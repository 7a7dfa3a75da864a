// Navigation of the wizard: one reducer over a discriminated union of steps. Steps do their own
// saving and dispatch only once it succeeded, so the state never runs ahead of the disk.
import type {AuthMode, FallbackPreferences, ProviderId} from '../../../core/schemas.js';
import type {Detected, SavedAccount} from '../../services.js';
import {signedInLine} from '../accounts/account-text.js';

export type Need = 'subscription' | 'api';
export type Purpose = 'primary' | 'fallback';

/** What the user chose to reuse on the welcome step. */
export type DetectionUses = {
	readonly envKeys: readonly ProviderId[];
	readonly codex: boolean;
	readonly claudeCli: boolean;
};

export type Step =
	| {readonly kind: 'welcome'}
	| {readonly kind: 'provider'}
	| {readonly kind: 'tier'; readonly provider: ProviderId; readonly purpose: Purpose}
	| {readonly kind: 'comparison'; readonly provider: ProviderId; readonly tier: string; readonly purpose: Purpose}
	| {
			readonly kind: 'login';
			readonly provider: ProviderId;
			readonly tier: string;
			readonly mode: AuthMode;
			readonly purpose: Purpose;
			readonly need: Need;
			readonly remaining: readonly Need[];
	  }
	| {readonly kind: 'fallback'}
	| {readonly kind: 'done'};

export type StepKind = Step['kind'];

export type ProviderSetup = {
	readonly provider: ProviderId;
	readonly tier: string;
	readonly mode: AuthMode;
	readonly accounts: readonly SavedAccount[];
};

export type WizardState = {
	readonly step: Step;
	/** Steps to return to on Esc, newest last. */
	readonly history: readonly Step[];
	readonly detected?: Detected;
	readonly uses: DetectionUses;
	readonly primary?: ProviderSetup;
	readonly secondary?: ProviderSetup;
	readonly fallback?: FallbackPreferences;
	/** Last picks, so a step returned to with Esc highlights what was chosen before. */
	readonly picked?: {readonly provider?: ProviderId; readonly tiers?: Partial<Record<ProviderId, string>>};
	/** "✓ Signed in as …", shown on the step after a sign-in until the next move. */
	readonly notice?: string;
};

export type WizardAction =
	| {readonly type: 'welcome-done'; readonly detected: Detected | undefined; readonly uses: DetectionUses}
	| {readonly type: 'provider-chosen'; readonly provider: ProviderId}
	| {readonly type: 'tier-chosen'; readonly tier: string}
	| {readonly type: 'mode-chosen'; readonly mode: AuthMode}
	| {readonly type: 'login-done'; readonly account: SavedAccount}
	| {readonly type: 'add-fallback-provider'}
	| {readonly type: 'fallback-done'; readonly fallback: FallbackPreferences}
	| {readonly type: 'back'};

export const NO_USES: DetectionUses = {envKeys: [], codex: false, claudeCli: false};

export const initialWizardState: WizardState = {step: {kind: 'welcome'}, history: [], uses: NO_USES};

export function otherProvider(provider: ProviderId): ProviderId {
	return provider === 'openai' ? 'claude' : 'openai';
}

/** Which credentials a mode needs, in the order they are asked for. */
export function needsForMode(mode: AuthMode): readonly Need[] {
	switch (mode) {
		case 'subscription':
			return ['subscription'];
		case 'api':
			return ['api'];
		case 'auto':
			return ['subscription', 'api'];
		default: {
			const unreachable: never = mode;
			return unreachable;
		}
	}
}

function push(state: WizardState, step: Step): WizardState {
	return {...state, step, history: [...state.history, state.step]};
}

function setupFor(state: WizardState, purpose: Purpose): ProviderSetup | undefined {
	return purpose === 'primary' ? state.primary : state.secondary;
}

function withSetup(state: WizardState, purpose: Purpose, setup: ProviderSetup): WizardState {
	return purpose === 'primary' ? {...state, primary: setup} : {...state, secondary: setup};
}

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
	const next = moveWizard(state, action);
	if (next === state) return state;
	return action.type === 'login-done'
		? {...next, notice: `✓ ${signedInLine(action.account)}`}
		: next.notice
			? {...next, notice: undefined}
			: next;
}

function moveWizard(state: WizardState, action: WizardAction): WizardState {
	const {step} = state;
	switch (action.type) {
		case 'back':
			return goBack(state);
		case 'welcome-done':
			return step.kind === 'welcome'
				? push({...state, detected: action.detected, uses: action.uses}, {kind: 'provider'})
				: state;
		case 'provider-chosen':
			return step.kind === 'provider'
				? push(
						{...state, picked: {...state.picked, provider: action.provider}},
						{kind: 'tier', provider: action.provider, purpose: 'primary'},
					)
				: state;
		case 'tier-chosen':
			return step.kind === 'tier' ? tierChosen(state, step, action.tier) : state;
		case 'mode-chosen':
			return step.kind === 'comparison' ? modeChosen(state, step, action.mode) : state;
		case 'login-done':
			return step.kind === 'login' ? loginDone(state, step, action.account) : state;
		case 'add-fallback-provider':
			return step.kind === 'fallback' && state.primary
				? push(state, {kind: 'tier', provider: otherProvider(state.primary.provider), purpose: 'fallback'})
				: state;
		case 'fallback-done':
			return step.kind === 'fallback' ? push({...state, fallback: action.fallback}, {kind: 'done'}) : state;
		default: {
			const unreachable: never = action;
			return unreachable;
		}
	}
}

type StepOf<K extends StepKind> = Extract<Step, {readonly kind: K}>;

function goBack(state: WizardState): WizardState {
	const previous = state.history.at(-1);
	if (!previous) return state;
	return {...state, step: previous, history: state.history.slice(0, -1)};
}

function tierChosen(state: WizardState, step: StepOf<'tier'>, tier: string): WizardState {
	const picked = {...state.picked, tiers: {...state.picked?.tiers, [step.provider]: tier}};
	return push({...state, picked}, {kind: 'comparison', provider: step.provider, tier, purpose: step.purpose});
}

function modeChosen(state: WizardState, step: StepOf<'comparison'>, mode: AuthMode): WizardState {
	const [need, ...remaining] = needsForMode(mode);
	const next = withSetup(state, step.purpose, {provider: step.provider, tier: step.tier, mode, accounts: []});
	return push(next, {
		kind: 'login',
		provider: step.provider,
		tier: step.tier,
		mode,
		purpose: step.purpose,
		need: need!,
		remaining,
	});
}

function loginDone(state: WizardState, step: StepOf<'login'>, account: SavedAccount): WizardState {
	const setup = setupFor(state, step.purpose) ?? {
		provider: step.provider,
		tier: step.tier,
		mode: step.mode,
		accounts: [],
	};
	const next = withSetup(state, step.purpose, {...setup, accounts: [...setup.accounts, account]});
	const [need, ...remaining] = step.remaining;
	// A finished login is not a place to go back to: Esc from the next step returns to the comparison.
	if (need) return {...next, step: {...step, need, remaining}};
	if (step.purpose === 'fallback') {
		// Back to the fallback step the detour started from, with its history.
		const at = next.history.findLastIndex((entry) => entry.kind === 'fallback');
		if (at >= 0) return {...next, step: {kind: 'fallback'}, history: next.history.slice(0, at)};
	}
	return {...next, step: {kind: 'fallback'}};
}
