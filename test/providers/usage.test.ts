// The usage fetchers and gatherQuota against the sandbox's usage endpoints (real HTTP, real tokens from a sandbox login).
import {readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {TuiError} from '../../source/core/errors.js';
import type {OAuthAccount, ProviderId} from '../../source/core/schemas.js';
import {startLogin} from '../../source/oauth/login.js';
import {refreshIfNeeded} from '../../source/oauth/refresh.js';
import {fetchClaudeUsage} from '../../source/providers/claude-usage.js';
import {authFilePath} from '../../source/store/auth-file.js';
import {updatePreferences} from '../../source/store/preferences.js';
import {gatherQuota} from '../../source/app/quota.js';
import {quotaCachePath} from '../../source/store/quota-cache.js';
import type {QuotaRefresh} from '../../source/store/quota.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {useSandbox} from '../helpers/sandbox.js';

const sandbox = useSandbox();

async function login(provider: ProviderId, home: string): Promise<OAuthAccount> {
	let landing: Promise<unknown> | undefined;
	const handle = await startLogin(provider, {
		method: 'browser',
		env: sandbox().env,
		home,
		openBrowser: async (url) => ((landing = completeSandboxLoginWithoutBrowser(url)), true),
	});
	const account = await handle.done;
	await landing;
	return account;
}

function withoutFaults() {
	const faults = sandbox().faults;
	delete faults.usageStatus;
	delete faults.usageBody;
}

async function errorOf(promise: Promise<unknown>): Promise<TuiError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(TuiError);
	const message = (error as Error).message;
	expect(message).not.toContain('\n');
	return error as TuiError;
}

describe('usage fetchers against the sandbox', () => {
	it('Claude 200 with the oauth beta header: 5h, weekly and weekly opus', async () => {
		withoutFaults();
		const account = await login('claude', await tempHome());
		const usage = await fetchClaudeUsage({env: sandbox().env, access: account.tokens.access});
		expect(usage.windows.map((w) => [w.name, w.usedPercent])).toEqual([
			['5h', 12],
			['weekly', 35],
			['weekly opus', 5],
		]);
	});

	it('401 → refreshes once through the hook, then retries once', async () => {
		withoutFaults();
		const account = await login('claude', await tempHome());
		const before = sandbox().stats.usageRequests;
		let calls = 0;
		const usage = await fetchClaudeUsage({
			env: sandbox().env,
			access: 'rejected-token',
			refresh: async () => {
				calls++;
				return account.tokens.access;
			},
		});
		expect(calls).toBe(1);
		expect(usage.refreshed).toBe(true);
		expect(usage.windows).toHaveLength(3);
		expect(sandbox().stats.usageRequests - before).toBe(2);
	});

	it('a second 401 after the refresh is one clear error, with no third request', async () => {
		withoutFaults();
		const before = sandbox().stats.usageRequests;
		let calls = 0;
		const error = await errorOf(
			fetchClaudeUsage({
				env: sandbox().env,
				access: 'rejected-token',
				refresh: async () => {
					calls++;
					return 'still-rejected';
				},
			}),
		);
		expect(error.message).toBe('Claude usage: still not authorized after a token refresh (HTTP 401); log in again');
		expect(calls).toBe(1);
		expect(sandbox().stats.usageRequests - before).toBe(2);
	});

	it('500 → a one-line error naming the status; a malformed body → a one-line error', async () => {
		const account = await login('claude', await tempHome());
		sandbox().faults.usageStatus = 500;
		const failed = await errorOf(fetchClaudeUsage({env: sandbox().env, access: account.tokens.access}));
		expect(failed.message).toBe('Claude usage endpoint failed (HTTP 500); try later');
		withoutFaults();
		sandbox().faults.usageBody = '{"five_hour": {"utilization": 1';
		expect((await errorOf(fetchClaudeUsage({env: sandbox().env, access: account.tokens.access}))).message).toBe(
			'Claude usage response is malformed: not JSON',
		);
		sandbox().faults.usageBody = {five_hour: {utilization: 'lots'}};
		expect((await errorOf(fetchClaudeUsage({env: sandbox().env, access: account.tokens.access}))).message).toBe(
			'Claude usage response is malformed: five_hour.utilization is not a number',
		);
		withoutFaults();
	});

	it('an unreachable endpoint is "offline?", not a crash', async () => {
		const error = await errorOf(
			fetchClaudeUsage({env: {TUI_CLAUDE_USAGE_URL: 'http://127.0.0.1:9/usage'}, access: 't'}),
		);
		expect(error.message).toMatch(/cannot reach 127\.0\.0\.1:9 .*offline\?/);
	});
});

