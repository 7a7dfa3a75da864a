import fs from 'node:fs/promises';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {addAccount, type NewAccountInput} from '../../source/core/accounts.js';
import type {OAuthAccount, ProviderId} from '../../source/core/schemas.js';
import {authFilePath, updateAuthFile} from '../../source/store/auth-file.js';
import {resolveCredential, type RefreshOAuthAccount} from '../../source/store/resolve-credential.js';

const NOW = Date.parse('2026-11-23T04:00:00Z');
const MIN = 60_000;

let home: string;
beforeEach(async () => {
	home = await tempHome('tui-discovery-');
});

let ids = 0;
async function store(provider: ProviderId, input: NewAccountInput): Promise<void> {
	await updateAuthFile(home, provider, (file) => {
		const {file: next, account} = addAccount(file, input, {now: NOW, newId: () => `acc_${++ids}`});
		return {file: next, result: account};
	});
}

function oauth(label: string, expiresAt: number, extra: Partial<OAuthAccount> = {}): NewAccountInput {
	// A ChatGPT sign-in as the open-source app flow stores it (issued client, plan usage granted).
	return {
		kind: 'oauth',
		label,
		tokens: {access: `access-${label}`, refresh: `refresh-${label}`, expiresAt, refreshedAt: NOW - 10 * MIN},
		plan: 'plus',
		clientId: 'oaiapp_test1',
		planEnabled: true,
		...extra,
	} as NewAccountInput;
}

const ENV_VAR: Record<ProviderId, string> = {openai: 'OPENAI_API_KEY', claude: 'ANTHROPIC_API_KEY'};

describe.each(['openai', 'claude'] as const)('precedence for %s', (provider) => {
	// Every combination of the three sources: the highest present wins and the others are listed as shadowed.
	const combos = [0, 1, 2, 3, 4, 5, 6, 7].map((bits) => ({
		explicit: Boolean(bits & 4),
		env: Boolean(bits & 2),
		file: Boolean(bits & 1),
	}));
	it.each(combos)('explicit=$explicit env=$env file=$file', async ({explicit, env, file}) => {
		if (file) await store(provider, {kind: 'api-key', label: 'stored', key: 'sk-stored-key-0001'});
		const result = await resolveCredential(provider, {
			home,
			env: env ? {[ENV_VAR[provider]]: 'sk-env-key-0002'} : {},
			...(explicit ? {explicit: 'sk-flag-key-0003'} : {}),
			now: NOW,
		});
		const expected = explicit
			? {source: 'flag', secret: 'sk-flag-key-0003'}
			: env
				? {source: 'env', secret: 'sk-env-key-0002'}
				: file
					? {source: 'file', secret: 'sk-stored-key-0001'}
					: {source: 'none'};
		expect(result).toMatchObject({provider, ...expected, usable: expected.source !== 'none'});
		const shadowedSources = result.shadowed.map((s) => s.source).sort();
		const expectedShadowed = [
			...(explicit && env ? ['env'] : []),
			...((explicit || env) && file ? ['file'] : []),
		].sort();
		expect(shadowedSources).toEqual(expectedShadowed);
		if (expected.source === 'none') expect(result.reason).toContain(`tui auth login --provider ${provider}`);
		// Reasons and shadow details show keys as …last4 at most.
		expect(JSON.stringify({r: result.reason, s: result.shadowed})).not.toMatch(/sk-(stored|env|flag)-key/);
	});
});

