// A ChatGPT sign-in as the built CLI shows it (node dist/cli.cjs; run `npm run build` first), in a temp home
// written through the store: quota --json and --line, auth status, with a plan limit the host reported.
import fs from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {addAccount} from '../../source/core/accounts.js';
import type {OAuthAccount} from '../../source/core/schemas.js';
import {updateAuthFile} from '../../source/store/auth-file.js';
import {recordProviderError} from '../../source/store/provider-errors.js';
import {runCli} from '../helpers/run-cli.js';

const TOKEN = 'plan-token-canary-7777';

async function chatgptHome(extra: Partial<OAuthAccount> = {}): Promise<string> {
	const home = await tempHome('tui-chatgpt-');
	const now = Date.now();
	await updateAuthFile(home, 'openai', (file) => ({
		file: addAccount(
			file,
			{
				kind: 'oauth',
				label: 'personal',
				email: 'me@example.com',
				plan: 'plus',
				clientId: 'oaiapp_test1',
				planEnabled: true,
				tokens: {access: TOKEN, refresh: 'refresh-canary', expiresAt: now + 3_600_000, refreshedAt: now - 60_000},
				...extra,
			},
			{now: now - 60_000, newId: () => 'acc_plan'},
		).file,
		result: undefined,
	}));
	return home;
}

describe('tui quota for a ChatGPT sign-in', () => {
	it('--json: plan usage and the plan, the last limit hit with its time, the ledger, the terms, Manage usage; no numbers', async () => {
		const home = await chatgptHome();
		const hit = Date.now() - 5 * 60_000;
		await recordProviderError(
			home,
			'openai',
			'acc_plan',
			{status: 429, code: 'subscription_sharing_usage_limit_exceeded', midStream: true},
			{now: hit, plan: 'plus'},
		);
		const result = await runCli(['--home', home, 'quota', '--json']);
		expect(result.stderr).toBe('');
		const doc = JSON.parse(result.stdout);
		const account = doc.providers.find((p: {provider: string}) => p.provider === 'openai').accounts[0];
		expect(account).toMatchObject({
			id: 'acc_plan',
			plan: 'plus',
			status: 'plan',
			windows: [],
			spend: {costUsd: 0, calls: 0},
			chatgpt: {
				planEnabled: true,
				plan: 'plus',
				eligible: true,
				limited: true,
				lastLimitAt: new Date(hit).toISOString(),
				lastLimitMidStream: true,
				manageUsageUrl: 'https://chatgpt.com/settings/usage',
				terms: [
					'Plus: a 5-hour limit shared by every app',
					"Each app's weekly share is set in ChatGPT settings",
					'Apps get no usage numbers',
				],
			},
		});
		// The limit holds plan use back, with no reset time claimed.
		expect(doc.selection.ok).toBe(false);
		expect(doc.selection.summary).toMatch(/^no valid auth: OpenAI plan usage limit hit 5 m ago/);
		expect(result.stdout).not.toContain(TOKEN);
	});

	it('--line: the plan and whether it is on or paused by a limit', async () => {
		const home = await chatgptHome();
		expect((await runCli(['--home', home, 'quota', '--line'])).stdout).toBe('openai plus plan on\n');
		const hit = Date.now() - 60_000;
		await recordProviderError(
			home,
			'openai',
			'acc_plan',
			{status: 429, code: 'subscription_sharing_usage_limit_exceeded'},
			{now: hit},
		);
		const clock = new Date(hit).toISOString().slice(11, 16);
		expect((await runCli(['--home', home, 'quota', '--line'], {env: {TZ: 'UTC'}})).stdout).toBe(
			`openai plus plan limit ${clock} ✖\n`,
		);
	});

	it('an identity-only sign-in shows plan usage off', async () => {
		const home = await chatgptHome({planEnabled: false});
		expect((await runCli(['--home', home, 'quota', '--line'])).stdout).toBe('openai plus plan off\n');
		const plain = (await runCli(['--home', home, 'quota'])).stdout;
		expect(plain).toContain(
			'ChatGPT plan usage: off (plus), identity only: sign in again to allow it, or add an API key',
		);
		expect(plain).toContain('Manage usage: https://chatgpt.com/settings/usage');
	});
});

describe('tui auth status for a ChatGPT sign-in', () => {
	it('shows the active ChatGPT account with email and plan, and the Manage usage link', async () => {
		const home = await chatgptHome();
		const result = await runCli(['--home', home, 'auth', 'status']);
		expect(result.stdout).toContain(
			'  chatgpt   me@example.com · plus plan · plan usage on · Manage usage: https://chatgpt.com/settings/usage',
		);
		expect(result.stdout).not.toContain(TOKEN);
		const json = JSON.parse((await runCli(['--home', home, 'auth', 'status', '--json'])).stdout);
		expect(json.providers.openai).toMatchObject({
			usable: true,
			kind: 'chatgpt-plan',
			activeAccount: {email: 'me@example.com', plan: 'plus', planEnabled: true},
		});
	});

	it('a login from the retired Codex-client flow reads as "needs a new sign-in", not as a corrupt file', async () => {
		const home = await chatgptHome({clientId: undefined, planEnabled: undefined});
		const result = await runCli(['--home', home, 'auth', 'status']);
		expect(result.stdout).toContain('needs a new sign-in (Continue with ChatGPT)');
		expect(result.stdout).not.toMatch(/corrupt/);
		expect(result.stdout).toContain('personal');
	});
});
