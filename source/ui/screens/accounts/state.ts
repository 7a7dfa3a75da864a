// Navigation of the account switcher: one reducer over a discriminated union of modes. Work (switch,
// remove, rename, login) is done by the screen; the reducer only moves between modes.
import type {ProviderId} from '../../../core/schemas.js';
import type {Need} from '../onboarding/state.js';
import type {AccountRow} from '../../../app/accounts.js';

export type SwitcherMode =
	| {readonly kind: 'list'}
	| {readonly kind: 'confirm-remove'; readonly row: AccountRow}
	| {readonly kind: 'rename'; readonly row: AccountRow}
	/** Switching there would not work: warn, offer to log in again. */
	| {readonly kind: 'unusable'; readonly provider: ProviderId; readonly row?: AccountRow; readonly reason: string}
	| {readonly kind: 'add-provider'; readonly initial?: ProviderId}
	/** `initial`: the kind chosen before, when the login was left with Esc. */
	| {readonly kind: 'add-need'; readonly provider: ProviderId; readonly initial?: Need}
	/** The wizard's login step; `relogin` when it replaces an unusable account's login. */
	| {readonly kind: 'login'; readonly provider: ProviderId; readonly need: Need; readonly relogin: boolean};

export type SwitcherState = {
	readonly mode: SwitcherMode;
	/** Opened straight into "add account" (home menu): Esc there leaves the switcher. */
	readonly startedInAdd: boolean;
};

export type SwitcherAction =
	| {readonly type: 'ask-remove'; readonly row: AccountRow}
	| {readonly type: 'ask-rename'; readonly row: AccountRow}
	| {readonly type: 'warn-unusable'; readonly provider: ProviderId; readonly row?: AccountRow; readonly reason: string}
	| {readonly type: 'add'; readonly initial?: ProviderId}
	| {readonly type: 'provider-chosen'; readonly provider: ProviderId}
	| {readonly type: 'need-chosen'; readonly need: Need}
	| {readonly type: 'relogin'}
	| {readonly type: 'back'}
	| {readonly type: 'to-list'};

export function initialSwitcherState(start: 'list' | 'add' = 'list', provider?: ProviderId): SwitcherState {
	return start === 'add'
		? {mode: {kind: 'add-provider', ...(provider ? {initial: provider} : {})}, startedInAdd: true}
		: {mode: {kind: 'list'}, startedInAdd: false};
}

/** The credential an account kind is logged in with again. */
export function needOf(row: AccountRow | undefined): Need {
	return row?.kind === 'api-key' ? 'api' : 'subscription';
}

/** Actions that start from the list; anywhere else they change nothing. */
function fromList(
	state: SwitcherState,
	action: Extract<SwitcherAction, {readonly type: 'ask-remove' | 'ask-rename' | 'warn-unusable' | 'add'}>,
): SwitcherState {
	if (state.mode.kind !== 'list') return state;
	const to = (mode: SwitcherMode): SwitcherState => ({...state, mode});
	switch (action.type) {
		case 'ask-remove':
			return to({kind: 'confirm-remove', row: action.row});
		case 'ask-rename':
			return to({kind: 'rename', row: action.row});
		case 'warn-unusable':
			return to({
				kind: 'unusable',
				provider: action.provider,
				...(action.row ? {row: action.row} : {}),
				reason: action.reason,
			});
		case 'add':
			return to({kind: 'add-provider', ...(action.initial ? {initial: action.initial} : {})});
		default: {
			const unreachable: never = action;
			return unreachable;
		}
	}
}

/** Esc: one mode back, each choice made on the way highlighted again. */
function back(state: SwitcherState): SwitcherState {
	const {mode} = state;
	const to = (next: SwitcherMode): SwitcherState => ({...state, mode: next});
	switch (mode.kind) {
		case 'list':
			// Leaving the switcher is the screen's call.
			return state;
		case 'add-provider':
			// So is leaving an add started from the home menu.
			return state.startedInAdd ? state : to({kind: 'list'});
		case 'add-need':
			return to({kind: 'add-provider', initial: mode.provider});
		case 'login':
			return mode.relogin ? to({kind: 'list'}) : to({kind: 'add-need', provider: mode.provider, initial: mode.need});
		case 'confirm-remove':
		case 'rename':
		case 'unusable':
			return to({kind: 'list'});
		default: {
			const unreachable: never = mode;
			return unreachable;
		}
	}
}

export function switcherReducer(state: SwitcherState, action: SwitcherAction): SwitcherState {
	const {mode} = state;
	const to = (next: SwitcherMode): SwitcherState => ({...state, mode: next});
	switch (action.type) {
		case 'ask-remove':
		case 'ask-rename':
		case 'warn-unusable':
		case 'add':
			return fromList(state, action);
		case 'provider-chosen':
			return mode.kind === 'add-provider' ? to({kind: 'add-need', provider: action.provider}) : state;
		case 'need-chosen':
			return mode.kind === 'add-need'
				? to({kind: 'login', provider: mode.provider, need: action.need, relogin: false})
				: state;
		case 'relogin':
			return mode.kind === 'unusable'
				? to({kind: 'login', provider: mode.provider, need: needOf(mode.row), relogin: true})
				: state;
		case 'to-list':
			return {mode: {kind: 'list'}, startedInAdd: false};
		case 'back':
			return back(state);
		default: {
			const unreachable: never = action;
			return unreachable;
		}
	}
}
