// Seeds a temp home through the real store functions: two Claude keys, an OpenAI login, and an OpenAI
// login that needs a new sign-in. Keys hold a "canary" so tests can prove no secret reaches a frame.
import {addAccount} from '../../source/core/accounts.js';
import type {Preferences} from '../../source/core/schemas.js';
import {readAuthFile, updateAuthFile} from '../../source/store/auth-file.js';
import {readPreferences, updatePreferences} from '../../source/store/preferences.js';

export const CLAUDE_WORK_KEY = 'sk-ant-test-canary-secret-1234';
export const CLAUDE_SPARE_KEY = 'sk-ant-test-canary-secret-9999';

export async function seedAccounts(home: string, preferences: Partial<Preferences> = {}): Promise<void> {
	let n = 0;
	const deps = {now: Date.now() - 3 * 3600_000, newId: () => `acc_seed${++n}`};
	await updateAuthFile(home, 'claude', (empty) => {
		let file = addAccount(empty, {kind: 'api-key', label: 'work', key: CLAUDE_WORK_KEY}, deps).file;
		file = addAccount(file, {kind: 'api-key', label: 'spare', key: CLAUDE_SPARE_KEY}, deps).file;
		// "work" stays the active Claude account, last used 3 hours ago.
		const lastUsedAt = new Date(Date.now() - 3 * 3600_000 - 60_000).toISOString();
		return {
			file: {
				...file,
				active: file.accounts[0]!.id,
				accounts: file.accounts.map((a) => (a.label === 'work' ? {...a, lastUsedAt} : a)),
			},
			result: undefined,
		};
	});
	await updateAuthFile(home, 'openai', (empty) => {
		let file = addAccount(
			empty,
			{
				kind: 'oauth',
				label: 'personal',
				plan: 'plus',
				email: 'me@example.com',
				clientId: 'oaiapp_seed',
				planEnabled: true,
				tokens: {access: 'canary-access', refresh: 'canary-refresh', expiresAt: Date.now() + 2 * 86_400_000},
			},
			deps,
		).file;
		file = addAccount(
			file,
			{
				kind: 'oauth',
				label: 'old',
				tokens: {access: 'canary-old', refresh: 'canary-old-r', expiresAt: Date.now() - 1000},
				needsLogin: 'refresh token expired',
			},
			deps,
		).file;
		return {file: {...file, active: file.accounts[0]!.id}, result: undefined};
	});
	// The one-time ChatGPT plan notice counts as seen unless a test asks otherwise.
	await updatePreferences(home, (prefs) => ({
		...prefs,
		activeProvider: 'openai',
		onboardingCompletedAt: new Date().toISOString(),
		chatgptPlanNoticeAt: new Date().toISOString(),
		...preferences,
	}));
}

export async function labels(home: string, provider: 'openai' | 'claude'): Promise<string[]> {
	return (await readAuthFile(home, provider)).accounts.map((a) => a.label);
}

export async function activeLabel(home: string, provider: 'openai' | 'claude'): Promise<string | undefined> {
	const file = await readAuthFile(home, provider);
	return file.accounts.find((a) => a.id === file.active)?.label;
}

export {readPreferences};
