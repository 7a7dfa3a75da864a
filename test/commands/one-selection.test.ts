// One answer to "which provider and account now": the library, `tui` (home), `tui quota --json` and
// `tui auth status --json` all give the same selection for the same home. Run `npm run build` first.
import {rm} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {addAccount} from '../../source/core/accounts.js';
import {selectProvider} from '../../source/library.js';
import {updateAuthFile} from '../../source/store/auth-file.js';
import {updatePreferences} from '../../source/store/preferences.js';
import {runCli} from '../helpers/run-cli.js';
import {ENV, NOW, seedHome} from '../ui/quota-fixture.js';

const homes: string[] = [];
afterEach(async () => {
	for (const home of homes.splice(0)) await rm(home, {recursive: true, force: true});
});

type Selection = {ok: boolean; provider: string | null; account: string | null; summary: string};

/** The selection as each of the four places reports it. */
async function everywhere(
	home: string,
	env: Record<string, string>,
	now?: number,
): Promise<{library: Selection; status: Selection & {activeProvider: string | null}; quota: Selection; home: string}> {
	const clock: Record<string, string> = now === undefined ? {} : {TUI_NOW: new Date(now).toISOString()};
	const lib = await selectProvider({home, env, ...(now === undefined ? {} : {now})});
	const {summarizeDecision} = await import('../../source/core/selection.js');
	const library = {
		ok: lib.decision.ok,
		provider: lib.decision.ok ? lib.decision.provider : null,
		account: lib.decision.ok ? (lib.decision.accountId ?? null) : null,
		summary: summarizeDecision(lib.decision),
	};
	const [status, quota, plain] = await Promise.all([
		runCli(['--home', home, 'auth', 'status', '--json'], {env: {...env, ...clock}}),
		runCli(['--home', home, 'quota', '--json'], {env: {...env, ...clock}}),
		runCli(['--home', home], {env: {...env, ...clock}}),
	]);
	expect(plain.code).toBe(0);
	const statusDoc = JSON.parse(status.stdout) as {activeProvider: string | null; selection: Selection};
	return {
		library,
		status: {...statusDoc.selection, activeProvider: statusDoc.activeProvider},
		quota: (JSON.parse(quota.stdout) as {selection: Selection}).selection,
		home: plain.stdout,
	};
}

describe('one selection', () => {
	it('a home with only a Claude key: every place says "using Claude / work" (the quota screen and home said "no valid auth")', async () => {
		const home = await tempHome('tui-one-selection-');
		homes.push(home);
		await updateAuthFile(home, 'claude', (file) => ({
			file: addAccount(
				file,
				{kind: 'api-key', label: 'work', key: 'sk-ant-test-one-selection-0001'},
				{now: Date.now(), newId: () => 'acc_work'},
			).file,
			result: undefined,
		}));
		await updatePreferences(home, (p) => ({...p, onboardingCompletedAt: new Date().toISOString()}));

		const seen = await everywhere(home, {});
		expect(seen.library).toMatchObject({ok: true, provider: 'claude', account: 'acc_work'});
		expect(seen.library.summary).toContain('using Claude / work');
		expect(seen.status).toEqual({...seen.library, activeProvider: 'claude'});
		expect(seen.quota).toEqual(seen.library);
		expect(seen.home).toContain(`Selection: ${seen.library.summary}`);
		expect(seen.home).toContain('Active: Claude / work');
	});

	it('a home with quota windows, budgets and both providers: the same decision everywhere', async () => {
		const home = await seedHome(NOW);
		homes.push(home);
		await updatePreferences(home, (p) => ({...p, onboardingCompletedAt: new Date(NOW).toISOString()}));
		const seen = await everywhere(home, {...ENV}, NOW);
		expect(seen.library.ok).toBe(true);
		expect(seen.status).toMatchObject(seen.library);
		expect(seen.quota).toEqual(seen.library);
		expect(seen.home).toContain(`Selection: ${seen.library.summary}`);
	});
});
