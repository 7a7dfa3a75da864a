// The account switcher's modes, without rendering: which action moves where, what Esc returns to.
import {describe, expect, it} from 'vitest';
import {
	initialSwitcherState,
	needOf,
	switcherReducer,
	type SwitcherAction,
	type SwitcherState,
} from '../../source/ui/screens/accounts/state.js';
import type {AccountRow} from '../../source/app/accounts.js';

const KEY_ROW: AccountRow = {
	provider: 'claude',
	id: 'acc_k',
	label: 'work',
	kind: 'api-key',
	fileActive: true,
	keyLast4: '…1234',
};
const OAUTH_ROW: AccountRow = {
	provider: 'openai',
	id: 'acc_o',
	label: 'personal',
	kind: 'oauth',
	fileActive: true,
	problem: 'needs login (refresh token expired)',
};

const run = (state: SwitcherState, ...actions: SwitcherAction[]) => actions.reduce(switcherReducer, state);

describe('switcherReducer', () => {
	it('starts on the list, or on "add" from the home menu', () => {
		expect(initialSwitcherState()).toEqual({mode: {kind: 'list'}, startedInAdd: false});
		expect(initialSwitcherState('add', 'claude')).toEqual({
			mode: {kind: 'add-provider', initial: 'claude'},
			startedInAdd: true,
		});
	});

	it('remove, rename and the unusable warning start from the list and Esc returns to it', () => {
		const list = initialSwitcherState();
		for (const action of [
			{type: 'ask-remove', row: KEY_ROW},
			{type: 'ask-rename', row: KEY_ROW},
			{type: 'warn-unusable', provider: 'openai', row: OAUTH_ROW, reason: 'needs login'},
		] as const) {
			const asked = switcherReducer(list, action);
			expect(asked.mode.kind).not.toBe('list');
			// Elsewhere the same action changes nothing.
			expect(switcherReducer(asked, action)).toBe(asked);
			expect(switcherReducer(asked, {type: 'back'}).mode).toEqual({kind: 'list'});
		}
	});

	it('adding walks provider → kind → login, and Esc walks back with each choice highlighted', () => {
		const login = run(
			initialSwitcherState(),
			{type: 'add', initial: 'openai'},
			{type: 'provider-chosen', provider: 'claude'},
			{type: 'need-chosen', need: 'api'},
		);
		expect(login.mode).toEqual({kind: 'login', provider: 'claude', need: 'api', relogin: false});
		const need = switcherReducer(login, {type: 'back'});
		expect(need.mode).toEqual({kind: 'add-need', provider: 'claude', initial: 'api'});
		const provider = switcherReducer(need, {type: 'back'});
		expect(provider.mode).toEqual({kind: 'add-provider', initial: 'claude'});
		expect(switcherReducer(provider, {type: 'back'}).mode).toEqual({kind: 'list'});
	});

	it('an add started from the home menu is left by the screen, not by the reducer', () => {
		const state = initialSwitcherState('add');
		expect(switcherReducer(state, {type: 'back'})).toBe(state);
		// Once back on the list, Esc is the screen's call too.
		const list = switcherReducer(state, {type: 'to-list'});
		expect(list).toEqual({mode: {kind: 'list'}, startedInAdd: false});
		expect(switcherReducer(list, {type: 'back'})).toBe(list);
	});

	it('logging in again uses the credential kind of the unusable account; Esc from it returns to the list', () => {
		const relogin = run(
			initialSwitcherState(),
			{type: 'warn-unusable', provider: 'openai', row: OAUTH_ROW, reason: 'needs login'},
			{type: 'relogin'},
		);
		expect(relogin.mode).toEqual({kind: 'login', provider: 'openai', need: 'subscription', relogin: true});
		expect(switcherReducer(relogin, {type: 'back'}).mode).toEqual({kind: 'list'});
		expect(needOf(KEY_ROW)).toBe('api');
		expect(needOf(undefined)).toBe('subscription');
	});

	it('choices out of turn change nothing', () => {
		const list = initialSwitcherState();
		for (const action of [
			{type: 'provider-chosen', provider: 'openai'},
			{type: 'need-chosen', need: 'api'},
			{type: 'relogin'},
		] as const)
			expect(switcherReducer(list, action)).toBe(list);
	});
});
