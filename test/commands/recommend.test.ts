// Runs the built CLI (npm run build first) on a real fixture tree in a temp folder.
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp-home.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(root, 'dist', 'cli.cjs');

type Result = {code: number; stdout: string; stderr: string};

function run(home: string, args: string[], cwd: string): Promise<Result> {
	return new Promise((resolve) => {
		execFile(
			process.execPath,
			[cli, '--home', home, 'recommend', ...args],
			{cwd, env: {...process.env, COLUMNS: '100', TUI_HOME: ''}, timeout: 20_000},
			(error, stdout, stderr) => {
				resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
			},
		);
	});
}

/** `n` lines of code, with a comment line and a blank line that must not count. */
const tsLines = (n: number) =>
	`// header comment\n\n${Array.from({length: n}, (_, i) => `export const v${i} = "// ${i}";`).join('\n')}\n`;
const pyLines = (n: number) =>
	`"""docstring\nmore"""\n# comment\n${Array.from({length: n}, (_, i) => `v${i} = '# ${i}'`).join('\n')}\n`;
const goLines = (n: number) =>
	`/* block\n comment */\n${Array.from({length: n}, (_, i) => (i === 0 ? 'package main' : `var v${i} = ${i}`)).join('\n')}\n`;

let tmp: string;
let home: string;
let proj: string;

async function write(file: string, content: string | Buffer): Promise<void> {
	await fs.mkdir(path.dirname(file), {recursive: true});
	await fs.writeFile(file, content);
}

async function writeConfig(config: object): Promise<void> {
	await fs.mkdir(home, {recursive: true, mode: 0o700});
	await fs.writeFile(path.join(home, 'config.json'), JSON.stringify(config), {mode: 0o600});
}

