// Detection and Claude Code delegation against a fake `claude` executable on PATH (a real child process).
import {spawn} from 'node:child_process';
import {chmod, mkdir, readdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {UsageError} from '../../source/core/errors.js';
import {delegateToClaudeCode, detectExisting} from '../../source/app/services.js';
import {readAuthFile} from '../../source/store/auth-file.js';
import {OnboardingWizard} from '../../source/ui/screens/onboarding/index.js';
import {NO_USES} from '../../source/ui/screens/onboarding/state.js';
import {KEYS} from '../helpers/keys.js';
import {fakeContext, renderScreen, tempHome, testServices, unmount} from './helpers.js';
import {press, waitForFrame} from '../helpers/wait.js';

const FAKE_CLAUDE = `#!/usr/bin/env node
const fs = require('node:fs');
const state = process.env.CLAUDE_CODE_FAKE_STATE;
const args = process.argv.slice(2).join(' ');
if (args === '--version') { console.log(process.env.CLAUDE_CODE_FAKE_VERSION + ' (Claude Code)'); process.exit(0); }
if (args === 'auth login --help') { console.log('Usage: claude auth login [options]\\n  --claudeai  Claude subscription\\n  --console  Anthropic Console'); process.exit(0); }
if (args === 'auth login --claudeai') { fs.writeFileSync(state, 'in'); process.exit(0); }
if (args === 'auth status') {
	const loggedIn = fs.existsSync(state);
	console.log(JSON.stringify(loggedIn ? {loggedIn, authMethod: 'claude.ai', email: 'me@example.com', subscriptionType: 'max'} : {loggedIn}));
	process.exit(loggedIn ? 0 : 1);
}
process.exit(3);
`;

async function fakeClaude(version = '2.1.50', loggedIn = false) {
	const dir = await tempHome();
	const bin = path.join(dir, 'bin');
	await mkdir(bin);
	await writeFile(path.join(bin, 'claude'), FAKE_CLAUDE);
	await chmod(path.join(bin, 'claude'), 0o755);
	const state = path.join(dir, 'logged-in');
	if (loggedIn) await writeFile(state, 'in');
	return {
		state,
		env: {
			PATH: `${bin}${path.delimiter}${process.env.PATH}`,
			CLAUDE_CODE_FAKE_STATE: state,
			CLAUDE_CODE_FAKE_VERSION: version,
		},
	};
}

function idToken(claims: Record<string, unknown>): string {
	const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	return `${part({alg: 'none'})}.${part(claims)}.sig`;
}

describe('detect', () => {
	it('finds env keys, a Codex login with its plan, and the claude CLI with whether it has `claude auth`', async () => {
		const home = await tempHome();
		const codexHome = path.join(home, 'codex');
		await mkdir(codexHome);
		await writeFile(
			path.join(codexHome, 'auth.json'),
			JSON.stringify({tokens: {id_token: idToken({'https://api.openai.com/auth': {chatgpt_plan_type: 'plus'}})}}),
		);
		const claude = await fakeClaude('2.1.50');
		const found = await detectExisting({
			...claude.env,
			HOME: home,
			CODEX_HOME: codexHome,
			OPENAI_API_KEY: 'sk-1',
			CLAUDE_API_KEY: 'sk-ant-test-2',
		});
		expect(found.envKeys.map((k) => [k.provider, k.variable])).toEqual([
			['openai', 'OPENAI_API_KEY'],
			['claude', 'CLAUDE_API_KEY'],
		]);
		expect(found.codexLogin).toEqual({path: path.join(codexHome, 'auth.json'), plan: 'plus'});
		expect(found.claudeCli).toEqual({version: '2.1.50', supportsAuth: true});

		const old = await fakeClaude('2.0.9');
		const none = await detectExisting({...old.env, HOME: home});
		expect(none.envKeys).toEqual([]);
		expect(none.codexLogin).toBeUndefined();
		expect(none.claudeCli).toEqual({version: '2.0.9', supportsAuth: false});
		expect((await detectExisting({PATH: '/nonexistent', HOME: home})).claudeCli).toBeUndefined();
	});
});

describe('Claude Code delegation', () => {
	it('runs `claude auth login --claudeai` when needed, then records one delegated account (never twice)', async () => {
		const claude = await fakeClaude();
		const home = await tempHome();
		const ctx = fakeContext(home, claude.env);
		const signal = new AbortController().signal;
		const account = await delegateToClaudeCode(ctx, {signal, interactive: true});
		expect(account).toMatchObject({
			provider: 'claude',
			kind: 'delegated',
			label: 'claude-code',
			email: 'me@example.com',
			plan: 'max',
		});
		expect(await readFile(claude.state, 'utf8')).toBe('in');
		const again = await delegateToClaudeCode(ctx, {signal, interactive: true});
		expect(again.id).toBe(account.id);
		const file = await readAuthFile(home, 'claude');
		expect(file.accounts).toEqual([expect.objectContaining({kind: 'delegated', tool: 'claude-code'})]);
		expect(JSON.stringify(file)).not.toMatch(/token/i);
	});

	it('without a terminal and not signed in: a usage error naming the command, nothing written', async () => {
		const claude = await fakeClaude();
		const home = await tempHome();
		await expect(
			delegateToClaudeCode(fakeContext(home, claude.env), {signal: new AbortController().signal, interactive: false}),
		).rejects.toThrow(UsageError);
		await expect(
			delegateToClaudeCode(fakeContext(home, claude.env), {signal: new AbortController().signal, interactive: false}),
		).rejects.toThrow('run `claude auth login` first');
		expect(await readdir(home)).toEqual([]);
	});

	it('in the wizard: Max 20x → subscription → Claude Code → the status-line offer (y) → the fallback step, with the account stored', async () => {
		const claude = await fakeClaude('2.1.50', true);
		const home = await tempHome();
		const services = testServices(home, {
			env: claude.env,
			detected: {envKeys: [], claudeCli: {version: '2.1.50', supportsAuth: true}},
		});
		const r = await renderScreen(
			<OnboardingWizard
				initialState={{
					step: {kind: 'comparison', provider: 'claude', tier: 'max-20x', purpose: 'primary'},
					history: [{kind: 'welcome'}],
					uses: NO_USES,
					detected: {envKeys: [], claudeCli: {version: '2.1.50', supportsAuth: true}},
				}}
				onDone={() => {}}
				onExit={() => {}}
			/>,
			services,
		);
		try {
			await press(r, '1');
			let frame = await waitForFrame(r, 'How do you want to sign in?');
			expect(frame).toContain('› 1. Sign in through Claude Code');
			await press(r, KEYS.enter);
			// The exact change to Claude Code's settings.json, before consent.
			frame = await waitForFrame(r, 'y add it · n skip');
			const settings = path.join(home, '.claude', 'settings.json');
			expect(frame).toContain(`This changes ${settings} (a new file)`);
			expect(frame).toContain('"command":');
			await expect(readFile(settings, 'utf8')).rejects.toThrow();
			await press(r, 'y');
			frame = await waitForFrame(r, 'A fallback provider?');
			expect(JSON.parse(await readFile(settings, 'utf8')).statusLine).toMatchObject({
				type: 'command',
				command: expect.stringContaining('statusline claude'),
			});
			expect((await readAuthFile(home, 'claude')).accounts[0]).toMatchObject({
				kind: 'delegated',
				tool: 'claude-code',
				plan: 'max',
			});
		} finally {
			await unmount(r);
		}
	});

	it('the flag form records an existing Claude Code login (built CLI, no terminal)', async () => {
		const claude = await fakeClaude('2.1.50', true);
		const home = await tempHome();
		const result = await new Promise<{code: number | null; stdout: string; stderr: string}>((resolve) => {
			const child = spawn(
				process.execPath,
				[
					path.resolve('dist/cli.cjs'),
					'--home',
					home,
					'onboard',
					'--provider',
					'claude',
					'--tier',
					'max-5x',
					'--mode',
					'subscription',
					'--method',
					'claude-code',
				],
				{
					env: {...claude.env, HOME: home, NO_COLOR: '1'},
					stdio: ['pipe', 'pipe', 'pipe'],
				},
			);
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (c) => (stdout += c));
			child.stderr.on('data', (c) => (stderr += c));
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			child.on('close', (code) => {
				clearTimeout(timer);
				resolve({code, stdout, stderr});
			});
			child.stdin.end();
		});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Onboarded: Claude Max 5x, mode subscription, account "claude-code" (delegated)');
		const config = JSON.parse(await readFile(path.join(home, 'config.json'), 'utf8'));
		expect(config.providers.claude).toEqual({tier: 'claude-max-5x', mode: 'subscription'});
	});
});
