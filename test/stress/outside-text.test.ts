// Outside text (a provider's plan and email, another tool's status, what an older or newer tui left in a file)
// never reaches the terminal raw, and the processes tui starts get no secret. Against the built CLI.
import {spawn} from 'node:child_process';
import {chmod, mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp-home.js';
import {until} from '../helpers/wait.js';
import {openBrowserSafely} from '../../source/oauth/browser.js';
import {runCli} from '../helpers/run-cli.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {useSandbox} from '../helpers/sandbox.js';

const CLI = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));
// Sets the window title, clears the screen, rings the bell, reverses the text, and an 8-bit CSI.
const PAYLOAD = '\u001B]0;pwned\u0007\u001B[2J\u001B[31m\u0007\u202E\u009B31m';
const FORBIDDEN = /[\u001B\u0007\u009B\u202A-\u202E\u2066-\u2069]/;
// The payload's text, seen anywhere but in the echo of an argument that carried it (quoted with JSON escapes).
const PAYLOAD_TEXT = /pwned/;

let root: string;
beforeAll(async () => {
	root = await tempDir('tui-stress-outside-');
});

/** A `claude` on PATH that answers with the payload in its status, and records each call's environment names. */
async function fakeClaude(dir: string): Promise<{env: Record<string, string>; envNames: () => Promise<string[][]>}> {
	const bin = path.join(dir, 'bin');
	await mkdir(bin, {recursive: true});
	const envLog = path.join(dir, 'claude-env.log');
	const status = JSON.stringify({
		loggedIn: true,
		authMethod: 'claude.ai',
		email: `me${PAYLOAD}@example.com`,
		subscriptionType: `max${PAYLOAD}`,
	});
	await writeFile(
		path.join(bin, 'claude'),
		`#!/usr/bin/env node
const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(envLog)}, JSON.stringify(Object.keys(process.env)) + '\\n');
const args = process.argv.slice(2).join(' ');
if (args === '--version') { console.log('2.1.90 (Claude Code)'); process.exit(0); }
if (args === 'auth login --help') { console.log('  --claudeai  subscription'); process.exit(0); }
if (args.startsWith('auth status')) { console.log('Warning: ${PAYLOAD.replace(/\\/g, '\\\\')}'); console.log(${JSON.stringify(status)}); process.exit(0); }
process.exit(3);
`,
	);
	await chmod(path.join(bin, 'claude'), 0o755);
	const envNames = async () =>
		(await readFile(envLog, 'utf8').catch(() => ''))
			.split('\n')
			.filter(Boolean)
			.map((line) => JSON.parse(line) as string[]);
	return {env: {PATH: `${bin}:${process.env.PATH}`}, envNames};
}

describe('escape payloads from outside', () => {
	const sandbox = useSandbox({planType: `plus${PAYLOAD}`});

	it('0 ESC, BEL, C1 or bidi bytes from outside text in the output of any command', async () => {
		const sb = sandbox();
		const home = path.join(root, 'escapes');
		await mkdir(path.join(home, 'auth'), {recursive: true, mode: 0o700});
		const claude = await fakeClaude(home);
		const env = {...sb.env, ...claude.env};

		// A ChatGPT sign-in through the sandbox: the plan (id_token) and the email (typed at the login) carry the payload.
		const child = spawn(
			process.execPath,
			[CLI, '--home', home, 'auth', 'login', '--provider', 'openai', '--method', 'browser', '--no-browser'],
			{
				env: {PATH: env.PATH!, HOME: '/nonexistent-home', COLUMNS: '100', NO_COLOR: '1', ...env},
				stdio: ['pipe', 'pipe', 'pipe'],
			},
		);
		let out = '';
		child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
		const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
		const urlSeen = new Promise<string>((resolve) => {
			const look = () => {
				const url = /https?:\/\/\S+\/api\/accounts\/authorize\S+/.exec(out)?.[0];
				if (url) resolve(url);
				else child.stdout.once('data', look);
			};
			look();
		});
		// A login that ends before printing its URL fails here at once instead of waiting out the timeout.
		const url = await Promise.race([
			urlSeen,
			exited.then((code) => Promise.reject(new Error(`auth login exited ${code} before its URL: ${out}`))),
		]);
		await completeSandboxLoginWithoutBrowser(url, {email: `user${PAYLOAD}@sandbox.test`});
		expect(await exited).toBe(0);
		const outputs: Array<{where: string; text: string; echoes?: boolean}> = [
			{where: 'auth login (browser)', text: out},
		];

		// A Claude Code login whose status carries the payload in plan, email and a warning line.
		const delegated = await runCli(
			['--home', home, 'auth', 'login', '--provider', 'claude', '--method', 'claude-code', '--yes'],
			{env},
		);
		expect(delegated.code).toBe(0);
		outputs.push({where: 'auth login (claude-code)', text: delegated.stdout + delegated.stderr});

		// What an older tui might have stored raw, and what a newer one might add: cleaned on the way in and out.
		const openaiFile = path.join(home, 'auth', 'openai.json');
		const stored = JSON.parse(await readFile(openaiFile, 'utf8'));
		stored.accounts.push(
			{
				id: `legacy${PAYLOAD}`,
				label: 'legacy',
				kind: 'oauth',
				createdAt: '2026-01-01T00:00:00.000Z',
				tokens: {access: 'at-legacy', expiresAt: 0},
				plan: `pro${PAYLOAD}`,
				email: `old${PAYLOAD}@x.test`,
				accountId: `acc${PAYLOAD}`,
				needsLogin: `invalid_grant${PAYLOAD}`,
			},
			{id: `future${PAYLOAD}`, label: 'future', kind: `passkey${PAYLOAD}`, createdAt: '2026-01-01T00:00:00.000Z'},
			{
				id: 'broken',
				label: `bad${PAYLOAD}`,
				kind: 'api-key',
				key: 'sk-test-broken-000000',
				createdAt: '2026-01-01T00:00:00.000Z',
			},
		);
		await writeFile(openaiFile, JSON.stringify(stored), {mode: 0o600});

		const runs: string[][] = [
			['auth', 'status'],
			['auth', 'status', '--json'],
			['auth', 'switch'],
			['auth', 'switch', 'openai/legacy'],
			['auth', 'switch', 'claude'],
			['auth', 'switch', `openai/x${PAYLOAD}`],
			['auth', 'logout', `claude/${PAYLOAD}`],
			['quota'],
			['quota', '--line'],
			['quota', '--json'],
			['auth', 'fallback'],
			['auth', 'env', '--provider', 'claude'],
			['auth', 'token', 'openai'],
			[],
			['recommend', '.'],
		];
		for (const args of runs) {
			const result = await runCli(['--home', home, ...args], {env, timeoutMs: 60_000});
			outputs.push({
				where: args.join(' ') || 'tui',
				text: result.stdout + result.stderr,
				echoes: args.some((a) => a.includes(PAYLOAD)),
			});
		}
		const bad = (o: {text: string; echoes?: boolean}) =>
			FORBIDDEN.test(o.text) || (!o.echoes && PAYLOAD_TEXT.test(o.text));
		const dirty = outputs
			.filter(bad)
			.map(
				(o) =>
					`${o.where}: ${JSON.stringify(o.text.slice(Math.max(0, o.text.search(FORBIDDEN) - 80), o.text.search(FORBIDDEN) + 40))}`,
			);
		const stored2 = await readFile(path.join(home, 'auth', 'claude.json'), 'utf8');
		const bytes = outputs.reduce((n, o) => n + o.text.length, 0);
		console.log(
			`escape payloads: ${dirty.length} outputs with ESC/BEL/C1/bidi out of ${outputs.length} (${bytes} characters scanned; payload in plan, email, status line, ids, kind, label, needsLogin)`,
		);
		expect(dirty).toEqual([]);
		// Stored clean as well: the delegated account's plan and email.
		expect(stored2).not.toMatch(/\\u001b|\\u0007|\u202E|pwned/i);
	});
});