beforeAll(async () => {
	if (!existsSync(cli)) throw new Error('dist/cli.cjs is missing: run `npm run build` first');
	tmp = await tempDir('tui-recommend-');
	home = path.join(tmp, 'home');
	proj = path.join(tmp, 'proj');
	await fs.mkdir(path.join(proj, '.git'), {recursive: true});
	await write(path.join(proj, '.gitignore'), 'ignored/\n*.gen.ts\n');
	await write(path.join(proj, 'src', 'small.ts'), tsLines(499));
	await write(path.join(proj, 'src', 'medium.py'), pyLines(500));
	await write(path.join(proj, 'src', 'edge.ts'), tsLines(1999));
	await write(path.join(proj, 'src', 'large.go'), goLines(2000));
	await write(path.join(proj, 'src', 'skip.gen.ts'), tsLines(5));
	await write(path.join(proj, 'ignored', 'x.ts'), tsLines(5));
	await write(path.join(proj, 'src', 'nested', '.gitignore'), 'local.rs\n');
	await write(path.join(proj, 'src', 'nested', 'local.rs'), 'fn a() {}\n');
	await write(path.join(proj, 'src', 'nested', 'kept.rs'), 'fn a() {}\n// c\nfn b() {}\n');
	await write(path.join(proj, 'README.md'), '# not source\n');
	await write(path.join(proj, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;\n');
	await write(path.join(proj, 'src', 'blob.ts'), Buffer.from([0x63, 0x6f, 0x00, 0x6e, 0x73, 0x74]));
	await fs.symlink('loop', path.join(proj, 'loop'));
});

afterAll(async () => {
	if (tmp) await fs.rm(tmp, {recursive: true, force: true});
});

describe('tui recommend', () => {
	it('walks a folder honouring .gitignore files, reports each module, and fails for missing and binary files', async () => {
		await writeConfig({activeProvider: 'claude', providers: {claude: {tier: 'max-5x', mode: 'auto'}}});
		const r = await run(home, ['--json', 'src', 'missing.ts', 'loop'], proj);
		expect(r.code).toBe(1);
		const body = JSON.parse(r.stdout);
		expect(body).toMatchObject({
			provider: 'claude',
			tier: 'max-5x',
			mode: 'auto',
			model: 'claude-sonnet-4-5',
			outputRatio: 0.25,
		});
		const files = Object.fromEntries(body.files.map((f: {path: string}) => [f.path, f]));
		// skip.gen.ts (root .gitignore, above the walked folder), nested/local.rs (nested .gitignore) and blob.ts (binary) are absent.
		expect(Object.keys(files).sort()).toEqual(
			[
				path.join('src', 'edge.ts'),
				path.join('src', 'large.go'),
				path.join('src', 'medium.py'),
				path.join('src', 'nested', 'kept.rs'),
				path.join('src', 'small.ts'),
			].sort(),
		);
		expect(files[path.join('src', 'small.ts')]).toMatchObject({
			lines: 499,
			category: 'small',
			estimatedTokens: 1996,
			mode: 'subscription',
			cost: {usd: 0, quotaTokens: 1996 + 499},
		});
		expect(files[path.join('src', 'medium.py')]).toMatchObject({lines: 500, category: 'medium', mode: 'subscription'});
		expect(files[path.join('src', 'edge.ts')]).toMatchObject({lines: 1999, category: 'medium', mode: 'subscription'});
		const large = files[path.join('src', 'large.go')];
		expect(large).toMatchObject({
			lines: 2000,
			category: 'large',
			estimatedTokens: 8000,
			mode: 'api',
			cost: {model: 'claude-sonnet-4-5', inputTokens: 8000, outputTokens: 2000},
		});
		expect(large.cost.usd).toBeCloseTo(0.054, 10); // 8000 × $3/M + 2000 × $15/M
		expect(large.reason).toContain('larger context');
		expect(files[path.join('src', 'nested', 'kept.rs')]).toMatchObject({lines: 2, language: 'rust'});
		expect(body.totals).toMatchObject({files: 5, lines: 499 + 500 + 1999 + 2000 + 2});
		// One stderr line per failure; the rest is still reported.
		const lines = r.stderr.trim().split('\n');
		expect(lines).toHaveLength(3);
		expect(lines).toContain('tui: missing.ts: no such file or directory');
		expect(lines).toContain('tui: loop: too many symbolic links');
		expect(lines.find((l) => l.includes('blob.ts'))).toMatch(/^tui: src\/blob\.ts: binary file/);
		expect(body.errors).toHaveLength(3);
	});

	it('from the repository root: ignored folders, non-source files and links to nowhere are left out', async () => {
		await writeConfig({});
		const r = await run(home, ['--json', '.'], proj);
		const body = JSON.parse(r.stdout);
		expect(body.files.map((f: {path: string}) => f.path).sort()).toEqual([
			'src/edge.ts',
			'src/large.go',
			'src/medium.py',
			'src/nested/kept.rs',
			'src/small.ts',
		]);
		expect(r.stderr).toBe('tui: src/blob.ts: binary file (NUL byte in the first 8 KB), skipped\n');
		expect(r.code).toBe(1);
	});

	it('prints a readable table with the reason, the cost and the assumption', async () => {
		await writeConfig({activeProvider: 'claude', providers: {claude: {mode: 'auto'}}});
		const r = await run(home, ['src/large.go', 'src/small.ts'], proj);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		const out = r.stdout.split('\n');
		expect(out[0]).toBe('Claude, mode auto (small < 500 lines, medium < 2,000, 4 tokens per line)');
		expect(out[1]).toMatch(/^src\/large\.go\s+large\s+2,000 lines\s+8,000 tokens\s+api\s+\$0\.0540$/);
		expect(out[2]).toContain('auto: 2000 lines ≥ 2000 is large, so the API for its larger context');
		expect(out[3]).toMatch(
			/^src\/small\.ts\s+small\s+499 lines\s+1,996 tokens\s+subscription\s+\$0 \(2,495 quota tokens\)$/,
		);
		expect(r.stdout).toContain(
			'API cost assumes output ≈ input / 4 tokens at claude-sonnet-4-5 list prices ($3 in / $15 out per million tokens',
		);
	});

	it('uses the routing thresholds, provider and mode from config.json', async () => {
		await writeConfig({
			activeProvider: 'openai',
			providers: {openai: {tier: 'business'}},
			routing: {smallLines: 10, mediumLines: 20, tokensPerLine: 10},
		});
		const r = await run(home, ['--json', 'src/nested/kept.rs', 'src/small.ts'], proj);
		expect(r.code).toBe(0);
		const body = JSON.parse(r.stdout);
		// ChatGPT Business cannot lend its plan to apps, so api: every module goes to the API whatever its size, priced at the OpenAI default model.
		expect(body).toMatchObject({
			provider: 'openai',
			tier: 'business',
			mode: 'api',
			model: 'gpt-5-codex',
			routing: {smallLines: 10, mediumLines: 20, tokensPerLine: 10},
		});
		expect(body.files[0]).toMatchObject({
			category: 'small',
			mode: 'api',
			estimatedTokens: 20,
			reason: 'OpenAI is set to api mode',
		});
		expect(body.files[1]).toMatchObject({category: 'large', mode: 'api', estimatedTokens: 4990});
		expect(body.files[1].cost.usd).toBeCloseTo((4990 * 1.25 + 1248 * 10) / 1e6, 10);
	});

	it('recommends from what the user has, and says what a missing credential would add', async () => {
		const {addAccount} = await import('../../source/core/accounts.js');
		const {updateAuthFile} = await import('../../source/store/auth-file.js');
		const own = await tempDir('tui-recommend-has-');
		await fs.writeFile(
			path.join(own, 'config.json'),
			JSON.stringify({activeProvider: 'openai', providers: {openai: {tier: 'pro'}}}),
			{mode: 0o600},
		);
		// Only an API key: ChatGPT Pro would recommend the plan, but there is no sign-in, so api, and the sign-in is named as missing.
		await updateAuthFile(own, 'openai', (file) => ({
			file: addAccount(
				file,
				{kind: 'api-key', label: 'key', key: 'sk-test-recommend-0001'},
				{now: Date.now(), newId: () => 'acc_key'},
			).file,
			result: undefined,
		}));
		let body = JSON.parse((await run(own, ['--json', 'src/small.ts'], proj)).stdout);
		expect(body).toMatchObject({
			mode: 'api',
			has: {apiKey: true, subscription: false},
			modeNote: 'api, not auto: there is no ChatGPT plan sign-in here',
		});
		expect(body.missing).toEqual([
			{credential: 'subscription', adds: expect.stringContaining('Continue with ChatGPT')},
		]);
		expect(body.files[0].mode).toBe('api');
		// A ChatGPT sign-in only, on Plus: the plan, and the key named as missing.
		await fs.writeFile(
			path.join(own, 'config.json'),
			JSON.stringify({activeProvider: 'openai', providers: {openai: {tier: 'plus'}}}),
			{mode: 0o600},
		);
		await updateAuthFile(own, 'openai', () => ({
			file: addAccount(
				{version: 1, active: null, accounts: []},
				{
					kind: 'oauth',
					label: 'me',
					plan: 'plus',
					clientId: 'oaiapp_test1',
					planEnabled: true,
					tokens: {access: 'plan-token-canary', refresh: 'r', expiresAt: Date.now() + 3_600_000},
				},
				{now: Date.now(), newId: () => 'acc_plan'},
			).file,
			result: undefined,
		}));
		const text = await run(own, ['src/small.ts'], proj);
		expect(text.stdout).toContain('Mode subscription, not auto: there is no API key here.');
		expect(text.stdout).toContain('Missing: an API key would add modules over 2,000 lines on the API');
		expect(text.stdout).not.toContain('plan-token-canary');
		// A plan limit the host reported holds the plan back, and the reason is given.
		const {recordProviderError} = await import('../../source/store/provider-errors.js');
		await recordProviderError(own, 'openai', 'acc_plan', {
			status: 429,
			code: 'subscription_sharing_usage_limit_exceeded',
		});
		await updateAuthFile(own, 'openai', (file) => ({
			file: addAccount(
				file,
				{kind: 'api-key', label: 'key', key: 'sk-test-recommend-0001'},
				{now: Date.now(), newId: () => 'acc_key'},
			).file,
			result: undefined,
		}));
		await updateAuthFile(own, 'openai', (file) => ({file: {...file, active: 'acc_plan'}, result: undefined}));
		body = JSON.parse((await run(own, ['--json', 'src/small.ts'], proj)).stdout);
		expect(body).toMatchObject({
			mode: 'api',
			missing: [],
			modeNote: expect.stringMatching(/^api, not auto: OpenAI plan usage limit hit /),
		});
	});

	it('a folder with no source files, or a non-regular file, is a failure', async () => {
		await writeConfig({});
		await fs.mkdir(path.join(proj, 'empty'), {recursive: true});
		const r = await run(home, ['empty', 'src/small.ts'], proj);
		expect(r.code).toBe(1);
		expect(r.stderr).toBe('tui: empty: no source files found (after .gitignore)\n');
		expect(r.stdout).toContain('src/small.ts');
		if (process.platform !== 'win32') {
			const fifo = path.join(tmp, 'fifo');
			await new Promise<void>((resolve, reject) => execFile('mkfifo', [fifo], (e) => (e ? reject(e) : resolve())));
			const f = await run(home, [fifo], proj);
			expect(f.code).toBe(1);
			expect(f.stderr).toBe(`tui: ${fifo}: not a regular file\n`);
		}
	});

	it.skipIf(process.getuid?.() === 0)('an unreadable file is one line on stderr', async () => {
		const locked = path.join(proj, 'src', 'locked.ts');
		await write(locked, 'const a = 1;\n');
		await fs.chmod(locked, 0o000);
		try {
			const r = await run(home, ['src/locked.ts', 'src/small.ts'], proj);
			expect(r.code).toBe(1);
			expect(r.stderr).toBe('tui: src/locked.ts: permission denied\n');
			expect(r.stdout).toContain('src/small.ts');
		} finally {
			await fs.rm(locked, {force: true});
		}
	});

	it('a missing argument list is a usage error (exit 2)', async () => {
		const r = await run(home, [], proj);
		expect(r.code).toBe(2);
	});
});