describe('environment', () => {
	it('an env key shadowing a stored login says so, naming the variable and the login', async () => {
		await store('openai', oauth('work', NOW + 60 * MIN));
		const result = await resolveCredential('openai', {home, env: {OPENAI_API_KEY: 'sk-env-1234'}, now: NOW});
		expect(result).toMatchObject({source: 'env', envVar: 'OPENAI_API_KEY', secret: 'sk-env-1234', usable: true});
		expect(result.shadowed).toEqual([
			{
				source: 'file',
				detail: expect.stringMatching(
					/OPENAI_API_KEY shadows the stored login "work" \(oauth, plus\).*unset OPENAI_API_KEY/,
				),
			},
		]);
	});

	it('CLAUDE_API_KEY is an alias of ANTHROPIC_API_KEY', async () => {
		const result = await resolveCredential('claude', {home, env: {CLAUDE_API_KEY: 'sk-ant-test-alias-9999'}, now: NOW});
		expect(result).toMatchObject({
			source: 'env',
			envVar: 'CLAUDE_API_KEY',
			secret: 'sk-ant-test-alias-9999',
			usable: true,
		});
	});

	it('ANTHROPIC_API_KEY wins over CLAUDE_API_KEY, which is listed as shadowed', async () => {
		const result = await resolveCredential('claude', {
			home,
			env: {CLAUDE_API_KEY: 'sk-ant-test-alias-9999', ANTHROPIC_API_KEY: 'sk-ant-test-main-1111'},
			now: NOW,
		});
		expect(result).toMatchObject({source: 'env', envVar: 'ANTHROPIC_API_KEY', secret: 'sk-ant-test-main-1111'});
		expect(result.shadowed).toEqual([{source: 'env', detail: 'CLAUDE_API_KEY is ignored: ANTHROPIC_API_KEY wins'}]);
	});

	it('CLAUDE_API_KEY does not leak into OpenAI, nor OPENAI_API_KEY into Claude', async () => {
		expect(
			await resolveCredential('openai', {home, env: {CLAUDE_API_KEY: 'x-1234', ANTHROPIC_API_KEY: 'y-1234'}}),
		).toMatchObject({source: 'none', usable: false});
		expect(await resolveCredential('claude', {home, env: {OPENAI_API_KEY: 'z-1234'}})).toMatchObject({
			source: 'none',
			usable: false,
		});
	});

	it('blank variables count as unset', async () => {
		await store('openai', {kind: 'api-key', label: 'stored', key: 'sk-stored-key-0001'});
		const result = await resolveCredential('openai', {home, env: {OPENAI_API_KEY: '  '}, explicit: '', now: NOW});
		expect(result).toMatchObject({source: 'file', secret: 'sk-stored-key-0001'});
		expect(result.shadowed).toEqual([]);
	});
});

describe('stored accounts', () => {
	it('uses the active account, not merely the first', async () => {
		await store('openai', {kind: 'api-key', label: 'first', key: 'sk-first-000001'});
		await store('openai', {kind: 'api-key', label: 'second', key: 'sk-second-00002'});
		const result = await resolveCredential('openai', {home, env: {}, now: NOW});
		expect(result).toMatchObject({
			source: 'file',
			secret: 'sk-second-00002',
			account: {label: 'second', kind: 'api-key', key: '…0002', active: true},
		});
		expect(JSON.stringify(result.account)).not.toContain('sk-second');
	});

	it('a valid oauth token is returned without calling refresh', async () => {
		await store('openai', oauth('work', NOW + 6 * MIN));
		let calls = 0;
		const result = await resolveCredential('openai', {home, env: {}, now: NOW, refresh: async (a) => (calls++, a)});
		expect(result).toMatchObject({
			usable: true,
			secret: 'access-work',
			kind: 'chatgpt-plan',
			account: {label: 'work', plan: 'plus', expiresAt: new Date(NOW + 6 * MIN).toISOString()},
		});
		expect(calls).toBe(0);
		expect(JSON.stringify(result.account)).not.toMatch(/access-work|refresh-work/);
	});

	it('a token within 5 minutes of expiry, with no refresh hook, is not usable', async () => {
		await store('openai', oauth('work', NOW + 4 * MIN));
		const result = await resolveCredential('openai', {home, env: {}, now: NOW});
		expect(result).toMatchObject({source: 'file', usable: false});
		expect(result.secret).toBeUndefined();
		expect(result.reason).toMatch(/run tui auth login/);
	});

	it('an expired token says "token expired; run tui auth login"', async () => {
		await store('claude', oauth('sub', NOW - MIN));
		const result = await resolveCredential('claude', {home, env: {}, now: NOW});
		expect(result.usable).toBe(false);
		expect(result.reason).toMatch(/token expired; run tui auth login/);
	});

	it('a token near expiry goes through the refresh hook, and the fresh token is returned', async () => {
		await store('openai', oauth('work', NOW + 2 * MIN));
		const seen: string[] = [];
		const refresh: RefreshOAuthAccount = async (account, context) => {
			seen.push(`${context.provider}:${account.label}:${context.home === home}`);
			return {...account, tokens: {...account.tokens, access: 'access-fresh', expiresAt: NOW + 60 * MIN}};
		};
		const result = await resolveCredential('openai', {home, env: {}, now: NOW, refresh});
		expect(seen).toEqual(['openai:work:true']);
		expect(result).toMatchObject({
			usable: true,
			secret: 'access-fresh',
			account: {expiresAt: new Date(NOW + 60 * MIN).toISOString()},
		});
		expect(result.reason).toContain('refreshed');
	});

	it('a failed refresh is not usable and keeps the reason', async () => {
		await store('openai', oauth('work', NOW + MIN));
		const result = await resolveCredential('openai', {
			home,
			env: {},
			now: NOW,
			refresh: async () => {
				throw new Error('refresh_token_reused: log in again');
			},
		});
		expect(result).toMatchObject({source: 'file', usable: false});
		expect(result.reason).toMatch(/token refresh failed \(refresh_token_reused: log in again\)/);
	});

	it('a needsLogin account is not usable, with its reason', async () => {
		await store('openai', oauth('work', NOW + 60 * MIN, {needsLogin: 'refresh token expired'}));
		const result = await resolveCredential('openai', {home, env: {}, now: NOW});
		expect(result).toMatchObject({usable: false, account: {needsLogin: 'refresh token expired'}});
		expect(result.reason).toMatch(/needs a new login \(refresh token expired\)/);
		expect(result.secret).toBeUndefined();
	});

	it('a delegated account is usable without a secret', async () => {
		await store('claude', {kind: 'delegated', label: 'claude-code', tool: 'claude-code'} as NewAccountInput);
		const result = await resolveCredential('claude', {home, env: {}, now: NOW});
		expect(result).toMatchObject({source: 'file', usable: true, kind: 'delegated', account: {tool: 'claude-code'}});
		expect(result.secret).toBeUndefined();
	});
});

