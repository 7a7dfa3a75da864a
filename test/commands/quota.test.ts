// `tui quota` as built (node dist/cli.cjs) in temp homes seeded with a ledger, header snapshots and a budget.
// Run `npm run build` first.
import {spawn} from 'node:child_process';
import {readdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp-home.js';
import {ledgerPath, recordRateLimitHeaders, usageDir} from '../../source/store/usage-ledger.js';
import {spawnTui} from '../helpers/pty.js';
import {until, waitForText} from '../helpers/wait.js';
import {clockEnv} from '../helpers/clock-env.js';
import {runCli} from '../helpers/run-cli.js';
import {ENV, seedHome} from '../ui/quota-fixture.js';

const CLI = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('tui quota --json', () => {
	it('prints stable fields with ISO times, sources, levels, spend and alerts', async () => {
		const now = Date.now();
		const home = await seedHome(now);
		const result = await runCli(['--home', home, 'quota', '--json'], {env: ENV});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const doc = JSON.parse(result.stdout);
		expect(doc.version).toBe(1);
		expect(doc.generatedAt).toMatch(ISO);
		expect(doc.thresholdPercent).toBe(95);
		expect(doc.selection).toMatchObject({ok: true, provider: 'claude', account: 'env'});
		const openai = doc.providers.find((p: {provider: string}) => p.provider === 'openai');
		const account = openai.accounts[0];
		expect(account).toMatchObject({
			id: 'env',
			label: 'OPENAI_API_KEY',
			kind: 'api-key',
			origin: 'OPENAI_API_KEY',
			active: true,
			status: 'fresh',
			error: null,
			windows: [],
			chatgpt: null,
		});
		expect(account.rateLimits.requests).toEqual({limit: 500, remaining: 499, resetsAt: null});
		const team = doc.providers
			.find((p: {provider: string}) => p.provider === 'claude')
			.accounts.find((a: {id: string}) => a.id === 'acc_team');
		expect(team.windows).toEqual([
			expect.objectContaining({
				name: '5h',
				usedPercent: 85,
				windowSeconds: 18_000,
				source: 'headers',
				stale: false,
				level: 'warning',
				resetsAt: expect.stringMatching(ISO),
				observedAt: new Date(now - 12_000).toISOString(),
			}),
			expect.objectContaining({name: 'weekly', usedPercent: 100, level: 'exhausted'}),
		]);
		expect(team.windows[0].ageSeconds).toBeGreaterThanOrEqual(12);
		// The ChatGPT sign-in: no figures, the plan state and the last limit hit.
		expect(openai.accounts[1]).toMatchObject({
			id: 'acc_plan',
			kind: 'oauth',
			plan: 'plus',
			status: 'plan',
			windows: [],
			chatgpt: {
				planEnabled: true,
				plan: 'plus',
				eligible: true,
				limited: true,
				lastLimitAt: new Date(now - 12 * 60_000).toISOString(),
				manageUsageUrl: 'https://chatgpt.com/settings/usage',
				terms: expect.arrayContaining(['Plus: a 5-hour limit shared by every app']),
			},
		});
		expect(account.spend).toMatchObject({
			costUsd: 1,
			inputTokens: 400_000,
			outputTokens: 50_000,
			calls: 1,
			maxCostPerDay: 1.2,
			percent: 83.33,
			level: 'warning',
		});
		expect(
			doc.alerts.map((a: {kind: string; name: string; level: string; threshold: number}) => [
				a.kind,
				a.name,
				a.level,
				a.threshold,
			]),
		).toEqual([
			['budget', 'daily spend', 'warning', 80],
			['window', '5h', 'warning', 80],
			['window', 'weekly', 'exhausted', 100],
		]);
		// No secret in the output.
		expect(result.stdout).not.toContain('canary');
	});

	it('a corrupt ledger becomes a one-line note, the file is moved aside, and the rest still shows', async () => {
		const home = await seedHome(Date.now());
		await writeFile(ledgerPath(home), 'garbage', {mode: 0o600});
		const result = await runCli(['--home', home, 'quota', '--json'], {env: ENV});
		expect(result.code).toBe(0);
		const doc = JSON.parse(result.stdout);
		expect(doc.notes).toHaveLength(1);
		expect(doc.notes[0]).toMatch(
			/ledger\.json \(usage ledger\) is corrupt \(not valid JSON\); moved it to .*ledger\.json\.corrupt-/,
		);
		expect((await readdir(usageDir(home))).some((name) => name.startsWith('ledger.json.corrupt-'))).toBe(true);
		expect(doc.providers.find((p: {provider: string}) => p.provider === 'claude').accounts[0].windows).toHaveLength(2);
	});
});

describe('tui quota --line', () => {
	it('prints one line, selected provider first, without colour when stdout is not a TTY', async () => {
		const home = await seedHome(Date.now());
		const result = await runCli(['--home', home, 'quota', '--line'], {env: {...ENV, FORCE_COLOR: '1', NO_COLOR: ''}});
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('claude 43% 5h · 71% wk │ openai 0% req\n');
	});

	it('with no account at all says how to add one', async () => {
		const home = await seedHome(Date.now());
		const result = await runCli(['--home', path.join(home, 'empty'), 'quota', '--line']);
		expect(result.stdout).toBe('no accounts: run tui auth login\n');
	});

	it('rejects --json with --line, and a bad interval, as usage errors (exit 2)', async () => {
		const both = await runCli(['quota', '--json', '--line']);
		expect(both.code).toBe(2);
		expect(both.stderr).toBe('tui: use --json or --line, not both\n');
		const bad = await runCli(['quota', '--watch', '--interval', '0']);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/^tui: --interval must be a number of seconds/);
	});
});

