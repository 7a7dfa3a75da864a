// The launcher (dist/cli.cjs) and its code cache: same output with or without a cache, a warm cache reused, a bad or
// unwritable one ignored, and each bundle used only for the commands it holds. No timing here: see bench/.
import {spawnSync} from 'node:child_process';
import module from 'node:module';
import {chmodSync, mkdirSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {tempDirSync} from '../helpers/temp-home.js';
import {runCli} from '../helpers/run-cli.js';
import {spawnTui} from '../helpers/pty.js';
import {until, waitForFrame} from '../helpers/wait.js';

const FULL_CLI = fileURLToPath(new URL('../../dist/tui.js', import.meta.url));

const temp = tempDirSync;
const blobs = (cache: string, prefix = 'v8-tui-script-') => {
	try {
		return readdirSync(path.join(cache, 'tui')).filter((name) => name.startsWith(prefix) && name.endsWith('.bin'));
	} catch {
		return [];
	}
};
// Node >= 22.1 keeps its own compile cache in a subfolder; the vm.Script blobs are Node 20's.
const nodeCompileCache = typeof (module as {enableCompileCache?: unknown}).enableCompileCache === 'function';

describe.skipIf(nodeCompileCache)('code cache (Node 20)', () => {
	const home = temp('tui-cc-home-');
	const status = (env: Record<string, string>) => runCli(['--home', home, 'auth', 'status', '--json'], {env});

	it('writes a blob on the first run, reuses it on the next, with the same output as without a cache', async () => {
		const cache = temp('tui-cc-');
		const plain = await status({TUI_NO_CODE_CACHE: '1', XDG_CACHE_HOME: cache});
		expect(blobs(cache)).toEqual([]);
		const cold = await status({XDG_CACHE_HOME: cache});
		const [blob] = blobs(cache);
		expect(blob).toMatch(/^v8-tui-script-\d+\.\d+\.\d+-[0-9a-f]{16}-v\d+\.\d+\.\d+-\w+\.bin$/);
		expect(statSync(path.join(cache, 'tui')).mode & 0o777).toBe(0o700);
		expect(statSync(path.join(cache, 'tui', blob!)).mode & 0o777).toBe(0o600);
		const written = statSync(path.join(cache, 'tui', blob!)).mtimeMs;
		const warm = await status({XDG_CACHE_HOME: cache});
		expect(statSync(path.join(cache, 'tui', blob!)).mtimeMs).toBe(written);
		for (const run of [cold, warm])
			expect({code: run.code, stdout: run.stdout, stderr: run.stderr}).toEqual({
				code: plain.code,
				stdout: plain.stdout,
				stderr: plain.stderr,
			});
		expect(JSON.parse(warm.stdout)).toHaveProperty('providers.openai.usable', false);
	});

	it('a plain form runs the script without commander; help and other forms the fast bundle, each with its own blob', async () => {
		const cache = temp('tui-cc-');
		const plain = await status({XDG_CACHE_HOME: cache});
		expect(blobs(cache)).toHaveLength(1);
		expect(blobs(cache, 'v8-tui-fast-')).toEqual([]);
		// The same argv ending in `--` is not a plain form: commander parses it, with the same answer.
		const parsed = await runCli(['--home', home, 'auth', 'status', '--json', '--'], {env: {XDG_CACHE_HOME: cache}});
		expect(parsed).toEqual(plain);
		expect(blobs(cache, 'v8-tui-fast-')).toHaveLength(1);
		const help = await runCli(['auth', 'status', '--help'], {env: {XDG_CACHE_HOME: cache}});
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('Usage: tui auth status [options]');
		const typo = await runCli(['--home', home, 'auth', 'status', '--jsn'], {env: {XDG_CACHE_HOME: cache}});
		expect(typo).toMatchObject({code: 2, stdout: ''});
		expect(typo.stderr).toMatch(/^tui: unknown option '--jsn'/);
		expect(blobs(cache, 'v8-')).toHaveLength(2);
	});

	it('other commands run the full CLI (ESM chunks), which leaves no blob', async () => {
		const cache = temp('tui-cc-');
		const version = await runCli(['--version'], {env: {XDG_CACHE_HOME: cache}});
		expect(version.code).toBe(0);
		expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
		expect(blobs(cache, 'v8-')).toEqual([]);
		const login = await runCli(['--home', home, 'auth', 'login', '--provider', 'openai'], {
			env: {XDG_CACHE_HOME: cache},
		});
		expect(login.code).toBe(2);
		expect(login.stderr).not.toContain('internal');
	});

	it('a garbage or foreign blob is rejected and replaced, never trusted', async () => {
		const cache = temp('tui-cc-');
		await status({XDG_CACHE_HOME: cache});
		const [blob] = blobs(cache);
		const file = path.join(cache, 'tui', blob!);
		writeFileSync(file, Buffer.alloc(4096, 0x5a));
		const run = await status({XDG_CACHE_HOME: cache});
		expect(run.stderr).toBe('');
		expect(JSON.parse(run.stdout)).toHaveProperty('providers.claude.usable', false);
		expect(statSync(file).size).not.toBe(4096);
	});

	it('a read-only cache folder is used as it is, silently', async () => {
		const cache = temp('tui-cc-');
		mkdirSync(path.join(cache, 'tui'));
		chmodSync(path.join(cache, 'tui'), 0o500);
		const run = await status({XDG_CACHE_HOME: cache});
		chmodSync(path.join(cache, 'tui'), 0o700);
		expect(run.stderr).toBe('');
		expect(JSON.parse(run.stdout)).toHaveProperty('activeProvider', null);
		// root ignores the mode bits; everyone else must find nothing written.
		if (process.getuid?.() !== 0) expect(blobs(cache)).toEqual([]);
	});

	it('never creates a missing home for its cache', async () => {
		const missing = path.join(temp('tui-cc-'), 'no-such-home');
		const run = await runCli(['--home', home, 'auth', 'status', '--json'], {env: {HOME: missing, XDG_CACHE_HOME: ''}});
		expect(run.code).toBe(1);
		expect(() => statSync(missing)).toThrow();
	});
});

// The wizard bundle (dist/tui-wizard.cjs): its blob is written once the first frame is out, while the screen runs.
describe.skipIf(nodeCompileCache)('wizard code cache (Node 20)', () => {
	const wizardBlobs = (cache: string) => blobs(cache, 'v8-tui-wizard-');
	const one = (cache: string) => () => wizardBlobs(cache).length === 1;
	// One home, so each first frame (which names it) is the same; the wizard writes nothing before its last step.
	const home = temp('tui-cc-home-');
	/** The wizard's first frame in a pty; the session ends once `written` (the blob's state) holds. */
	async function firstFrame(cache: string, env: Record<string, string> = {}, written = () => true) {
		const session = spawnTui(['--home', home, 'onboard'], {
			env: {HOME: home, XDG_CACHE_HOME: cache, OPENAI_API_KEY: undefined, ANTHROPIC_API_KEY: undefined, ...env},
		});
		try {
			const frame = await waitForFrame(session, 'No existing');
			await until(written, 'the wizard blob');
			return frame;
		} finally {
			session.kill();
			await session.exited;
		}
	}

	it('writes a blob after the first frame, reuses it, with the same frame as without a cache', async () => {
		const cache = temp('tui-cc-');
		const plain = await firstFrame(cache, {TUI_NO_CODE_CACHE: '1'});
		expect(wizardBlobs(cache)).toEqual([]);
		const cold = await firstFrame(cache, {}, one(cache));
		const [blob] = wizardBlobs(cache);
		expect(blob).toMatch(/^v8-tui-wizard-\d+\.\d+\.\d+-[0-9a-f]{16}-v\d+\.\d+\.\d+-\w+\.bin$/);
		expect(statSync(path.join(cache, 'tui', blob!)).mode & 0o777).toBe(0o600);
		const written = statSync(path.join(cache, 'tui', blob!)).mtimeMs;
		const warm = await firstFrame(cache);
		expect(statSync(path.join(cache, 'tui', blob!)).mtimeMs).toBe(written);
		expect(cold).toBe(plain);
		expect(warm).toBe(plain);
		expect(blobs(cache)).toEqual([]);
	});

	it('a garbage blob is rejected and replaced; a read-only folder is used as it is', async () => {
		const cache = temp('tui-cc-');
		await firstFrame(cache, {}, one(cache));
		const file = path.join(cache, 'tui', wizardBlobs(cache)[0]!);
		writeFileSync(file, Buffer.alloc(4096, 0x5a));
		const plain = await firstFrame(cache, {TUI_NO_CODE_CACHE: '1'});
		expect(await firstFrame(cache, {}, () => statSync(file).size !== 4096)).toBe(plain);
		const locked = temp('tui-cc-');
		mkdirSync(path.join(locked, 'tui'));
		chmodSync(path.join(locked, 'tui'), 0o500);
		const frame = await firstFrame(locked);
		chmodSync(path.join(locked, 'tui'), 0o700);
		expect(frame).toBe(plain);
		// root ignores the mode bits; everyone else must find nothing written.
		if (process.getuid?.() !== 0) expect(wizardBlobs(locked)).toEqual([]);
	});

	it('onboard by flags (no terminal) runs from the same bundle and writes its blob at exit', async () => {
		const cache = temp('tui-cc-');
		const args = ['--home', home, 'onboard', '--provider', 'openai', '--tier', 'nope'];
		const plain = await runCli(args, {env: {TUI_NO_CODE_CACHE: '1', XDG_CACHE_HOME: cache}});
		const cold = await runCli(args, {env: {XDG_CACHE_HOME: cache}});
		expect(wizardBlobs(cache)).toHaveLength(1);
		const warm = await runCli(args, {env: {XDG_CACHE_HOME: cache}});
		for (const run of [cold, warm]) expect(run).toEqual(plain);
		expect(plain.code).toBe(2);
		expect(plain.stderr).not.toMatch(/internal|not in tui-wizard/);
	});
});

describe('fast bundle routing', () => {
	// Help alone runs from the fast bundle (it registers every command): word for word the full CLI's help.
	it.each([
		[['--help']],
		[['auth', '-h']],
		[['auth', 'login', '--help']],
		[['help', 'auth', 'env']],
		[['onboard', '--help']],
		[['nope', '--help']],
	])('tui %j prints the full CLI help', async (args) => {
		const cache = temp('tui-cc-');
		const env = {XDG_CACHE_HOME: cache};
		const fast = await runCli(args, {env});
		const full = spawnSync(process.execPath, [FULL_CLI, ...args], {
			env: {PATH: process.env.PATH, HOME: '/nonexistent-home', COLUMNS: '100', NO_COLOR: '1', ...env},
			encoding: 'utf8',
		});
		expect({code: fast.code, stdout: fast.stdout, stderr: fast.stderr}).toEqual({
			code: full.status,
			stdout: full.stdout,
			stderr: full.stderr,
		});
		expect(fast.stdout).toContain('Usage: tui');
		if (!nodeCompileCache) expect(blobs(cache, 'v8-tui-fast-')).toHaveLength(1);
	});

	// Each of these must reach its command, not a left-out stub (plain forms run tui-script, the others tui-fast), and
	// behave like the full CLI.
	it.each([
		[['auth', 'status', '--json'], 1],
		[['auth', 'token'], 1],
		[['auth', 'env', '--shell', 'json'], 1],
		[['auth', 'env', '--shell', 'csh'], 2],
		[['auth', 'status', '--help'], 0],
		[['auth', 'token', 'nobody'], 2],
		// --sandbox after the command: the sandbox is in neither bundle, so these run the full CLI.
		[['auth', 'status', '--sandbox', '--json'], 1],
		[['onboard', '--sandbox', '--provider', 'openai', '--tier', 'nope'], 2],
	])('tui %j exits %i without an internal error', async (args, code) => {
		const home = temp('tui-cc-home-');
		const run = await runCli(['--home', home, ...args]);
		expect(run.stderr).not.toMatch(/internal|not in tui-|is not a function/);
		expect(run.code).toBe(code);
	});
});
