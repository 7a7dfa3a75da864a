import {execFile} from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {build} from 'esbuild';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp-home.js';
import {TuiError, UsageError} from '../../source/core/errors.js';
import {
	dayKey,
	ledgerPath,
	rateLimitsPath,
	readLedger,
	recordRateLimitHeaders,
	recordUsage,
	usageDir,
} from '../../source/store/usage-ledger.js';

const run = promisify(execFile);
const temps: string[] = [];
async function tempHome(): Promise<string> {
	const dir = await tempDir('tui-ledger-');
	temps.push(dir);
	return dir;
}
afterAll(async () => {
	await Promise.all(temps.map((dir) => fs.rm(dir, {recursive: true, force: true})));
});

const mode = async (file: string) => (await fs.stat(file)).mode & 0o777;
const AT = new Date(2026, 10, 23, 12, 0, 0).getTime();

describe('recordUsage', () => {
	it('adds tokens and estimated cost per account per day, in a private folder', async () => {
		const home = await tempHome();
		const first = await recordUsage(home, {
			provider: 'claude',
			account: 'acc1',
			model: 'claude-sonnet-4-5',
			inputTokens: 1_000_000,
			outputTokens: 100_000,
			at: AT,
		});
		expect(first.costUsd).toBeCloseTo(3 + 1.5, 6);
		await recordUsage(home, {
			provider: 'claude',
			account: 'acc1',
			model: 'claude-sonnet-4-5-20250929',
			inputTokens: 500,
			outputTokens: 0,
			at: AT + 1000,
		});
		await recordUsage(home, {
			provider: 'claude',
			account: 'acc1',
			model: 'claude-sonnet-4-5',
			inputTokens: 7,
			outputTokens: 0,
			at: AT + 86_400_000,
		});
		await recordUsage(home, {
			provider: 'openai',
			account: 'env',
			model: 'some-future-model',
			inputTokens: 10,
			outputTokens: 20,
			at: AT,
		});
		const {ledger} = await readLedger(home);
		const today = ledger.days[dayKey(AT)]!;
		expect(today['claude/acc1']).toMatchObject({inputTokens: 1_000_500, outputTokens: 100_000, calls: 2});
		expect(today['claude/acc1']!.costUsd).toBeCloseTo(4.5 + 0.0015, 6);
		// Unpriced models keep their tokens and are counted, with no cost.
		expect(today['openai/env']).toMatchObject({
			inputTokens: 10,
			outputTokens: 20,
			costUsd: 0,
			calls: 1,
			unpricedCalls: 1,
		});
		expect(ledger.days[dayKey(AT + 86_400_000)]!['claude/acc1']!.inputTokens).toBe(7);
		expect(await mode(usageDir(home))).toBe(0o700);
		expect(await mode(ledgerPath(home))).toBe(0o600);
	});

	it('rejects malformed input with a UsageError and writes nothing', async () => {
		const home = await tempHome();
		const base = {provider: 'claude', account: 'a', model: 'claude-sonnet-4-5', inputTokens: 1, outputTokens: 1};
		await expect(recordUsage(home, {...base, inputTokens: -1})).rejects.toBeInstanceOf(UsageError);
		await expect(recordUsage(home, {...base, outputTokens: 1.5})).rejects.toBeInstanceOf(UsageError);
		await expect(recordUsage(home, {...base, provider: 'gemini'})).rejects.toThrow(/unknown provider/);
		await expect(recordUsage(home, {...base, account: '../x'})).rejects.toBeInstanceOf(UsageError);
		await expect(recordUsage(home, {...base, model: 'gpt-5'})).rejects.toThrow(/not a claude model/);
		await expect(fs.stat(ledgerPath(home))).rejects.toThrow();
	});

	it('quarantines a ledger that does not parse: one-line error, 0600 copy, and a fresh start after', async () => {
		const home = await tempHome();
		await recordUsage(home, {
			provider: 'openai',
			account: 'a',
			model: 'gpt-5',
			inputTokens: 1,
			outputTokens: 1,
			at: AT,
		});
		await fs.writeFile(ledgerPath(home), '{"version":1,"days":', {mode: 0o644});
		const error = await recordUsage(home, {
			provider: 'openai',
			account: 'a',
			model: 'gpt-5',
			inputTokens: 1,
			outputTokens: 1,
			at: AT,
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TuiError);
		const message = (error as Error).message;
		expect(message).not.toContain('\n');
		expect(message).toMatch(/corrupt \(not valid JSON\); moved it to .*ledger\.json\.corrupt-/);
		const names = await fs.readdir(usageDir(home));
		const copy = names.find((n) => n.startsWith('ledger.json.corrupt-'));
		expect(copy).toBeDefined();
		expect(await mode(path.join(usageDir(home), copy!))).toBe(0o600);
		expect(await fs.readFile(path.join(usageDir(home), copy!), 'utf8')).toBe('{"version":1,"days":');
		await recordUsage(home, {
			provider: 'openai',
			account: 'a',
			model: 'gpt-5',
			inputTokens: 3,
			outputTokens: 0,
			at: AT,
		});
		expect((await readLedger(home)).ledger.days[dayKey(AT)]!['openai/a']!.inputTokens).toBe(3);
	});

	it('loses no record when 50 processes call recordUsage at once', async () => {
		const home = await tempHome();
		const bundle = path.join(home, 'child.mjs');
		// Bundle the real module once so that each child is a plain, fast `node` process.
		const entry = path.join(home, 'child-entry.ts');
		await fs.writeFile(
			entry,
			`import {recordUsage} from ${JSON.stringify(path.resolve('source/store/usage-ledger.ts'))};
const [home, n] = process.argv.slice(2);
await recordUsage(home, {provider: 'openai', account: 'acc' + (Number(n) % 3), model: 'gpt-5', inputTokens: 1000 + Number(n), outputTokens: 1, at: ${AT}});
`,
		);
		await build({
			entryPoints: [entry],
			outfile: bundle,
			bundle: true,
			platform: 'node',
			format: 'esm',
			target: 'node20',
			logLevel: 'error',
			banner: {js: "import {createRequire} from 'node:module';const require = createRequire(import.meta.url);"},
		});
		const children = Array.from({length: 50}, (_, n) => run(process.execPath, [bundle, home, String(n)]));
		const results = await Promise.allSettled(children);
		expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
		const {ledger} = await readLedger(home);
		const day = ledger.days[dayKey(AT)]!;
		const calls = ['acc0', 'acc1', 'acc2'].map((a) => day[`openai/${a}`]!.calls);
		expect(calls.reduce((a, b) => a + b, 0)).toBe(50);
		const input = ['acc0', 'acc1', 'acc2'].map((a) => day[`openai/${a}`]!.inputTokens).reduce((a, b) => a + b, 0);
		expect(input).toBe(50 * 1000 + (49 * 50) / 2);
		expect(day['openai/acc0']!.calls).toBe(17);
		// No temp file or lock folder left behind.
		expect((await fs.readdir(usageDir(home))).sort()).toEqual(['ledger.json']);
	}, 60_000);
});

describe('recordRateLimitHeaders', () => {
	it('stores the last parsed snapshot per account and never lets an older one replace a newer one', async () => {
		const home = await tempHome();
		const headers = new Headers({
			'anthropic-ratelimit-unified-5h-utilization': '0.42',
			'anthropic-ratelimit-unified-5h-reset': String(Math.round(AT / 1000) + 3600),
		});
		const stored = await recordRateLimitHeaders(home, 'claude', 'acc1', headers, AT);
		expect(stored?.windows[0]).toMatchObject({
			name: '5h',
			usedPercent: 42,
			source: 'headers',
			resetsAt: AT + 3_600_000,
		});
		await recordRateLimitHeaders(
			home,
			'claude',
			'acc1',
			{'anthropic-ratelimit-unified-5h-utilization': '0.10'},
			AT - 5000,
		);
		await recordRateLimitHeaders(
			home,
			'claude',
			'key1',
			{'anthropic-ratelimit-requests-remaining': '49', 'anthropic-ratelimit-requests-limit': '50'},
			AT,
		);
		const {rateLimits} = await readLedger(home);
		expect(rateLimits['claude/acc1']).toMatchObject({account: 'acc1', observedAt: AT, windows: [{usedPercent: 42}]});
		expect(rateLimits['claude/key1']).toMatchObject({requests: {limit: 50, remaining: 49}});
		expect(await mode(rateLimitsPath(home))).toBe(0o600);
	});

	it('stores nothing for a response without rate-limit headers, and rejects bad input', async () => {
		const home = await tempHome();
		expect(await recordRateLimitHeaders(home, 'openai', 'a', {'content-type': 'application/json'}, AT)).toBeUndefined();
		await expect(fs.stat(rateLimitsPath(home))).rejects.toThrow();
		await expect(recordRateLimitHeaders(home, 'x' as never, 'a', {}, AT)).rejects.toBeInstanceOf(UsageError);
	});
});
