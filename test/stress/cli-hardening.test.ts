// Checks 11-13 against the built CLI (`node dist/cli.cjs`): corrupt inputs, secrets in every command's output
// and in a live process's argv/environment, and bad user input.
import {spawn} from 'node:child_process';
import {createHash, randomBytes} from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp-home.js';
import {until} from '../helpers/wait.js';
import {runCli, type CliResult} from '../helpers/run-cli.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {useSandbox} from '../helpers/sandbox.js';

const CLI = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));

let root: string;
beforeAll(async () => {
	root = await tempDir('tui-stress-cli-');
});

let homeCount = 0;
async function newHome(): Promise<string> {
	const home = path.join(root, `home-${homeCount++}`);
	await fs.mkdir(path.join(home, 'auth'), {recursive: true, mode: 0o700});
	return home;
}

const CLAUDE_KEY = 'sk-ant-test-stress-claude-key-canary-7f3a';
const claudeFile = (key = CLAUDE_KEY) =>
	`${JSON.stringify({version: 1, active: 'ck', accounts: [{id: 'ck', label: 'work', kind: 'api-key', key, createdAt: '2026-01-01T00:00:00.000Z'}]})}\n`;

/** Runs `tasks` with at most `limit` at once. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
	const results: T[] = new Array(tasks.length);
	let next = 0;
	await Promise.all(
		Array.from({length: limit}, async () => {
			while (next < tasks.length) {
				const n = next++;
				results[n] = await tasks[n]!();
			}
		}),
	);
	return results;
}

const STACK = /\n\s+at .+[:(]\d+|\bat (?:async )?[\w.<>]+ \(|node:internal|Error: .*\n\s+at /;

// ------------------------------------------------------------------ 11. corrupt inputs

type Target = 'auth' | 'config' | 'ledger';
type Corruption = {
	readonly target: Target;
	readonly kind: string;
	readonly bytes: Buffer;
	readonly quarantined: boolean;
};

const VALID: Record<Target, string> = {
	auth: JSON.stringify(
		{
			version: 1,
			active: 'a',
			accounts: [
				{
					id: 'a',
					label: 'main',
					kind: 'api-key',
					key: 'sk-stress-openai-canary-1234',
					createdAt: '2026-01-01T00:00:00.000Z',
				},
			],
		},
		null,
		'\t',
	),
	config: JSON.stringify(
		{
			activeProvider: 'claude',
			fallback: {enabled: true, order: ['claude', 'openai'], triggers: ['quota'], thresholdPercent: 90},
			budgets: {},
		},
		null,
		'\t',
	),
	ledger: JSON.stringify({
		version: 1,
		days: {
			'2026-11-01': {'openai/a': {inputTokens: 1, outputTokens: 2, costUsd: 0, calls: 1, unpricedCalls: 1, models: {}}},
		},
	}),
};
const WRONG_TYPES: Record<Target, readonly unknown[]> = {
	auth: [
		{version: 2, active: null, accounts: []},
		{version: 1, active: 'a', accounts: 'x'},
		{version: 1, active: 5, accounts: []},
		{version: 1, active: 'a', accounts: [{id: 'a', kind: 'api-key'}]},
		{version: 1, active: 'a', accounts: [{id: 'a', label: 'x', kind: 'oauth', createdAt: 'x', tokens: {access: 1}}]},
		[],
		null,
		'text',
		42,
		true,
		{},
	],
	// Valid JSON objects with wrong values: named in a one-line message and left in place for the user to fix (preferences.ts);
	// valid JSON that is not an object is moved aside.
	config: [
		{activeProvider: 5},
		{fallback: {thresholdPercent: 'high'}},
		{fallback: {order: 'claude'}},
		{budgets: []},
		{routing: {smallLines: -1}},
		[],
		null,
		'text',
		42,
		true,
	],
	ledger: [
		{version: 1, days: []},
		{version: 2, days: {}},
		{version: 1, days: {'not-a-day': {}}},
		{version: 1, days: {'2026-11-01': {'openai/a': {inputTokens: -1}}}},
		[],
		null,
		'text',
		42,
		true,
		{},
	],
};

function corruptions(target: Target, count: number, seed: number): Corruption[] {
	const valid = VALID[target];
	const isObject = (value: unknown): value is Record<string, unknown> =>
		typeof value === 'object' && value !== null && !Array.isArray(value);
	// Auth files are read account by account: a bad account or a newer version is reported and kept as it is.
	const readPerAccount = (value: unknown) =>
		isObject(value) &&
		(value.version === 2 ||
			(value.version === 1 &&
				Array.isArray(value.accounts) &&
				(value.active === null || typeof value.active === 'string')));
	const objectWithWrongValues = (value: unknown) =>
		(target === 'config' && isObject(value)) || (target === 'auth' && readPerAccount(value));
	const kind = fc.oneof(
		fc
			.nat({max: valid.length - 2})
			.map((n) => ({kind: 'truncated', bytes: Buffer.from(valid.slice(0, n + 1)), quarantined: true})),
		fc.nat({max: 64 * 1024}).map((n) => ({kind: 'NUL-filled', bytes: Buffer.alloc(n + 1), quarantined: true})),
		fc.tuple(fc.nat({max: valid.length - 1}), fc.nat({max: 20})).map(([at, n]) => ({
			kind: 'NULs inside',
			bytes: Buffer.concat([Buffer.from(valid.slice(0, at)), Buffer.alloc(n + 1), Buffer.from(valid.slice(at))]),
			quarantined: true,
		})),
		fc.constantFrom(...WRONG_TYPES[target]).map((value) => ({
			kind: 'wrong types',
			bytes: Buffer.from(JSON.stringify(value)),
			quarantined: !objectWithWrongValues(value),
		})),
		fc
			.uint8Array({minLength: 1, maxLength: 2000})
			.filter((a) =>
				(() => {
					try {
						JSON.parse(Buffer.from(a).toString());
						return false;
					} catch {
						return true;
					}
				})(),
			)
			.map((a) => ({kind: 'random bytes', bytes: Buffer.from(a), quarantined: true})),
		fc.constantFrom(
			{
				kind: 'huge (8 MB of garbage)',
				bytes: Buffer.from(`{"version": 1, "x": "${'A'.repeat(8 * 1024 * 1024)}`),
				quarantined: true,
			},
			{
				kind: 'huge (deeply nested)',
				bytes: Buffer.from(`${'['.repeat(200_000)}${']'.repeat(200_000)}`),
				quarantined: true,
			},
			{kind: 'huge (whitespace)', bytes: Buffer.from(' '.repeat(4 * 1024 * 1024)), quarantined: true},
			{kind: 'empty', bytes: Buffer.alloc(0), quarantined: true},
			{kind: 'BOM + garbage', bytes: Buffer.from('\uFEFF{nope'), quarantined: true},
			{kind: 'invalid UTF-8', bytes: Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0xc0, 0xaf, 0x7d]), quarantined: true},
		),
	);
	return fc.sample(kind, {numRuns: count, seed}).map((c) => ({...c, target}));
}

const fileOf = (home: string, target: Target) =>
	target === 'auth'
		? path.join(home, 'auth', 'openai.json')
		: target === 'config'
			? path.join(home, 'config.json')
			: path.join(home, 'usage', 'ledger.json');

describe('corrupt inputs', () => {
	it('200 corrupt auth, config and ledger files: one-line message naming the file, quarantine copy, the other provider unaffected, no stack trace', async () => {
		const seed = Date.now() % 2 ** 31;
		const cases = [
			...corruptions('auth', 70, seed),
			...corruptions('config', 65, seed + 1),
			...corruptions('ledger', 65, seed + 2),
		];
		expect(cases).toHaveLength(200);
		const problems: string[] = [];
		let good = 0;
		const results = await pool(
			cases.map((c, n) => async () => {
				const home = await newHome();
				await fs.writeFile(path.join(home, 'auth', 'claude.json'), claudeFile(), {mode: 0o600});
				const file = fileOf(home, c.target);
				await fs.mkdir(path.dirname(file), {recursive: true, mode: 0o700});
				await fs.writeFile(file, c.bytes, {mode: 0o600});
				const args =
					c.target === 'ledger' ? ['--home', home, 'quota', '--json'] : ['--home', home, 'auth', 'status', '--json'];
				const result = await runCli(args, {timeoutMs: 60_000});
				const why: string[] = [];
				const all = `${result.stdout}\n${result.stderr}`;
				if (result.code !== 0 && result.code !== 1) why.push(`exit ${result.code}`);
				if (STACK.test(all)) why.push('stack trace');
				if (
					result.stderr
						.trim()
						.split('\n')
						.filter((line) => !line.startsWith('tui: warning: ')).length > 1
				)
					why.push('stderr has several lines');
				let json: Record<string, unknown> | undefined;
				try {
					json = JSON.parse(result.stdout) as Record<string, unknown>;
				} catch {
					why.push('stdout is not JSON');
				}
				// The message naming the file: one JSON string (one line) or one stderr line.
				const messages = [
					...(JSON.stringify(json ?? {}).match(/"(?:[^"\\]|\\.)*"/g) ?? []).map((s) => JSON.parse(s) as string),
					result.stderr.trim(),
				];
				const naming = messages.filter((m) => m.includes(file));
				if (naming.length === 0) why.push('no message names the file');
				if (naming.some((m) => m.includes('\n'))) why.push('the message spans lines');
				const siblings = await fs.readdir(path.dirname(file));
				const copies = siblings.filter((s) => s.startsWith(`${path.basename(file)}.corrupt-`));
				if (c.quarantined) {
					if (copies.length !== 1) why.push(`${copies.length} quarantine copies`);
					else {
						const copy = await fs.readFile(path.join(path.dirname(file), copies[0]!));
						if (!copy.equals(c.bytes)) why.push('the quarantine copy differs from the corrupt file');
						if (((await fs.stat(path.join(path.dirname(file), copies[0]!))).mode & 0o777) !== 0o600)
							why.push('quarantine copy not 0600');
					}
				} else if (!(await fs.readFile(file)).equals(c.bytes)) why.push('a file with wrong values was changed');
				// The other provider: the Claude key still resolves (status), its account is still listed (quota).
				if (c.target === 'ledger') {
					const providers = (json?.providers ?? []) as {provider: string; accounts: {label: string}[]}[];
					if (!providers.find((p) => p.provider === 'claude')?.accounts.some((a) => a.label === 'work'))
						why.push('claude account missing from quota');
				} else {
					const claude = (json?.providers as Record<string, {usable: boolean}> | undefined)?.claude;
					if (!claude?.usable) why.push('claude not usable');
				}
				if (all.includes(CLAUDE_KEY) || all.includes('sk-stress-openai-canary-1234')) why.push('a key was printed');
				if (why.length === 0) good++;
				else
					problems.push(
						`case ${n} ${c.target}/${c.kind}: ${why.join(', ')}; stderr ${JSON.stringify(result.stderr.slice(0, 200))}`,
					);
				await fs.rm(home, {recursive: true, force: true});
				return result;
			}),
			3,
		);
		console.log(
			`corrupt inputs: ${good}/${results.length} handled (one-line message naming the file, quarantine copy, other provider unaffected, no stack trace); seed ${seed}`,
		);
		expect(problems).toEqual([]);
	});
});

// ------------------------------------------------------------------ 13. bad user input

/** Every file and folder under `dir` with its mode and content hash. */
async function tree(dir: string): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	const walk = async (d: string) => {
		for (const entry of await fs.readdir(d, {withFileTypes: true}).catch(() => [])) {
			const p = path.join(d, entry.name);
			const stat = await fs.lstat(p);
			if (entry.isDirectory()) {
				out[path.relative(dir, p)] = `dir ${(stat.mode & 0o777).toString(8)}`;
				await walk(p);
			} else
				out[path.relative(dir, p)] = `${(stat.mode & 0o777).toString(8)} ${stat.mtimeMs} ${createHash('sha256')
					.update(await fs.readFile(p))
					.digest('hex')}`;
		}
	};
	await walk(dir);
	return out;
}

