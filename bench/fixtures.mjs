// Homes with stored accounts, written the way the store writes them (0700 folders, 0600 files).
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {tempHome} from './lib.mjs';

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

/** A home as the wizard leaves it for a ChatGPT Plus user: the OpenAI login and config.json with its choices. */
export function onboardedHome() {
	const home = homeWithOpenAiLogin();
	const config = {
		activeProvider: 'openai',
		providers: {openai: {tier: 'chatgpt-plus', mode: 'subscription'}},
		fallback: {
			enabled: false,
			order: ['openai', 'claude'],
			triggers: ['quota', 'rate-limit', 'auth-error', 'outage'],
			thresholdPercent: 95,
		},
		routing: {smallLines: 500, mediumLines: 2000, tokensPerLine: 4},
		budgets: {},
		onboardingCompletedAt: new Date().toISOString(),
		storage: 'file',
	};
	writeFileSync(path.join(home, 'config.json'), `${JSON.stringify(config, null, '\t')}\n`, {mode: 0o600});
	return home;
}
