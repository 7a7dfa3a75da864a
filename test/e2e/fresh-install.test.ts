// A newcomer's install: a fresh clone, an empty HOME, no user npm config, no compiler allowed. `npm ci` alone
// must leave a working `node dist/cli.cjs` (the README's set-up commands).
import {spawnSync} from 'node:child_process';
import {rm, writeFile, chmod, access} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp-home.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const work: string[] = [];
afterAll(async () => {
	for (const dir of work) await rm(dir, {recursive: true, force: true});
});

describe('a fresh clone', () => {
	it('installs with no user npm config and no node-gyp, builds on install, and runs --help', async () => {
		const dir = await tempDir('tui-fresh-');
		work.push(dir);
		const clone = path.join(dir, 'clone');
		const home = path.join(dir, 'home');
		const guard = path.join(dir, 'guard');
		expect(spawnSync('git', ['clone', '-q', ROOT, clone]).status).toBe(0);
		spawnSync('mkdir', ['-p', home, guard]);
		const marker = path.join(dir, 'node-gyp-ran');
		await writeFile(path.join(guard, 'node-gyp'), `#!/bin/sh\ntouch ${marker}\nexit 1\n`);
		await chmod(path.join(guard, 'node-gyp'), 0o755);
		const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], {
			cwd: clone,
			encoding: 'utf8',
			env: {
				PATH: `${guard}:${process.env.PATH ?? '/usr/bin:/bin'}`,
				HOME: home,
				NPM_CONFIG_USERCONFIG: '/dev/null',
				npm_config_node_gyp: path.join(guard, 'node-gyp'),
				// The package cache only, so the test does not download the registry again; no settings come with it.
				npm_config_cache: process.env.npm_config_cache ?? path.join(process.env.HOME ?? '/root', '.npm'),
				npm_config_update_notifier: 'false',
			},
			timeout: 280_000,
		});
		expect(install.status, install.stderr).toBe(0);
		await expect(access(marker)).rejects.toThrow();
		const help = spawnSync(process.execPath, ['dist/cli.cjs', '--help'], {
			cwd: clone,
			encoding: 'utf8',
			env: {PATH: process.env.PATH ?? '', HOME: home},
		});
		expect(help.status).toBe(0);
		expect(help.stdout).toContain('Usage: tui');
		expect(help.stdout).toContain('auth');
	}, 300_000);
});