const BIG = 'x'.repeat(10 * 1024);
const BAD_KEYS = [
	'sk-sandbox-has space',
	'sk-sandbox-new\nline',
	'sk-sandbox-\u0007bell',
	'sk-sandbox-\u001b[31mred',
	'sk-sandbox-tab\there',
	'sk-sandbox-\u0000nul',
	' ',
	'',
	`sk-sandbox-${BIG}\n${BIG}`,
	'sk-sandbox-a\rb',
];

type BadCase = {readonly args: readonly string[]; readonly input?: string};

function badCases(): BadCase[] {
	const cases: BadCase[] = [];
	const values = (wrong: readonly string[]) => [...wrong, '', BIG];
	const flag = (prefix: readonly string[], name: string, wrong: readonly string[], suffix: readonly string[] = []) => {
		for (const v of values(wrong)) cases.push({args: [...prefix, name, v, ...suffix]});
	};
	flag(['auth', 'login'], '--provider', ['gemini', 'OPENAI ', 'openai/claude'], ['--with-api-key']);
	flag(['auth', 'login', '--provider', 'openai'], '--method', ['password', 'api key', '../browser']);
	flag(['auth', 'login', '--provider', 'openai', '--with-api-key'], '--label', [
		'a/b',
		'a\\b',
		'../x',
		'/abs',
		'x\ny',
		'.',
		'..',
		'tab\there',
		'\u001b[31mred',
	]);
	flag(['auth', 'login', '--provider', 'openai', '--method', 'browser', '--no-browser'], '--timeout', [
		'-1',
		'0',
		'abc',
		'1e999',
		'0x10',
		'1.5.2',
	]);
	flag(['auth', 'fallback'], '--order', ['gemini', 'openai,openai', 'claude;rm', 'openai claude']);
	flag(['auth', 'fallback'], '--on', ['never', 'quota;x', 'quota,never']);
	flag(['auth', 'fallback'], '--threshold', ['-5', '0', '101', 'abc', '1e3', 'NaN', '5 0']);
	flag(['auth', 'env'], '--provider', ['gemini', 'openai/x']);
	flag(['auth', 'env'], '--shell', ['bash;rm', 'powershell', 'sh\n']);
	flag(['auth', 'export', path.join(os.tmpdir(), 'tui-stress-never-written.json')], '--passphrase-fd', [
		'-1',
		'abc',
		'1.5',
		'99999999999',
	]);
	flag(['quota', '--watch'], '--interval', ['0', '-3', 'abc', 'Infinity']);
	flag(['onboard'], '--tier', ['ultra', 'pro max']);
	for (const v of values(['gemini', 'openai/', 'openai/../../etc', 'openai/a/b', '/openai'])) {
		cases.push(
			{args: ['auth', 'switch', v]},
			{args: ['auth', 'logout', v]},
			{args: ['auth', 'token', v]},
			{args: ['auth', 'rotate', v, '--with-api-key'], input: 'sk-sandbox-good-key-000000000000\n'},
		);
	}
	for (const v of values(['cloud', 'keyring;rm'])) cases.push({args: ['auth', 'storage', v]});
	for (const key of BAD_KEYS) {
		cases.push({args: ['auth', 'login', '--provider', 'openai', '--with-api-key'], input: key});
		cases.push({args: ['auth', 'rotate', 'openai/main', '--with-api-key'], input: key});
	}
	cases.push(
		{args: ['auth', 'status', '--bogus']},
		{args: ['auth', 'status', `--${BIG}`]},
		{args: ['auth', 'login', '--provider']},
		{args: ['auth', 'fallback', '--threshold']},
	);
	return cases;
}

