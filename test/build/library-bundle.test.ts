// The built library as a host imports it: dist/credentials.js (screenless) and dist/index.js, each in a fresh
// Node process, resolving a stored API key and an environment key. Guards the library build (split chunks, its
// own copy of zod, builtins loaded on use), which the unit tests, running the sources, never see.
import {spawnSync} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {expect, it} from 'vitest';
import {tempDirSync} from '../helpers/temp-home.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const KEY = 'sk-library-bundle-0123456789';

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

function host(entry: string, home: string): {claude: unknown; openai: unknown; exports: string[]} {
	const script = `
const lib = await import(${JSON.stringify(pathToFileURL(path.join(DIST, entry)).href)});
const claude = await lib.resolveCredential('claude', {home: process.argv[1], env: {}});
const openai = await lib.resolveCredential('openai', {home: process.argv[1], env: {OPENAI_API_KEY: 'sk-env-key-0123456789'}});
process.stdout.write(JSON.stringify({claude, openai, exports: Object.keys(lib)}));`;
	const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, home], {encoding: 'utf8'});
	expect(run.stderr).toBe('');
	expect(run.status).toBe(0);
	return JSON.parse(run.stdout) as {claude: unknown; openai: unknown; exports: string[]};
}

for (const entry of ['credentials.js', 'index.js'])
	it(`dist/${entry} resolves a stored key and an environment key in a fresh process`, () => {
		const result = host(entry, homeWithClaudeKey());
		expect(result.claude).toMatchObject({usable: true, source: 'file', secret: KEY, account: {label: 'work'}});
		expect(result.openai).toMatchObject({usable: true, source: 'env', envVar: 'OPENAI_API_KEY'});
		expect(result.exports).toEqual(expect.arrayContaining(['resolveCredential', 'selectProvider', 'recordUsage']));
		if (entry === 'index.js') expect(result.exports).toEqual(expect.arrayContaining(['OnboardingWizard']));
	});
