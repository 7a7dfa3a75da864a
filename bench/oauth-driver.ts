// Run by oauth.bench.mjs with `node --import tsx`: the sandbox in-process (for its counters), real logins through
// the login engine, and 20 real processes refreshing one expired token through dist/index.js. Prints one JSON line.
import {spawn} from 'node:child_process';
import {mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {pathToFileURL} from 'node:url';
import {startSandbox} from '../source/sandbox/server.js';
import {startLogin} from '../source/oauth/login.js';
import {updateAuthFile} from '../source/store/auth-file.js';
import {completeSandboxLoginWithoutBrowser} from '../test/helpers/sandbox-login.js';

const LOGINS = Number(process.argv[2] ?? 20);
const PROCESSES = Number(process.argv[3] ?? 20);
const INDEX = pathToFileURL(resolve('dist/index.js')).href;

const sandbox = await startSandbox({});
try {
	// Callback received → tokens stored: the browser step is the cookie-jar walk, started by openBrowser.
	const callbackToStored: number[] = [];
	let lastHome = '';
	for (let i = 0; i < LOGINS; i++) {
		const home = await mkdtemp(join(tmpdir(), 'tui-bench-login-'));
		let callbackAt = 0;
		let storedAt = 0;
		let walk: Promise<unknown> = Promise.resolve();
		const handle = await startLogin('openai', {
			method: 'browser',
			env: sandbox.env,
			home,
			openBrowser: async (url) => {
				walk = completeSandboxLoginWithoutBrowser(url);
				return true;
			},
			onEvent: (event) => {
				if (event.type === 'callback') callbackAt = performance.now();
				if (event.type === 'stored') storedAt = performance.now();
			},
		});
		await handle.done;
		await walk;
		if (!callbackAt || !storedAt) throw new Error('login finished without callback and stored events');
		callbackToStored.push(storedAt - callbackAt);
		lastHome = home;
	}

	// 20 processes, one expired token: all start, wait at a barrier, then resolve at once.
	const home = lastHome;
	await updateAuthFile(home, 'openai', (file) => ({
		file: {
			...file,
			accounts: file.accounts.map((a) =>
				a.kind === 'oauth' ? {...a, tokens: {...a.tokens, expiresAt: Date.now() - 1000}} : a,
			),
		},
		result: undefined,
	}));
	const before = sandbox.stats.refreshRequests;
	const child = `
const {resolveCredential} = await import(${JSON.stringify(INDEX)});
process.stdout.write('ready\\n');
process.stdin.once('data', async () => {
	const resolved = await resolveCredential('openai', {home: process.argv[1], env: JSON.parse(process.argv[2])});
	process.stdout.write(JSON.stringify({usable: resolved.usable, secret: resolved.secret ?? null, reason: resolved.reason}) + '\\n');
	process.exit(0);
});`;
	const children = Array.from({length: PROCESSES}, () =>
		spawn(process.execPath, ['--input-type=module', '-e', child, home, JSON.stringify(sandbox.env)], {
			stdio: ['pipe', 'pipe', 'inherit'],
		}),
	);
	const outputs = children.map((proc) => {
		let out = '';
		proc.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
		return {
			ready: new Promise<void>((ok) => proc.stdout!.on('data', () => out.includes('ready') && ok())),
			done: new Promise<string>((ok) => proc.once('exit', () => ok(out))),
		};
	});
	await Promise.all(outputs.map((o) => o.ready));
	const go = performance.now();
	for (const proc of children) proc.stdin!.write('go\n');
	const results = (await Promise.all(outputs.map((o) => o.done))).map(
		(out) => JSON.parse(out.split('\n')[1]!) as {usable: boolean; secret: string | null; reason: string},
	);
	const wallMs = performance.now() - go;
	const secrets = new Set(results.map((r) => r.secret));
	process.stdout.write(
		`${JSON.stringify({
			callbackToStored,
			refresh: {
				requests: sandbox.stats.refreshRequests - before,
				wallMs,
				allUsable: results.every((r) => r.usable),
				distinctTokens: secrets.size,
				processes: PROCESSES,
			},
		})}\n`,
	);
} finally {
	await sandbox.close();
}