describe('a corrupt auth file', () => {
	it('makes its provider unusable with a one-line reason, and leaves the other provider alone', async () => {
		await store('claude', {kind: 'api-key', label: 'ok', key: 'sk-ant-test-fine-000001'});
		await fs.mkdir(path.dirname(authFilePath(home, 'openai')), {recursive: true});
		await fs.writeFile(
			authFilePath(home, 'openai'),
			'{"version": 1, "accounts": [ {"key": "sk-secret-in-corrupt-file"',
			{mode: 0o600},
		);
		const openai = await resolveCredential('openai', {home, env: {}, now: NOW});
		expect(openai).toMatchObject({usable: false, source: 'file'});
		expect(openai.reason).toMatch(/corrupt/);
		expect(openai.reason).not.toContain('\n');
		expect(openai.reason).not.toContain('sk-secret-in-corrupt-file');
		const claude = await resolveCredential('claude', {home, env: {}, now: NOW});
		expect(claude).toMatchObject({usable: true, secret: 'sk-ant-test-fine-000001'});
	});

	it('does not stop an environment key from winning, and is reported as fileError', async () => {
		await fs.mkdir(path.dirname(authFilePath(home, 'openai')), {recursive: true});
		await fs.writeFile(authFilePath(home, 'openai'), 'not json', {mode: 0o600});
		const result = await resolveCredential('openai', {home, env: {OPENAI_API_KEY: 'sk-env-1234'}, now: NOW});
		expect(result).toMatchObject({usable: true, source: 'env'});
		expect(result.fileError).toMatch(/corrupt/);
	});
});