describe('gatherQuota against the sandbox', () => {
	const realRefresh =
		(home: string): QuotaRefresh =>
		(account, ctx) =>
			refreshIfNeeded(ctx.provider, account.id, {home, env: sandbox().env, force: ctx.reason === 'rejected'});

	it('fetches and caches; on a 500 it shows the last good value, stale, with the reason', async () => {
		withoutFaults();
		const home = await tempHome();
		await login('claude', home);
		await updatePreferences(home, (p) => ({...p, activeProvider: 'claude'}));
		const t0 = Date.now();
		const first = await gatherQuota({home, env: sandbox().env, now: t0});
		const account = first.providers.find((p) => p.provider === 'claude')!.accounts[0]!;
		expect(account.status).toBe('fresh');
		expect(account.windows.map((w) => [w.name, w.usedPercent, w.stale])).toEqual([
			['5h', 12, false],
			['weekly', 35, false],
			['weekly opus', 5, false],
		]);
		expect(
			JSON.parse(await readFile(quotaCachePath(home), 'utf8')).entries[`claude/${account.id}`].windows,
		).toHaveLength(3);
		// The selection line says which account would be used.
		expect(first.selection?.summary).toMatch(/^using Claude \/ /);

		sandbox().faults.usageStatus = 500;
		const second = await gatherQuota({home, env: sandbox().env, now: t0 + 60_000});
		withoutFaults();
		const stale = second.providers.find((p) => p.provider === 'claude')!.accounts[0]!;
		expect(stale.status).toBe('stale');
		expect(stale.error).toBe('Claude usage endpoint failed (HTTP 500); try later');
		expect(stale.windows.map((w) => [w.name, w.usedPercent, w.stale, w.ageMs])).toEqual([
			['5h', 12, true, 60_000],
			['weekly', 35, true, 60_000],
			['weekly opus', 5, true, 60_000],
		]);
	});

	it('a rejected stored token is refreshed for real (forced) and the fetch retried', async () => {
		withoutFaults();
		const home = await tempHome();
		await login('claude', home);
		// The server no longer accepts the stored access token, though it has not expired.
		const file = JSON.parse(await readFile(authFilePath(home, 'claude'), 'utf8'));
		file.accounts[0].tokens.access = 'revoked-by-server';
		await writeFile(authFilePath(home, 'claude'), JSON.stringify(file), {mode: 0o600});
		const refreshesBefore = sandbox().stats.claudeRefreshRequests;
		const report = await gatherQuota({home, env: sandbox().env, refresh: realRefresh(home)});
		const account = report.providers.find((p) => p.provider === 'claude')!.accounts[0]!;
		expect(account.error).toBeUndefined();
		expect(account.windows[0]).toMatchObject({name: '5h', usedPercent: 12});
		expect(sandbox().stats.claudeRefreshRequests - refreshesBefore).toBe(1);
		const stored = JSON.parse(await readFile(authFilePath(home, 'claude'), 'utf8'));
		expect(stored.accounts[0].tokens.access).not.toBe('revoked-by-server');
	});

	it('a malformed body is shown as the account error, never thrown', async () => {
		const home = await tempHome();
		await login('claude', home);
		sandbox().faults.usageBody = 'not json';
		const report = await gatherQuota({home, env: sandbox().env});
		withoutFaults();
		const account = report.providers.find((p) => p.provider === 'claude')!.accounts[0]!;
		expect(account).toMatchObject({status: 'none', error: 'Claude usage response is malformed: not JSON', windows: []});
	});
});
