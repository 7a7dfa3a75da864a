// Recorded provider errors on real files in a temp home: the file, its mode, streaks, order, bad input, damage.
import fs from 'node:fs/promises';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {addAccount} from '../../source/core/accounts.js';
import {UsageError} from '../../source/core/errors.js';
import {recordProviderError as recordFromHost, selectProvider} from '../../source/library.js';
import {updateAuthFile} from '../../source/store/auth-file.js';
import {
	clearProviderErrors,
	errorsPath,
	readReportedErrors,
	recordProviderError,
} from '../../source/store/provider-errors.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
let home: string;
beforeEach(async () => {
	home = await tempHome('tui-errors-');
});

async function seedChatGPT(): Promise<string> {
	return updateAuthFile(home, 'openai', (file) => {
		const {file: next, account} = addAccount(
			file,
			{
				kind: 'oauth',
				label: 'personal',
				email: 'me@example.com',
				plan: 'plus',
				clientId: 'oaiapp_test1',
				planEnabled: true,
				tokens: {access: 'plan-token-canary', refresh: 'r', expiresAt: NOW + 3_600_000, refreshedAt: NOW - 60_000},
			},
			{now: NOW - 60_000, newId: () => 'acc_plan'},
		);
		return {file: next, result: account.id};
	});
}

describe('recordProviderError (store)', () => {
	it('keeps the latest of each class per account with its streak, in usage/errors.json (0600)', async () => {
		await recordProviderError(
			home,
			'openai',
			'acc_plan',
			{status: 429, code: 'subscription_sharing_usage_limit_exceeded', requestId: 'req_1'},
			{now: NOW, plan: 'plus'},
		);
		const second = await recordProviderError(
			home,
			'openai',
			'acc_plan',
			{code: 'subscription_sharing_usage_limit_exceeded', midStream: true},
			{now: NOW + 1000},
		);
		await recordProviderError(
			home,
			'openai',
			'acc_plan',
			{status: 503, code: 'subscription_sharing_usage_unavailable'},
			{now: NOW + 2000},
		);
		expect(second).toMatchObject({
			kind: 'plan-limit',
			key: 'openai/acc_plan',
			error: {at: NOW + 1000, firstAt: NOW, count: 2, midStream: true},
		});
		const all = await readReportedErrors(home);
		expect(Object.keys(all)).toEqual(['openai/acc_plan']);
		expect(all['openai/acc_plan']).toMatchObject({
			'plan-limit': {at: NOW + 1000, count: 2},
			unavailable: {at: NOW + 2000, count: 1, status: 503},
		});
		expect((await fs.stat(errorsPath(home))).mode & 0o777).toBe(0o600);
		expect((await fs.readdir(path.dirname(errorsPath(home)))).sort()).toEqual(['errors.json']);
	});

	it('never lets an older report replace a newer one', async () => {
		await recordProviderError(
			home,
			'openai',
			'a1',
			{status: 429, code: 'subscription_sharing_usage_limit_exceeded'},
			{now: NOW},
		);
		await recordProviderError(
			home,
			'openai',
			'a1',
			{status: 429, code: 'subscription_sharing_usage_limit_exceeded'},
			{now: NOW - 5000},
		);
		expect((await readReportedErrors(home))['openai/a1']!['plan-limit']).toMatchObject({at: NOW, count: 1});
	});

	it('rejects bad input with one line and writes nothing', async () => {
		for (const bad of [{}, {status: 99}, {code: 'has spaces'}, {status: 429, requestId: 'a\nb'}]) {
			await expect(recordProviderError(home, 'openai', 'a1', bad as never, {now: NOW})).rejects.toBeInstanceOf(
				UsageError,
			);
		}
		await expect(recordProviderError(home, 'gemini' as never, 'a1', {status: 429}, {now: NOW})).rejects.toThrow(
			/unknown provider/,
		);
		await expect(fs.stat(errorsPath(home))).rejects.toMatchObject({code: 'ENOENT'});
	});

	it('a damaged file is moved aside and named; the next report starts a new one', async () => {
		await fs.mkdir(path.dirname(errorsPath(home)), {recursive: true});
		await fs.writeFile(errorsPath(home), '{"version":1,"accounts":', {mode: 0o600});
		await expect(readReportedErrors(home)).rejects.toThrow(/errors\.json \(reported provider errors\) is corrupt/);
		await recordProviderError(home, 'openai', 'a1', {status: 503}, {now: NOW});
		expect(Object.keys(await readReportedErrors(home))).toEqual(['openai/a1']);
	});

	it('clears all or some classes of an account', async () => {
		await recordProviderError(home, 'openai', 'a1', {status: 503}, {now: NOW});
		await recordProviderError(
			home,
			'openai',
			'a1',
			{status: 403, code: 'subscription_sharing_user_not_eligible'},
			{now: NOW},
		);
		await clearProviderErrors(home, 'openai', 'a1', ['unavailable']);
		expect(Object.keys((await readReportedErrors(home))['openai/a1']!)).toEqual(['not-eligible']);
		await clearProviderErrors(home, 'openai', 'a1');
		expect(await readReportedErrors(home)).toEqual({});
	});
});

describe('recordProviderError (library): one call, for the account that resolves now', () => {
	it('a plan usage limit on the active ChatGPT account makes selection fall back on quota', async () => {
		await seedChatGPT();
		await updateAuthFile(home, 'claude', (file) => ({
			file: addAccount(
				file,
				{kind: 'api-key', label: 'work-key', key: 'sk-ant-test-0000'},
				{now: NOW, newId: () => 'acc_key'},
			).file,
			result: undefined,
		}));
		const {writeFile} = fs;
		await writeFile(
			path.join(home, 'config.json'),
			JSON.stringify({
				activeProvider: 'openai',
				fallback: {enabled: true, order: ['openai', 'claude'], triggers: ['quota'], thresholdPercent: 95},
				routing: {smallLines: 500, mediumLines: 2000, tokensPerLine: 4},
			}),
			{mode: 0o600},
		);
		const before = await selectProvider({home, env: {}, now: NOW});
		expect(before.decision).toMatchObject({ok: true, provider: 'openai', accountLabel: 'personal'});
		const recorded = await recordFromHost(
			'openai',
			{status: 429, code: 'subscription_sharing_usage_limit_exceeded'},
			{home, env: {}, now: NOW},
		);
		expect(recorded).toMatchObject({kind: 'plan-limit', key: 'openai/acc_plan', error: {plan: 'plus'}});
		const after = await selectProvider({home, env: {}, now: NOW + 60_000});
		expect(after.decision).toMatchObject({ok: true, provider: 'claude', accountLabel: 'work-key'});
		expect(after.decision.trail.find((s) => s.result === 'fail')?.detail).toMatch(
			/^OpenAI plan usage limit hit 1 m ago; no reset time is given/,
		);
	});
});
