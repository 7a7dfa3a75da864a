// The login step's phases: one reducer over a discriminated union. The method components do the work
// (validate a key, run the OAuth flow, hand over to Claude Code) and dispatch only what came of it.
import type {LoginMethod, SavedAccount, StatusLineOffer} from '../../../services.js';

export type Method = LoginMethod | 'api-key' | 'claude-code';

export type LoginPhase =
	| {readonly kind: 'choose'}
	| {readonly kind: 'api-key'}
	| {readonly kind: 'oauth'; readonly method: LoginMethod}
	| {readonly kind: 'claude-code'}
	/** Signed in through Claude Code; asking before its status line is edited. */
	| {readonly kind: 'status-line'; readonly account: SavedAccount; readonly offer: StatusLineOffer}
	| {readonly kind: 'failed'; readonly method: Method; readonly reason: string; readonly refused: boolean}
	| {readonly kind: 'signed-in'; readonly account: SavedAccount};

export type LoginState = {
	readonly phase: LoginPhase;
	/** Methods started so far: a new attempt starts afresh (its component is keyed by it). */
	readonly attempt: number;
	/** The method started last: the list of methods comes back with it highlighted. */
	readonly last?: Method;
};

export type LoginAction =
	| {readonly type: 'start'; readonly method: Method}
	| {readonly type: 'retry'}
	| {readonly type: 'choose'}
	| {readonly type: 'failed'; readonly reason: string; readonly refused: boolean}
	| {readonly type: 'offer'; readonly account: SavedAccount; readonly offer: StatusLineOffer}
	| {readonly type: 'signed-in'; readonly account: SavedAccount};

export function firstPhase(method: Method): LoginPhase {
	switch (method) {
		case 'api-key':
			return {kind: 'api-key'};
		case 'claude-code':
			return {kind: 'claude-code'};
		case 'browser':
		case 'paste':
			return {kind: 'oauth', method};
		default: {
			const unreachable: never = method;
			return unreachable;
		}
	}
}

/** The method a running phase signs in with (undefined while none runs). */
export function runningMethod(phase: LoginPhase): Method | undefined {
	switch (phase.kind) {
		case 'api-key':
		case 'claude-code':
			return phase.kind;
		case 'oauth':
			return phase.method;
		case 'choose':
		case 'status-line':
		case 'failed':
		case 'signed-in':
			return undefined;
		default: {
			const unreachable: never = phase;
			return unreachable;
		}
	}
}

/** A single usable method starts at once; otherwise the user chooses. */
export function initialLoginState(only?: Method): LoginState {
	return only ? {phase: firstPhase(only), attempt: 1, last: only} : {phase: {kind: 'choose'}, attempt: 0};
}

export function loginReducer(state: LoginState, action: LoginAction): LoginState {
	const {phase} = state;
	const method = runningMethod(phase);
	switch (action.type) {
		case 'start':
			return phase.kind === 'choose'
				? {phase: firstPhase(action.method), attempt: state.attempt + 1, last: action.method}
				: state;
		case 'retry':
			return phase.kind === 'failed' && !phase.refused
				? {...state, phase: firstPhase(phase.method), attempt: state.attempt + 1}
				: state;
		case 'choose':
			// Leaving a method (Esc) or "Use another method" after a failure; a finished sign-in stays.
			return method !== undefined || phase.kind === 'failed' ? {...state, phase: {kind: 'choose'}} : state;
		case 'failed':
			return method !== undefined
				? {...state, phase: {kind: 'failed', method, reason: action.reason, refused: action.refused}}
				: state;
		case 'offer':
			return phase.kind === 'claude-code'
				? {...state, phase: {kind: 'status-line', account: action.account, offer: action.offer}}
				: state;
		case 'signed-in':
			return method !== undefined || phase.kind === 'status-line'
				? {...state, phase: {kind: 'signed-in', account: action.account}}
				: state;
		default: {
			const unreachable: never = action;
			return unreachable;
		}
	}
}
