// Homes with stored accounts, written the way the store writes them (0700 folders, 0600 files).
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {spawnSync} from 'node:child_process';
import {CLI, tempHome} from './lib.mjs';

/** A home whose active OpenAI account is an OAuth login expiring `expiresInMs` from now. */
export function homeWithOpenAiLogin({
	expiresInMs = 3_600_000,
	access = 'bench-access-token',
	refresh = 'bench-refresh-token',
} = {}) {
	const home = tempHome();
	mkdirSync(path.join(home, 'auth'), {recursive: true, mode: 0o700});
	const file = {
		version: 1,
		active: 'acct-bench',
		accounts: [
			{
				id: 'acct-bench',
				label: 'bench',
				createdAt: new Date().toISOString(),
				kind: 'oauth',
				tokens: {access, refresh, expiresAt: Date.now() + expiresInMs},
				plan: 'plus',
				email: 'bench@example.test',
				clientId: 'oaiapp_bench',
				planEnabled: true,
			},
		],
	};
	writeFileSync(path.join(home, 'auth', 'openai.json'), `${JSON.stringify(file, null, '\t')}\n`, {mode: 0o600});
	return home;
}

/**
 * Writes `home`'s config.json through tui itself (`auth switch`, then `auth fallback --off`), so it holds every
 * preference as tui stores them, with `provider` active.
 */
export function writePreferences(home, provider) {
	for (const args of [
		['auth', 'switch', provider],
		['auth', 'fallback', '--off'],
	]) {
		const result = spawnSync(process.execPath, [CLI, '--home', home, ...args], {encoding: 'utf8'});
		if (result.status !== 0) throw new Error(`tui ${args.join(' ')} failed: ${result.stderr}`);
	}
}

/** A home as a ChatGPT Plus user's: the OpenAI login, active, and the config.json tui writes. */
export function onboardedHome() {
	const home = homeWithOpenAiLogin();
	writePreferences(home, 'openai');
	return home;
}