describe('the environment of every process tui starts', () => {
	it('the browser opener and its children, and every `claude` call: no API key, token or TUI_* variable', async () => {
		const dir = path.join(root, 'children');
		await mkdir(dir, {recursive: true});
		// A stand-in xdg-open that records its environment and that of a child it starts (as a browser would).
		const bin = path.join(dir, 'bin');
		await mkdir(bin);
		const log = path.join(dir, 'opener-env.log');
		await writeFile(
			path.join(bin, 'xdg-open'),
			`#!/bin/sh\nenv > ${JSON.stringify(`${log}.opener`)}\nsh -c 'env > ${JSON.stringify(`${log}.child`)}'\n`,
		);
		await chmod(path.join(bin, 'xdg-open'), 0o755);
		const secrets = {
			OPENAI_API_KEY: 'sk-test-env-canary-1',
			ANTHROPIC_API_KEY: 'sk-ant-test-env-canary-2',
			CLAUDE_API_KEY: 'sk-ant-test-env-canary-3',
			TUI_PASSPHRASE: 'tui-env-canary-4',
			TUI_HOME: '/tmp/tui-home-env-canary-6',
			GITHUB_TOKEN: 'gh-env-canary-5',
		};
		const opened = await openBrowserSafely('https://auth.openai.com/oauth/authorize?state=x', {
			allowedHosts: ['auth.openai.com'],
			env: {...process.env, ...secrets, PATH: `${bin}:${process.env.PATH}`, DISPLAY: ':0'},
		});
		expect(opened).toBe(true);
		const written = (file: string) =>
			until(
				async () => {
					const text = await readFile(file, 'utf8').catch(() => '');
					return text.includes('PATH=') && text;
				},
				`${file} to be written`,
				5000,
			);
		const environments: Array<{who: string; names: string[]; text: string}> = [];
		for (const who of ['opener', 'child']) {
			const text = await written(`${log}.${who}`);
			environments.push({who: `browser ${who}`, names: text.split('\n').map((l) => l.split('=')[0]!), text});
		}
		// Every `claude` call of a Claude Code login.
		const home = path.join(dir, 'home');
		const claude = await fakeClaude(dir);
		const result = await runCli(
			['--home', home, 'auth', 'login', '--provider', 'claude', '--method', 'claude-code', '--yes'],
			{env: {...claude.env, ...secrets}},
		);
		expect(result.code).toBe(0);
		for (const [n, names] of (await claude.envNames()).entries())
			environments.push({who: `claude call ${n + 1}`, names, text: ''});
		const leaks = environments.flatMap((e) => [
			...e.names.filter((name) => name in secrets || /_API_KEY$|^TUI_/.test(name)).map((name) => `${e.who}: ${name}`),
			...Object.values(secrets)
				.filter((value) => e.text.includes(value))
				.map((value) => `${e.who}: value ${value.slice(0, 12)}…`),
		]);
		console.log(
			`child environments: ${environments.length} processes checked (browser opener, its child, ${environments.length - 2} claude calls), ${leaks.length} secrets found`,
		);
		expect(environments.length).toBeGreaterThanOrEqual(4);
		expect(leaks).toEqual([]);
	});
});
