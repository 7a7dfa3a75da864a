// A host app that imports only the built package ("tui-auth") runs a session: select, resolve, record, read quota.
import {spawn} from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {runCli} from '../helpers/run-cli.js';
import {startTestSandbox} from '../helpers/sandbox.js';
import {clockEnv} from '../helpers/clock-env.js';

const HOST = fileURLToPath(new URL('./fixtures/host-session.mjs', import.meta.url));

function runHost(
	home: string,
	env: Record<string, string>,
): Promise<{code: number | null; stdout: string; stderr: string}> {
	const child = spawn(process.execPath, [HOST, home], {
		env: {PATH: process.env.PATH ?? '', HOME: home, ...clockEnv(), ...env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
	child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
	return new Promise((resolve) => child.on('close', (code) => resolve({code, stdout, stderr})));
}

describe('the library face, as a host app uses it', () => {
	it('selects, resolves, records usage and rate limits, and reads them back as quota', async () => {
		const sandbox = await startTestSandbox();
		const home = await tempHome('tui-host-');
		const key = `sk-sandbox-host-${Date.now()}`;
		const login = await runCli(
			['--home', home, 'auth', 'login', '--provider', 'claude', '--with-api-key', '--label', 'work'],
			{env: sandbox.env, input: `${key}\n`},
		);
		expect(login.code, login.stderr).toBe(0);

		const host = await runHost(home, {...sandbox.env, EXPECTED_SECRET: key});
		expect(host.code, host.stderr).toBe(0);
		expect(host.stderr).not.toContain(key);
		const result = JSON.parse(host.stdout.trim());
		expect(result).toMatchObject({
			provider: 'claude',
			source: 'file',
			usable: true,
			status: 200,
			secretMatches: true,
			hasRateLimits: true,
		});
		expect(result.trail).toBeGreaterThan(0);
		expect(result.spendUsd).toBeCloseTo(result.expectedUsd, 6);
		expect(result.expectedUsd).toBeCloseTo(0.6, 6);
	});
});