describe('a ChatGPT sign-in', () => {
	it('resolves to a plan token: what it is for, where it goes and the documented request constraints', async () => {
		await store('openai', oauth('personal', NOW + 60 * MIN));
		const result = await resolveCredential('openai', {home, env: {OPENAI_BASE_URL: 'http://127.0.0.1:9/v1'}, now: NOW});
		expect(result).toMatchObject({
			usable: true,
			secret: 'access-personal',
			kind: 'chatgpt-plan',
			// OPENAI_BASE_URL belongs to API keys; a plan token goes to the public API.
			baseURL: 'https://api.openai.com/v1',
			planEnabled: true,
			requests: {
				responses: {method: 'POST', path: '/responses', store: false, stream: true},
				models: {method: 'GET', path: '/models'},
			},
			account: {planEnabled: true, credentialSince: new Date(NOW - 10 * MIN).toISOString()},
		});
		expect(
			(
				await resolveCredential('openai', {
					home,
					env: {TUI_OPENAI_PLAN_BASE_URL: 'http://127.0.0.1:4000/v1/'},
					now: NOW,
				})
			).baseURL,
		).toBe('http://127.0.0.1:4000/v1');
	});

	it('an API key keeps its result as it was: no plan fields', async () => {
		await store('openai', {kind: 'api-key', label: 'key', key: 'sk-stored-key-0001'});
		const result = await resolveCredential('openai', {home, env: {}, now: NOW});
		expect(result).toMatchObject({kind: 'api-key', usable: true});
		expect(result).not.toHaveProperty('baseURL');
		expect(result).not.toHaveProperty('planEnabled');
	});

	it('a login from the retired Codex-client flow (no issued client) needs a new sign-in and is not usable', async () => {
		await store(
			'openai',
			oauth('old', NOW + 60 * MIN, {clientId: undefined, planEnabled: undefined, accountId: 'acct-123'}),
		);
		let refreshes = 0;
		const result = await resolveCredential('openai', {home, env: {}, now: NOW, refresh: async (a) => (refreshes++, a)});
		expect(result).toMatchObject({usable: false, account: {label: 'old'}});
		expect(result.secret).toBeUndefined();
		expect(result.reason).toBe(
			'stored login "old" (oauth, plus) needs a new sign-in (Continue with ChatGPT): it was made by the retired Codex-client sign-in; run tui auth login --provider openai',
		);
		expect(refreshes).toBe(0);
	});

	it('identity only (plan usage not granted) is a valid sign-in that cannot use the plan, and says so', async () => {
		await store('openai', oauth('ident', NOW + 60 * MIN, {planEnabled: false}));
		const result = await resolveCredential('openai', {home, env: {}, now: NOW});
		expect(result).toMatchObject({usable: false, kind: 'chatgpt-plan', planEnabled: false});
		expect(result.secret).toBeUndefined();
		expect(result.reason).toContain('ChatGPT plan usage is off (identity only)');
		expect(result.reason).toContain('or add an API key');
	});

	it('a 401 the host reported makes the next resolution refresh (forced), then the newer token is used', async () => {
		const {recordProviderError} = await import('../../source/store/provider-errors.js');
		await store('openai', oauth('personal', NOW + 60 * MIN));
		const id = (await resolveCredential('openai', {home, env: {}, now: NOW})).account!.id;
		await recordProviderError(
			home,
			'openai',
			id,
			{status: 401, code: 'subscription_sharing_invalid_user'},
			{now: NOW - MIN},
		);
		const forced: boolean[] = [];
		const refresh: RefreshOAuthAccount = async (account, context) => {
			forced.push(Boolean(context.force));
			const fresh = {...account, tokens: {...account.tokens, access: 'access-new', refreshedAt: NOW}};
			await updateAuthFile(home, 'openai', (file) => ({
				file: {...file, accounts: file.accounts.map((a) => (a.id === account.id ? fresh : a))},
				result: undefined,
			}));
			return fresh;
		};
		const first = await resolveCredential('openai', {home, env: {}, now: NOW, refresh});
		expect(first).toMatchObject({usable: true, secret: 'access-new'});
		expect(forced).toEqual([true]);
		// Answered: no further refresh.
		expect(await resolveCredential('openai', {home, env: {}, now: NOW + 1000, refresh})).toMatchObject({
			usable: true,
			secret: 'access-new',
		});
		expect(forced).toEqual([true]);
		// Rejected again after that refresh: a sign-in is needed, and no refresh is tried.
		await recordProviderError(
			home,
			'openai',
			id,
			{status: 401, code: 'subscription_sharing_invalid_user'},
			{now: NOW + 2000},
		);
		const again = await resolveCredential('openai', {home, env: {}, now: NOW + 3000, refresh});
		expect(again.usable).toBe(false);
		expect(again.reason).toContain(
			'rejected the login again after a token refresh; run: tui auth login --provider openai',
		);
		expect(forced).toEqual([true]);
	});
});
