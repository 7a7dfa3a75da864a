// The built library as a host imports it: dist/credentials.js (screenless) and dist/index.js, each in a fresh
// Node process, resolving a stored API key and an environment key. Guards the library build (one core script run
// through a code cache, screens as ES modules over it, its own copy of zod, builtins loaded on use), which the unit
// tests, running the sources, never see.
import {spawnSync} from 'node:child_process';
import {chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';
import {tempDirSync} from '../helpers/temp-home.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const KEY = 'sk-library-bundle-0123456789';
const ENV_KEY = 'sk-env-key-0123456789';

function homeWithClaudeKey(): string {
	const home = tempDirSync('tui-lib-');
	mkdirSync(path.join(home, 'auth'), {recursive: true, mode: 0o700});
	const file = {
		version: 1,
		active: 'acct-lib',
		accounts: [{id: 'acct-lib', label: 'work', createdAt: '2026-12-01T10:00:00.000Z', kind: 'api-key', key: KEY}],
	};
	writeFileSync(path.join(home, 'auth', 'claude.json'), JSON.stringify(file), {mode: 0o600});
	return home;
}

type HostRun = {claude: unknown; openai: unknown; exports: string[]; blobsWhileRunning: string[]};

/** A host process: imports `entry`, resolves twice; `cache` is its XDG_CACHE_HOME. */
function host(
	entry: string,
	home: string,
	env: Record<string, string> = {},
	cache = tempDirSync('tui-lib-cache-'),
): HostRun {
	const script = `
import {readdirSync} from 'node:fs';
const lib = await import(${JSON.stringify(pathToFileURL(path.join(DIST, entry)).href)});
const claude = await lib.resolveCredential('claude', {home: process.argv[1], env: {}});
const openai = await lib.resolveCredential('openai', {home: process.argv[1], env: {OPENAI_API_KEY: ${JSON.stringify(ENV_KEY)}}});
// The blob is due right after the first resolve, while the host runs on: give that turn its chance.
await new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
let blobsWhileRunning = [];
try { blobsWhileRunning = readdirSync(process.env.XDG_CACHE_HOME + '/tui'); } catch {}
process.stdout.write(JSON.stringify({claude, openai, exports: Object.keys(lib), blobsWhileRunning}));`;
	const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, home], {
		encoding: 'utf8',
		env: {...process.env, XDG_CACHE_HOME: cache, ...env},
	});
	expect(run.stderr).toBe('');
	expect(run.status).toBe(0);
	return JSON.parse(run.stdout) as HostRun;
}

const coreBlobs = (cache: string) => {
	try {
		return readdirSync(path.join(cache, 'tui')).filter((name) => name.startsWith('v8-library-core-'));
	} catch {
		return [];
	}
};

for (const entry of ['credentials.js', 'index.js'])
	it(`dist/${entry} resolves a stored key and an environment key in a fresh process`, () => {
		const result = host(entry, homeWithClaudeKey());
		expect(result.claude).toMatchObject({usable: true, source: 'file', secret: KEY, account: {label: 'work'}});
		expect(result.openai).toMatchObject({usable: true, source: 'env', envVar: 'OPENAI_API_KEY'});
		expect(result.exports).toEqual(expect.arrayContaining(['resolveCredential', 'selectProvider', 'recordUsage']));
		if (entry === 'index.js') expect(result.exports).toEqual(expect.arrayContaining(['OnboardingWizard']));
	});

