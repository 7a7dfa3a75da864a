// resolveCredential() through the library face (dist/index.js): first call in a fresh process, and warm calls;
// and what a host pays in all, importing the screenless entry (dist/credentials.js) and calling it once.
// The library's core runs from a code cache its first host process writes (scripts/library-core.mjs): one untimed
// process first, as a user's first session; the first-ever call without it is a row of its own.
import {spawnSync} from 'node:child_process';
import {readdirSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {median} from './lib.mjs';
import {homeWithOpenAiLogin} from './fixtures.mjs';

const INDEX = pathToFileURL(path.resolve('dist/index.js')).href;
const CREDENTIALS = pathToFileURL(path.resolve('dist/credentials.js')).href;

// Import and first call, timed together (schemas are built on first use, so the split between them moves).
const IMPORT_AND_CALL = `
const t = performance.now();
const {resolveCredential} = await import(${JSON.stringify(CREDENTIALS)});
const first = await resolveCredential('openai', {home: process.argv[1], env: {}});
if (!first.usable) throw new Error('bench fixture did not resolve: ' + first.reason);
process.stdout.write(String(performance.now() - t));
`;

// Runs in the child: import first (not timed), then time the first call, then 1,000 more one by one.
const CHILD = `
const {resolveCredential} = await import(${JSON.stringify(INDEX)});
const home = process.argv[1];
const options = {home, env: {}};
let t = performance.now();
const first = await resolveCredential('openai', options);
const cold = performance.now() - t;
if (!first.usable || first.source !== 'file') throw new Error('bench fixture did not resolve: ' + first.reason);
// Warm means warm: let the JIT settle before timing.
for (let i = 0; i < 3000; i++) await resolveCredential('openai', options);
const warm = [];
for (let i = 0; i < ${1000}; i++) {
	t = performance.now();
	await resolveCredential('openai', options);
	warm.push(performance.now() - t);
}
process.stdout.write(JSON.stringify({cold, warm}));
`;

function child(script, home, env = {}) {
	const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, home], {
		encoding: 'utf8',
		env: {...process.env, ...env},
	});
	if (result.status !== 0) throw new Error(`credential bench child failed: ${result.stderr}`);
	return result.stdout;
}

function hasCoreCache() {
	const folder = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'tui');
	try {
		return readdirSync(folder).some((name) => name.startsWith('v8-library-core-'));
	} catch {
		return false;
	}
}

export default async function () {
	const home = homeWithOpenAiLogin();
	const colds = [];
	const firstEver = [];
	let warm = [];
	child(IMPORT_AND_CALL, home);
	if (!hasCoreCache()) throw new Error('the library wrote no code cache on its first run');
	for (let i = 0; i < 11; i++) {
		const parsed = JSON.parse(child(CHILD, home));
		colds.push(parsed.cold);
		if (i === 0) warm = parsed.warm;
		firstEver.push(JSON.parse(child(CHILD, home, {TUI_NO_CODE_CACHE: '1'})).cold);
	}
	const total = [];
	for (let i = 0; i < 11; i++) total.push(Number(child(IMPORT_AND_CALL, home)));
	const coldMs = median(colds);
	const warmUs = median(warm) * 1000;
	return [
		{
			name: 'resolveCredential() cold, first call in a fresh process (median of 11)',
			value: `${(coldMs * 1000).toFixed(0)} µs`,
			goal: '≤ 2 ms',
			check: {measured: coldMs, limit: 2},
		},
		{
			name: 'resolveCredential() cold on a first run (no code cache yet; median of 11)',
			value: `${(median(firstEver) * 1000).toFixed(0)} µs`,
		},
		{
			name: 'import of tui-auth/credentials and the first resolveCredential(), together (median of 11)',
			value: `${median(total).toFixed(1)} ms`,
		},
		{
			name: 'resolveCredential() warm (median of 1,000 calls after 3,000 untimed)',
			value: `${warmUs.toFixed(1)} µs`,
			goal: '≤ 50 µs',
			check: {measured: warmUs, limit: 50},
		},
	];
}