describe('bad user input', () => {
	it('every flag with wrong, empty and 10 KB values, bad API keys and labels: one line, exit 2, nothing written', async () => {
		const home = await newHome();
		await fs.writeFile(path.join(home, 'auth', 'claude.json'), claudeFile(), {mode: 0o600});
		await fs.writeFile(path.join(home, 'auth', 'openai.json'), `${VALID.auth}\n`, {mode: 0o600});
		await fs.writeFile(path.join(home, 'config.json'), `${VALID.config}\n`, {mode: 0o600});
		await fs.chmod(home, 0o700);
		const before = await tree(home);
		const cases = badCases();
		const problems: string[] = [];
		let good = 0;
		await pool(
			cases.map((c) => async () => {
				const result: CliResult = await runCli(['--home', home, ...c.args], {input: c.input, timeoutMs: 30_000});
				const why: string[] = [];
				if (result.code !== 2) why.push(`exit ${result.code}`);
				const lines = `${result.stdout}${result.stderr}`.trimEnd().split('\n');
				if (lines.length !== 1 || !result.stderr.trim()) why.push(`${lines.length} lines of output`);
				if (STACK.test(result.stderr)) why.push('stack trace');
				// eslint-disable-next-line no-control-regex
				if (/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/.test(result.stderr))
					why.push('control characters in the message');
				if (why.length === 0) good++;
				else
					problems.push(
						`${JSON.stringify(c.args.map((a) => (a.length > 40 ? `${a.slice(0, 12)}…(${a.length})` : a)))}${c.input === undefined ? '' : ` <${JSON.stringify(c.input.slice(0, 30))}`}: ${why.join(', ')}: ${JSON.stringify(result.stderr.slice(0, 160))}`,
					);
			}),
			3,
		);
		const after = await tree(home);
		const changed = Object.keys({...before, ...after}).filter((k) => before[k] !== after[k]);
		console.log(
			`bad user input: ${good}/${cases.length} refused with one line and exit 2; ${changed.length} paths changed in the home`,
		);
		expect(problems).toEqual([]);
		expect(changed).toEqual([]);
	});
});