describe("the library core's code cache", () => {
	const home = homeWithClaudeKey();
	const results = (run: HostRun) => ({claude: run.claude, openai: run.openai, exports: run.exports});

	it('is written once the first credential is resolved, reused as it is, with the same results as without it', () => {
		const cache = tempDirSync('tui-lib-cache-');
		const plain = host('credentials.js', home, {TUI_NO_CODE_CACHE: '1'}, cache);
		expect(coreBlobs(cache)).toEqual([]);
		const cold = host('credentials.js', home, {}, cache);
		expect(cold.blobsWhileRunning).toEqual(coreBlobs(cache));
		const [blob] = coreBlobs(cache);
		expect(blob).toMatch(/^v8-library-core-\d+\.\d+\.\d+-[0-9a-f]{16}-v\d+\.\d+\.\d+-\w+\.bin$/);
		expect(statSync(path.join(cache, 'tui', blob!)).mode & 0o777).toBe(0o600);
		// Compiled code only: neither the stored key nor the environment's is in it.
		const bytes = readFileSync(path.join(cache, 'tui', blob!));
		for (const secret of [KEY, ENV_KEY]) expect(bytes.includes(secret)).toBe(false);
		const written = statSync(path.join(cache, 'tui', blob!)).mtimeMs;
		const warm = host('credentials.js', home, {}, cache);
		const screens = host('index.js', home, {}, cache);
		expect(statSync(path.join(cache, 'tui', blob!)).mtimeMs).toBe(written);
		expect(results(cold)).toEqual(results(plain));
		expect(results(warm)).toEqual(results(plain));
		expect(screens.claude).toEqual(plain.claude);
	});

	it('a garbage blob is rejected and replaced; a read-only folder is used as it is', () => {
		const cache = tempDirSync('tui-lib-cache-');
		const plain = host('credentials.js', home, {TUI_NO_CODE_CACHE: '1'}, cache);
		host('credentials.js', home, {}, cache);
		const file = path.join(cache, 'tui', coreBlobs(cache)[0]!);
		writeFileSync(file, Buffer.alloc(4096, 0x5a));
		expect(results(host('credentials.js', home, {}, cache))).toEqual(results(plain));
		expect(statSync(file).size).not.toBe(4096);
		const locked = tempDirSync('tui-lib-cache-');
		mkdirSync(path.join(locked, 'tui'));
		chmodSync(path.join(locked, 'tui'), 0o500);
		const run = host('credentials.js', home, {}, locked);
		chmodSync(path.join(locked, 'tui'), 0o700);
		expect(results(run)).toEqual(results(plain));
		// root ignores the mode bits; everyone else must find nothing written.
		if (process.getuid?.() !== 0) expect(coreBlobs(locked)).toEqual([]);
	});
});

// Every module outside the screens is in the core once: a screen and a host's resolveCredential share one auth-file
// reader (its parsed-file cache) and one lock registry. The ES module files hold only screens and facades.
it('the store and the credential path are built once, in the core', () => {
	const esm = [
		path.join(DIST, 'index.js'),
		path.join(DIST, 'credentials.js'),
		...readdirSync(path.join(DIST, 'library'))
			.filter((name) => name.endsWith('.js'))
			.map((name) => path.join(DIST, 'library', name)),
	];
	const core = readFileSync(path.join(DIST, 'library', 'core.cjs'), 'utf8');
	for (const definition of [
		'function readAuthFile(',
		'function heldLock(',
		'function withFileLock(',
		'function resolveCredential(',
	]) {
		expect(core).toContain(definition);
		for (const file of esm)
			expect({file, has: readFileSync(file, 'utf8').includes(definition)}).toEqual({file, has: false});
	}
	expect(core).not.toMatch(/require\("(ink|react)"\)/);
});

// A write through the core reaches the packages it requires: the lock (proper-lockfile, CommonJS) and conf (an ES
// module, whose default export is the class).
it('dist/index.js switches the account: the auth file and config.json are written', () => {
	const home = homeWithClaudeKey();
	const script = `
const {createAccountsApi} = await import(${JSON.stringify(pathToFileURL(path.join(DIST, 'index.js')).href)});
const switched = await createAccountsApi(process.argv[1]).switchTo('claude', 'work');
process.stdout.write(JSON.stringify(switched));`;
	const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, home], {encoding: 'utf8'});
	expect(run.stderr).toBe('');
	expect(JSON.parse(run.stdout)).toMatchObject({provider: 'claude', account: {label: 'work'}});
	const preferences = JSON.parse(readFileSync(path.join(home, 'config.json'), 'utf8')) as unknown;
	expect(preferences).toMatchObject({activeProvider: 'claude'});
	expect(statSync(path.join(home, 'config.json')).mode & 0o777).toBe(0o600);
});
