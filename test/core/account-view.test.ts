// The one account view and its projections: who an account is, and the row the account list shows; never a secret.
import {describe, expect, it} from 'vitest';
import {accountRow, accountView} from '../../source/core/account-view.js';
import type {Account} from '../../source/core/schemas.js';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const KEY: Account = {
	kind: 'api-key',
	id: 'acc_k',
	label: 'work',
	key: 'sk-test-secret-0001',
	createdAt: '2026-11-01T00:00:00.000Z',
	lastUsedAt: '2026-11-23T09:00:00.000Z',
};
const OAUTH: Account = {
	kind: 'oauth',
	id: 'acc_o',
	label: 'me@example.com',
	plan: 'plus',
	email: 'me@example.com',
	clientId: 'app',
	planEnabled: true,
	tokens: {access: 'at-secret', refresh: 'rt-secret', expiresAt: NOW + 60_000},
	createdAt: '2026-11-01T00:00:00.000Z',
} as Account;
const DELEGATED: Account = {
	kind: 'delegated',
	id: 'acc_d',
	label: 'claude-code',
	tool: 'claude-code',
	email: 'cc@example.com',
	createdAt: '2026-11-01T00:00:00.000Z',
} as Account;

describe('accountView', () => {
	it('names who the account is: plan and email for a sign-in, nothing more for a key', () => {
		expect(accountView('claude', KEY)).toEqual({provider: 'claude', id: 'acc_k', label: 'work', kind: 'api-key'});
		expect(accountView('openai', OAUTH)).toEqual({
			provider: 'openai',
			id: 'acc_o',
			label: 'me@example.com',
			kind: 'oauth',
			plan: 'plus',
			email: 'me@example.com',
		});
		expect(accountView('claude', DELEGATED)).toEqual({
			provider: 'claude',
			id: 'acc_d',
			label: 'claude-code',
			kind: 'delegated',
			email: 'cc@example.com',
		});
	});
});

describe('accountRow', () => {
	it('is the view plus what the list shows; a key only as …last4', () => {
		const row = accountRow('claude', KEY, 'acc_k', NOW);
		expect(row).toEqual({
			...accountView('claude', KEY),
			fileActive: true,
			keyLast4: '…0001',
			lastUsedAt: '2026-11-23T09:00:00.000Z',
		});
		expect(JSON.stringify(row)).not.toContain('secret');
	});

	it('a sign-in carries its expiry and why it cannot be used', () => {
		expect(accountRow('openai', OAUTH, null, NOW)).toMatchObject({
			fileActive: false,
			expiresAt: NOW + 60_000,
			planEnabled: true,
		});
		expect(accountRow('openai', OAUTH, null, NOW).problem).toBeUndefined();
		const expired = {...OAUTH, tokens: {access: 'at-secret', expiresAt: NOW - 1}} as Account;
		expect(accountRow('openai', expired, null, NOW).problem).toBe('expired and cannot be refreshed: needs login');
		const codexClient = {...OAUTH, clientId: undefined} as unknown as Account;
		expect(accountRow('openai', codexClient, null, NOW).problem).toBe('needs a new sign-in (Continue with ChatGPT)');
		expect(JSON.stringify(accountRow('openai', OAUTH, null, NOW))).not.toContain('secret');
	});

	it('a delegated account names the tool that holds its credential', () => {
		expect(accountRow('claude', DELEGATED, 'acc_d', NOW)).toEqual({
			...accountView('claude', DELEGATED),
			fileActive: true,
			tool: 'claude-code',
		});
	});
});