describe('tui quota without a terminal', () => {
	// A frozen clock (TUI_NOW) in UTC: 23:30 puts the 2 h 14 m reset on the next day, 00:30 on the same day.
	it.each([
		['2026-12-02T23:30:00.000Z', '(01:44 on 3 Dec)'],
		['2026-12-03T00:30:00.000Z', '(02:44)'],
	])('prints the plain-text screen once instead of hanging (clock at %s)', async (at, reset) => {
		const now = Date.parse(at);
		const home = await seedHome(now);
		const result = await runCli(['--home', home, 'quota'], {env: {...ENV, TUI_NOW: at, TZ: 'UTC'}});
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('█████████████████░░░ 85% used  ! high');
		expect(result.stdout).toContain(`resets in 2 h 14 m ${reset} · from headers 12 s ago`);
		expect(result.stdout).toContain('selection: using Claude / ANTHROPIC_API_KEY: preferred, usable');
		// The ChatGPT sign-in, with a plain link (no terminal, no escapes).
		expect(result.stdout).toContain('ChatGPT plan usage: on (plus)');
		expect(result.stdout).toContain('Plus: a 5-hour limit shared by every app');
		expect(result.stdout).toContain('Manage usage: https://chatgpt.com/settings/usage');
		expect(result.stdout).not.toContain('\u001B');
	});

	it('--watch prints a fresh block each interval until SIGINT, then exits 130 (Ctrl+C)', async () => {
		const home = await seedHome(Date.now());
		const child = spawn(process.execPath, [CLI, '--home', home, 'quota', '--watch', '--interval', '1'], {
			env: {PATH: process.env.PATH ?? '', HOME: '/nonexistent-home', NO_COLOR: '1', ...clockEnv(), ...ENV},
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		child.stdin.end();
		let stdout = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
		const blocks = () => stdout.match(/^— \d{4}-\d\d-\d\dT[\d:.]+Z —$/gm) ?? [];
		await until(() => blocks().length >= 2, 'two watch blocks', 15_000);
		expect(stdout.split('85% used').length - 1).toBeGreaterThanOrEqual(2);
		child.kill('SIGINT');
		expect(await exited).toBe(130);
	}, 30_000);
});

describe('tui quota --json --watch', () => {
	it('prints one JSON document per line each interval (NDJSON) until SIGINT', async () => {
		const home = await seedHome(Date.now());
		const child = spawn(process.execPath, [CLI, '--home', home, 'quota', '--json', '--watch', '--interval', '1'], {
			env: {PATH: process.env.PATH ?? '', HOME: '/nonexistent-home', ...clockEnv(), ...ENV},
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		child.stdin.end();
		let stdout = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
		const lines = () => stdout.split('\n').filter(Boolean);
		await until(() => lines().length >= 2, 'two NDJSON lines', 15_000);
		child.kill('SIGINT');
		expect(await exited).toBe(130);
		const docs = lines().map((line) => JSON.parse(line) as {version: number; generatedAt: string});
		expect(docs.length).toBeGreaterThanOrEqual(2);
		expect(docs.every((d) => d.version === 1)).toBe(true);
		expect(Date.parse(docs[1]!.generatedAt) - Date.parse(docs[0]!.generatedAt)).toBeGreaterThanOrEqual(900);
	}, 30_000);
});

describe('tui quota in a terminal', () => {
	it('renders the screen, refreshes on r, and quits on q with exit 0', async () => {
		const home = await seedHome(Date.now());
		const session = spawnTui(['--home', home, 'quota'], {env: {...ENV, NO_COLOR: '1'}, cols: 80});
		try {
			await waitForText(session, 'r refresh · q quit');
			const screen = await waitForText(session, '85% used');
			expect(screen).toContain('! high');
			expect(screen).toContain('✖ limit reached');
			expect(screen).toMatch(/as of \d\d:\d\d:\d\d/);
			// A host reports new headers; r shows them.
			await recordRateLimitHeaders(
				home,
				'claude',
				'env',
				{'anthropic-ratelimit-unified-5h-utilization': '0.44'},
				Date.now(),
			);
			expect(session.screen()).not.toContain('44% used');
			session.write('r');
			await waitForText(session, '44% used');
			session.write('q');
			expect((await session.exited).exitCode).toBe(0);
			expect(session.output()).not.toContain('canary');
		} finally {
			session.kill();
		}
	}, 30_000);
});

describe('the status-bar forms stay light', () => {
	// Ink cannot start without compiling yoga's WebAssembly, so a process that compiled none never loaded ink.
	const SPY = `import {appendFileSync} from 'node:fs';
const seen = () => appendFileSync(process.env.TUI_TEST_WASM_SPY, 'wasm\\n');
WebAssembly.Module = new Proxy(WebAssembly.Module, {construct(target, args, newTarget) { seen(); return Reflect.construct(target, args, newTarget); }});
for (const name of ['compile', 'instantiate']) { const real = WebAssembly[name]; WebAssembly[name] = (...args) => { seen(); return real.apply(WebAssembly, args); }; }
`;
	const spy = async () => {
		const dir = await tempDir('tui-wasm-spy-');
		await writeFile(path.join(dir, 'spy.mjs'), SPY);
		const log = path.join(dir, 'log');
		await writeFile(log, '');
		return {
			env: {NODE_OPTIONS: `--import=${pathToFileURL(path.join(dir, 'spy.mjs')).href}`, TUI_TEST_WASM_SPY: log},
			compiled: async () => (await readFile(log, 'utf8')).length > 0,
		};
	};

	it('--json and --line load no ink or react: no WebAssembly is compiled', async () => {
		const home = await seedHome(Date.now());
		for (const form of ['--json', '--line']) {
			const {env, compiled} = await spy();
			const result = await runCli(['--home', home, 'quota', form], {env: {...ENV, ...env}});
			expect(result.code).toBe(0);
			expect(await compiled()).toBe(false);
		}
		// The check can see ink when it is there: the quota screen compiles yoga.
		const {env, compiled} = await spy();
		const session = spawnTui(['--home', home, 'quota'], {env: {...ENV, NO_COLOR: '1', ...env}, cols: 80});
		try {
			await waitForText(session, 'r refresh · q quit');
			expect(await compiled()).toBe(true);
		} finally {
			session.kill();
		}
	}, 30_000);
});
