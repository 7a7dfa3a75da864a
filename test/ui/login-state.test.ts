// The login step's phase machine, without rendering: which action moves where, and what it ignores.
import {describe, expect, it} from 'vitest';
import {
	initialLoginState,
	loginReducer,
	runningMethod,
	type LoginAction,
	type LoginState,
} from '../../source/ui/screens/onboarding/login/login-state.js';
import type {SavedAccount, StatusLineOffer} from '../../source/ui/services.js';

const ACCOUNT: SavedAccount = {provider: 'claude', id: 'acc_1', label: 'work', kind: 'delegated'};
const OFFER: StatusLineOffer = {lines: ['  + statusLine'], install: async () => 'installed'};

const run = (state: LoginState, ...actions: LoginAction[]) => actions.reduce(loginReducer, state);

describe('loginReducer', () => {
	it('starts on the only method, else on the choice', () => {
		expect(initialLoginState('api-key')).toEqual({phase: {kind: 'api-key'}, attempt: 1, last: 'api-key'});
		expect(initialLoginState()).toEqual({phase: {kind: 'choose'}, attempt: 0});
	});

	it('a chosen OAuth method runs, and each start is a new attempt', () => {
		const state = run(initialLoginState(), {type: 'start', method: 'paste'});
		expect(state).toEqual({phase: {kind: 'oauth', method: 'paste'}, attempt: 1, last: 'paste'});
		expect(runningMethod(state.phase)).toBe('paste');
		// A second start while one runs is ignored.
		expect(loginReducer(state, {type: 'start', method: 'browser'})).toBe(state);
	});

	it('a failure names the method that failed; retry starts it again as a new attempt', () => {
		const failed = run(
			initialLoginState(),
			{type: 'start', method: 'browser'},
			{type: 'failed', reason: 'timed out', refused: false},
		);
		expect(failed.phase).toEqual({kind: 'failed', method: 'browser', reason: 'timed out', refused: false});
		expect(runningMethod(failed.phase)).toBeUndefined();
		expect(loginReducer(failed, {type: 'retry'})).toEqual({
			phase: {kind: 'oauth', method: 'browser'},
			attempt: 2,
			last: 'browser',
		});
	});

	it('a refusal is not retried; another method goes back to the choice', () => {
		const refused = run(initialLoginState('api-key'), {type: 'failed', reason: 'label taken', refused: true});
		expect(loginReducer(refused, {type: 'retry'})).toBe(refused);
		expect(loginReducer(refused, {type: 'choose'}).phase).toEqual({kind: 'choose'});
	});

	it('Claude Code with an offer asks first; the answer, either way, signs in', () => {
		const offered = run(
			initialLoginState(),
			{type: 'start', method: 'claude-code'},
			{type: 'offer', account: ACCOUNT, offer: OFFER},
		);
		expect(offered.phase).toEqual({kind: 'status-line', account: ACCOUNT, offer: OFFER});
		// Leaving is not possible here: the sign-in already happened.
		expect(loginReducer(offered, {type: 'choose'})).toBe(offered);
		expect(loginReducer(offered, {type: 'signed-in', account: ACCOUNT}).phase).toEqual({
			kind: 'signed-in',
			account: ACCOUNT,
		});
	});

	it('an offer only follows a Claude Code sign-in', () => {
		const browser = run(initialLoginState(), {type: 'start', method: 'browser'});
		expect(loginReducer(browser, {type: 'offer', account: ACCOUNT, offer: OFFER})).toBe(browser);
	});

	it('a finished sign-in stays: late failures, leaving and starting change nothing', () => {
		const done = run(initialLoginState('api-key'), {type: 'signed-in', account: ACCOUNT});
		expect(done.phase).toEqual({kind: 'signed-in', account: ACCOUNT});
		for (const action of [
			{type: 'failed', reason: 'x', refused: false},
			{type: 'choose'},
			{type: 'retry'},
			{type: 'start', method: 'paste'},
		] as const)
			expect(loginReducer(done, action)).toBe(done);
	});

	it('nothing signs in or fails from the choice', () => {
		const choose = initialLoginState();
		expect(loginReducer(choose, {type: 'signed-in', account: ACCOUNT})).toBe(choose);
		expect(loginReducer(choose, {type: 'failed', reason: 'x', refused: false})).toBe(choose);
		expect(loginReducer(choose, {type: 'retry'})).toBe(choose);
	});
});
