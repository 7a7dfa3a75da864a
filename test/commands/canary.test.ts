// A distinctive canary key goes through every account command and every failure path we can provoke.
// It may appear only on the stdout of `tui auth token`; anywhere else (its whole, or all but the …last4 that
// status shows) is a leak. The stub echoes the key in its error bodies, as real providers partly do.
import fs from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {authFilePath} from '../../source/store/auth-file.js';
import {closedPortUrl, startProviderStub, type ProviderStub} from '../helpers/provider-stub.js';
import {runCli, type CliResult} from '../helpers/run-cli.js';

const CANARY = 'sk-CANARY-7f3a9c2e5b1d4f6a8e0c-KEY9';
const CLAUDE_CANARY = 'sk-ant-test-CANARY-41e8b0d2c6a9f3e7-KEY8';
// Everything but the last four characters: no output may hold even this.
const LEAKS = [CANARY.slice(0, -4), CLAUDE_CANARY.slice(0, -4), 'CANARY'];

let stub: ProviderStub;
let home: string;
beforeAll(async () => {
	stub = await startProviderStub({openai: {goodKeys: [CANARY]}, claude: {goodKeys: [CLAUDE_CANARY]}});
	home = await tempHome('tui-canary-');
});
afterAll(async () => {
	await stub.close();
	await fs.rm(home, {recursive: true, force: true});
});

type Run = {readonly name: string; readonly result: CliResult; readonly tokenStdout?: boolean};