// ------------------------------------------------------------------ 12. secrets

describe('secrets', () => {
	const sandbox = useSandbox();
	const canary = (label: string) => `CANARY${label}${randomBytes(10).toString('hex')}`;

	it('canary keys, tokens, codes and verifiers appear nowhere but the stdout of auth token / auth env, nor in a live process argv/environ', async () => {
		const sb = sandbox();
		const c = {
			openaiKey: `sk-sandbox-${canary('ok')}`,
			newKey: `sk-sandbox-${canary('nk')}`,
			rotatedKey: `sk-sandbox-${canary('rk')}`,
			badKey: `sk-bad-${canary('bk')}`,
			claudeKey: `sk-sandbox-${canary('ck')}`,
			access: `at-${canary('at')}`,
			refresh: `rt-${canary('rt')}`,
			idToken: `id-${canary('it')}`,
			passphrase: `pass-${canary('pp')}`,
			envKey: `sk-sandbox-${canary('ek')}`,
			corruptKey: `sk-sandbox-${canary('xk')}`,
		};
		const home = await newHome();
		const now = Date.now();
		const oauthAccount = {
			id: 'o1',
			label: 'chatgpt',
			kind: 'oauth',
			createdAt: '2026-01-01T00:00:00.000Z',
			tokens: {access: c.access, refresh: c.refresh, idToken: c.idToken, expiresAt: now + 3 * 86_400_000},
			plan: 'plus',
			email: 'user@sandbox.test',
		};
		const keyAccount = {
			id: 'k1',
			label: 'main',
			kind: 'api-key',
			key: c.openaiKey,
			createdAt: '2026-01-01T00:00:00.000Z',
		};
		await fs.writeFile(
			path.join(home, 'auth', 'openai.json'),
			JSON.stringify({version: 1, active: 'o1', accounts: [oauthAccount, keyAccount]}),
			{mode: 0o600},
		);
		await fs.writeFile(path.join(home, 'auth', 'claude.json'), claudeFile(c.claudeKey), {mode: 0o600});
		const env = {...sb.env};
		const exportFile = path.join(root, `export-${randomBytes(4).toString('hex')}.tuiexport`);
		const otherHome = await newHome();
		const srcFile = path.join(root, 'module.ts');
		await fs.writeFile(srcFile, 'export const x = 1;\n'.repeat(600));
		type Step = {
			readonly args: readonly string[];
			readonly input?: string;
			readonly env?: Record<string, string>;
			readonly secretStdout?: boolean;
		};
		const steps: Step[] = [
			{args: ['auth', 'status']},
			{args: ['auth', 'status', '--json']},
			{args: ['auth', 'login', '--provider', 'openai', '--with-api-key', '--label', 'new'], input: `${c.newKey}\n`},
			{args: ['auth', 'login', '--provider', 'claude', '--with-api-key', '--label', 'bad'], input: `${c.badKey}\n`},
			{args: ['auth', 'login', '--provider', 'openai', '--with-api-key'], input: `${c.badKey} trailing\n`},
			{args: ['auth', 'token'], secretStdout: true},
			{args: ['auth', 'token', 'openai'], secretStdout: true},
			{args: ['auth', 'token', 'claude'], secretStdout: true},
			{args: ['auth', 'env'], secretStdout: true},
			{args: ['auth', 'env', '--shell', 'json'], secretStdout: true},
			{args: ['auth', 'env', '--shell', 'fish', '--provider', 'claude'], secretStdout: true},
			{args: ['auth', 'switch', 'openai/new']},
			{args: ['auth', 'switch', 'openai/chatgpt']},
			{args: ['auth', 'switch', 'openai/nobody']},
			{args: ['auth', 'switch']},
			{args: ['auth', 'fallback', '--order', 'claude,openai', '--on', 'quota,rate-limit', '--threshold', '80']},
			{args: ['auth', 'fallback']},
			{args: ['quota', '--json']},
			{args: ['quota', '--line']},
			{args: ['quota']},
			{args: ['recommend', srcFile]},
			{args: ['recommend', srcFile, '--json']},
			{args: ['auth', 'rotate', 'openai/new', '--with-api-key'], input: `${c.rotatedKey}\n`},
			{args: ['auth', 'rotate', 'openai/main', '--with-api-key'], input: `${c.badKey}\n`},
			{args: ['auth', 'export', exportFile, '--passphrase-fd', '0'], input: `${c.passphrase}\n`},
			{args: ['--home', otherHome, 'auth', 'import', exportFile, '--passphrase-fd', '0'], input: 'wrong passphrase\n'},
			{args: ['--home', otherHome, 'auth', 'import', exportFile, '--passphrase-fd', '0'], input: `${c.passphrase}\n`},
			{args: ['--home', otherHome, 'auth', 'status', '--json']},
			{args: ['auth', 'status'], env: {OPENAI_API_KEY: c.envKey}},
			{args: ['auth', 'status', '--json'], env: {OPENAI_API_KEY: c.envKey, ANTHROPIC_API_KEY: c.envKey}},
			{args: ['auth', 'logout', 'openai/new']},
			{args: ['auth', 'logout', 'openai/chatgpt']},
			{args: ['reset']},
			{args: ['reset', '--confirm']},
		];
		const secrets = Object.values(c);
		const leaks: string[] = [];
		let runs = 0;
		const scan = (where: string, text: string) => {
			for (const secret of secrets) {
				// The random part: a whole or partial leak shows it; the last four characters alone ("…abcd") do not.
				const core = secret.slice(secret.indexOf('CANARY'), -4);
				if (text.includes(core)) leaks.push(`${where}: ${secret.slice(0, 20)}…`);
			}
		};
		// The scanner finds a leak when there is one (a full value, or all but its last four characters).
		scan('control', `x${c.access}y ${c.refresh.slice(0, -4)}`);
		expect(leaks).toHaveLength(2);
		leaks.length = 0;
		const exits: Record<string, number | null> = {};
		const stdouts: Record<string, string> = {};
		for (const step of steps) {
			const args = step.args[0] === '--home' ? step.args : ['--home', home, ...step.args];
			const result = await runCli(args, {env: {...env, ...step.env}, input: step.input, timeoutMs: 60_000});
			runs++;
			const name = step.args.filter((a) => !a.startsWith('/')).join(' ');
			exits[name] ??= result.code;
			stdouts[name] ??= result.stdout;
			if (!step.secretStdout) scan(`stdout of ${name} (exit ${result.code})`, result.stdout);
			scan(`stderr of ${name} (exit ${result.code})`, result.stderr);
		}
		// The commands really ran: the secrets went in, and came out where they may.
		expect(exits['auth login --provider openai --with-api-key --label new']).toBe(0);
		expect(exits['auth login --provider claude --with-api-key --label bad']).toBe(1);
		expect(stdouts['auth token claude']).toContain(c.claudeKey);
		expect(stdouts['auth env --shell json']).toMatch(/sk-sandbox-CANARY|at-CANARY/);
		expect(exits['auth rotate openai/new --with-api-key']).toBe(0);
		expect(exits['auth export --passphrase-fd 0']).toBe(0);
		expect(exits['reset --confirm']).toBe(0);
		// The export is encrypted: no plaintext secret in it.
		scan('the export file', await fs.readFile(exportFile, 'latin1'));

		// Error path: a corrupt auth file holding a key is named, never quoted.
		const corruptHome = await newHome();
		await fs.writeFile(
			path.join(corruptHome, 'auth', 'openai.json'),
			`{"version":1,"accounts":[{"key":"${c.corruptKey}"`,
			{mode: 0o600},
		);
		for (const args of [
			['auth', 'status'],
			['auth', 'status', '--json'],
			['auth', 'token', 'openai'],
			['quota', '--json'],
		]) {
			const result = await runCli(['--home', corruptHome, ...args], {env, timeoutMs: 60_000});
			runs++;
			scan(`stdout of ${args.join(' ')} with a corrupt file`, result.stdout);
			scan(`stderr of ${args.join(' ')} with a corrupt file`, result.stderr);
		}

		// A long-running login: its argv and environment (and its children's) hold no secret; the code and the
		// tokens it receives reach no output.
		const loginHome = await newHome();
		await fs.writeFile(path.join(loginHome, 'auth', 'claude.json'), claudeFile(c.claudeKey), {mode: 0o600});
		const child = spawn(
			process.execPath,
			[CLI, '--home', loginHome, 'auth', 'login', '--provider', 'openai', '--method', 'browser', '--no-browser'],
			{
				env: {
					PATH: process.env.PATH ?? '/usr/bin:/bin',
					HOME: '/nonexistent-home',
					COLUMNS: '100',
					NO_COLOR: '1',
					...env,
				},
				stdio: ['pipe', 'pipe', 'pipe'],
			},
		);
		let out = '';
		let err = '';
		child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
		const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
		try {
			const authUrl = await until(
				() => /https?:\/\/\S+\/api\/accounts\/authorize\S+/.exec(out + err)?.[0],
				'the authorize URL',
				30_000,
			);
			const landing = await completeSandboxLoginWithoutBrowser(authUrl, {land: false});
			const code = new URL(landing.finalUrl).searchParams.get('code')!;
			// The state is printed in the URL (by design); code and state must still stay out of argv and environment.
			const inFlight = [code, new URL(authUrl).searchParams.get('state')!];
			const pids = [child.pid!, ...(await descendants(child.pid!))];
			for (const pid of pids) {
				for (const what of ['cmdline', 'environ']) {
					const text = await fs.readFile(`/proc/${pid}/${what}`, 'latin1');
					scan(`/proc/${pid}/${what}`, text);
					for (const value of inFlight)
						if (text.includes(value)) leaks.push(`/proc/${pid}/${what}: ${value.slice(0, 8)}…`);
				}
			}
			const landed = await fetch(landing.finalUrl.replace('//localhost:', '//127.0.0.1:'));
			expect(landed.status).toBe(200);
			expect(await exited).toBe(0);
			const stored = JSON.parse(await fs.readFile(path.join(loginHome, 'auth', 'openai.json'), 'utf8')) as {
				accounts: {tokens: {access: string; refresh?: string; idToken?: string}}[];
			};
			const tokens = stored.accounts[0]!.tokens;
			// Code and tokens (not CANARY-marked) are checked whole.
			for (const t of [code, tokens.access, tokens.refresh, tokens.idToken])
				if (t && (out.includes(t) || err.includes(t))) leaks.push(`output of the browser login: ${t.slice(0, 8)}…`);
			scan('output of the browser login', out + err);
			console.log(
				`secrets: ${leaks.length} canary hits in ${runs} command runs (${steps.length} steps over every command, error paths included), the export file, and /proc cmdline+environ of ${pids.length} live login process(es)`,
			);
		} finally {
			child.kill('SIGKILL');
		}
		expect(leaks).toEqual([]);
	});
});

async function descendants(pid: number): Promise<number[]> {
	const found: number[] = [];
	const tasks = await fs.readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
	for (const task of tasks) {
		const children = (await fs.readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => ''))
			.trim()
			.split(/\s+/)
			.filter(Boolean)
			.map(Number);
		for (const child of children) found.push(child, ...(await descendants(child)));
	}
	return found;
}