it('the canary key never leaks outside `auth token` stdout', async () => {
	const runs: Run[] = [];
	const tui = async (
		name: string,
		args: string[],
		options: {input?: string; env?: Record<string, string>; tokenStdout?: boolean} = {},
	) => {
		const result = await runCli(['--home', home, ...args], {input: options.input, env: {...stub.env, ...options.env}});
		runs.push({name, result, ...(options.tokenStdout ? {tokenStdout: true} : {})});
		return result;
	};
	const offline = await closedPortUrl();
	const loginArgs = (provider: string, ...extra: string[]) => [
		'auth',
		'login',
		'--provider',
		provider,
		'--with-api-key',
		...extra,
	];

	// Failure paths first, while nothing is stored.
	stub.set('openai', {goodKeys: []});
	expect((await tui('login 401', loginArgs('openai'), {input: `${CANARY}\n`})).code).toBe(1);
	stub.set('openai', {goodKeys: [CANARY], forceStatus: 429});
	expect((await tui('login 429', loginArgs('openai'), {input: CANARY})).code).toBe(1);
	stub.set('openai', {goodKeys: [CANARY], forceStatus: 429, rateLimitCode: 'insufficient_quota'});
	expect((await tui('login 429 quota', loginArgs('openai'), {input: CANARY})).code).toBe(1);
	stub.set('openai', {goodKeys: [CANARY], forceStatus: 500});
	expect((await tui('login 500', loginArgs('openai'), {input: CANARY})).code).toBe(1);
	stub.set('claude', {goodKeys: [], badKeyStatus: 403});
	expect((await tui('login claude 403', loginArgs('claude'), {input: CLAUDE_CANARY})).code).toBe(1);
	stub.set('claude', {goodKeys: []});
	expect((await tui('login wrong provider', loginArgs('claude'), {input: CANARY})).code).toBe(1);
	expect((await tui('login offline', loginArgs('openai'), {input: CANARY, env: {OPENAI_BASE_URL: offline}})).code).toBe(
		1,
	);
	// SDK debug logging requested through the environment must not print the request.
	expect(
		(await tui('login 500 debug log', loginArgs('openai'), {input: CANARY, env: {OPENAI_LOG: 'debug', DEBUG: '*'}}))
			.code,
	).toBe(1);
	stub.set('claude', {goodKeys: []});
	expect(
		(
			await tui('login claude 401 debug log', loginArgs('claude'), {
				input: CLAUDE_CANARY,
				env: {ANTHROPIC_LOG: 'debug', DEBUG: '*'},
			})
		).code,
	).toBe(1);
	expect((await tui('login whitespace', loginArgs('openai'), {input: `${CANARY} ${CANARY}`})).code).toBe(2);
	expect((await tui('login control char', loginArgs('openai'), {input: `${CANARY}\u0007`})).code).toBe(2);
	expect((await tui('login bad label', loginArgs('openai', '--label', '/bad'), {input: CANARY})).code).toBe(2);
	expect((await tui('login no provider', ['auth', 'login', '--with-api-key'], {input: CANARY})).code).toBe(2);
	expect(
		(await tui('login bad base url', loginArgs('openai'), {input: CANARY, env: {OPENAI_BASE_URL: 'not a url'}})).code,
	).toBe(2);
	expect(await fs.stat(authFilePath(home, 'openai')).catch(() => undefined)).toBeUndefined();

	// Success paths.
	stub.set('openai', {goodKeys: [CANARY]});
	stub.set('claude', {goodKeys: [CLAUDE_CANARY]});
	expect((await tui('login ok', loginArgs('openai', '--label', 'canary'), {input: `${CANARY}\n`})).code).toBe(0);
	expect((await tui('login again', loginArgs('openai'), {input: CANARY})).code).toBe(0);
	expect(
		(await tui('login label taken', loginArgs('openai', '--label', 'canary'), {input: 'sk-other-key-000000'})).code,
	).toBe(2);
	expect(
		(await tui('login claude ok', loginArgs('claude'), {input: CLAUDE_CANARY, env: {ANTHROPIC_API_KEY: CLAUDE_CANARY}}))
			.code,
	).toBe(0);
	expect((await tui('status', ['auth', 'status'])).code).toBe(0);
	expect((await tui('status json', ['auth', 'status', '--json'])).code).toBe(0);
	expect(
		(
			await tui('status env', ['auth', 'status'], {
				env: {OPENAI_API_KEY: CANARY, CLAUDE_API_KEY: CLAUDE_CANARY, ANTHROPIC_API_KEY: CLAUDE_CANARY},
			})
		).code,
	).toBe(0);
	expect(
		(
			await tui('status env json', ['auth', 'status', '--json'], {
				env: {OPENAI_API_KEY: CANARY, CLAUDE_API_KEY: CLAUDE_CANARY},
			})
		).code,
	).toBe(0);
	// Claude Code's status line: the keys in the environment and on stdin never come back out, not even with --debug.
	const statusDocument = JSON.stringify({
		version: '2.1.90',
		session_id: CANARY,
		model: {display_name: 'Opus'},
		rate_limits: {five_hour: {used_percentage: 10, resets_at: 2e9}},
	});
	expect(
		(
			await tui('statusline', ['statusline', 'claude', '--debug'], {
				input: statusDocument,
				env: {OPENAI_API_KEY: CANARY, ANTHROPIC_API_KEY: CLAUDE_CANARY},
			})
		).code,
	).toBe(0);
	const token = await tui('token', ['auth', 'token', 'openai'], {tokenStdout: true});
	expect(token.stdout).toBe(`${CANARY}\n`);
	const envToken = await tui('token env', ['auth', 'token', 'claude'], {
		env: {CLAUDE_API_KEY: CLAUDE_CANARY},
		tokenStdout: true,
	});
	expect(envToken.stdout).toBe(`${CLAUDE_CANARY}\n`);
	expect((await tui('token unknown', ['auth', 'token', 'nope'])).code).toBe(2);
	expect((await tui('logout unknown label', ['auth', 'logout', 'openai/nope'])).code).toBe(2);
	expect((await tui('logout', ['auth', 'logout', 'openai'], {env: {OPENAI_API_KEY: CANARY}})).code).toBe(0);
	expect((await tui('token none', ['auth', 'token', 'openai'])).code).toBe(1);
	expect((await tui('logout all', ['auth', 'logout', '--all'])).code).toBe(0);

	// A corrupt auth file that holds the canary.
	await fs.writeFile(authFilePath(home, 'openai'), `{"version":1,"active":null,"accounts":[{"key":"${CANARY}"`, {
		mode: 0o600,
	});
	expect((await tui('status corrupt', ['auth', 'status', '--json'])).code).toBe(1);
	await fs.writeFile(
		authFilePath(home, 'claude'),
		`{"version":1,"active":"x","accounts":[{"id":"x","label":"k","kind":"api-key","key":"${CLAUDE_CANARY}","createdAt":"bad"}]}`,
		{mode: 0o600},
	);
	expect((await tui('token corrupt', ['auth', 'token', 'claude'])).code).toBe(1);
	await fs.writeFile(authFilePath(home, 'openai'), `{"accounts":[{"key":"${CANARY}"}]}`, {mode: 0o600});
	expect((await tui('logout corrupt', ['auth', 'logout', '--all'])).code).toBe(1);
	expect(
		(await tui('statusline corrupt', ['statusline', 'claude', '--debug'], {input: `{"rate_limits": "${CANARY}`})).code,
	).toBe(0);

	expect(runs.length).toBe(34);
	for (const run of runs) {
		const streams = run.tokenStdout
			? {stderr: run.result.stderr}
			: {stdout: run.result.stdout, stderr: run.result.stderr};
		for (const [stream, text] of Object.entries(streams)) {
			for (const leak of LEAKS) {
				if (text.includes(leak))
					throw new Error(`"${run.name}" leaked the canary on ${stream}: ${text.replaceAll(leak, '<CANARY>')}`);
			}
		}
	}
	// The failure paths were real failures with their reasons, not silent exits.
	const byName = Object.fromEntries(runs.map((r) => [r.name, r.result]));
	expect(byName['login 401']?.stderr).toMatch(/invalid key/);
	expect(byName['login wrong provider']?.stderr).toMatch(/invalid key/);
	expect(byName['login offline']?.stderr).toMatch(/offline\?/);
	expect(byName['status json']?.stdout).toContain('…KEY9');
	// 34 CLI runs in a row: generous, because the shared machine is often loaded.
}, 180_000);
