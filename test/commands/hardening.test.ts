// Hardening against the built CLI: a home the user locked, a key pasted into an argument, escapes in argv.
import fs from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {runCli} from '../helpers/run-cli.js';

let home: string;
beforeEach(async () => {
	home = await tempHome('tui-hardening-');
	await fs.mkdir(path.join(home, 'auth'), {mode: 0o700});
	const accounts = ['work', 'two'].map((label) => ({
		id: label,
		label,
		kind: 'api-key',
		key: `sk-ant-test-${label}-0000000000`,
		createdAt: '2026-01-01T00:00:00.000Z',
	}));
	await fs.writeFile(path.join(home, 'auth', 'claude.json'), JSON.stringify({version: 1, active: 'work', accounts}), {
		mode: 0o600,
	});
});
afterEach(async () => {
	await fs.chmod(home, 0o700).catch(() => {});
	await fs.rm(home, {recursive: true, force: true});
});

const mode = async (p: string) => ((await fs.stat(p)).mode & 0o777).toString(8);

describe('a home the user made read-only', () => {
	it('is never loosened: reads work, every write is refused with one line that says so, nothing changes', async () => {
		await fs.chmod(home, 0o500);
		const before = await fs.readFile(path.join(home, 'auth', 'claude.json'), 'utf8');
		const status = await runCli(['--home', home, 'auth', 'status', '--json']);
		expect(JSON.parse(status.stdout).providers.claude.usable).toBe(true);
		for (const args of [
			['auth', 'switch', 'claude/two'],
			['auth', 'fallback', '--off'],
		]) {
			const result = await runCli(['--home', home, ...args]);
			expect(result.code, args.join(' ')).toBe(1);
			expect(result.stderr).toBe(
				`tui: ${home} is read-only (mode 500), so tui wrote nothing there; to allow it: chmod 700 '${home}', or use another --home\n`,
			);
		}
		// The key is not sent to the provider: the refusal comes before any request (no "offline?").
		const login = await runCli(['--home', home, 'auth', 'login', '--provider', 'openai', '--with-api-key'], {
			input: 'sk-test-readonly-home-0000000\n',
		});
		expect(login.code).toBe(1);
		expect(login.stderr).toMatch(/is read-only \(mode 500\)/);
		expect(await mode(home)).toBe('500');
		expect(await fs.readFile(path.join(home, 'auth', 'claude.json'), 'utf8')).toBe(before);
	});

	it('a home that is too open is tightened to 0700 on the next write', async () => {
		await fs.chmod(home, 0o755);
		expect((await runCli(['--home', home, 'auth', 'switch', 'claude/two'])).code).toBe(0);
		expect(await mode(home)).toBe('700');
	});
});

describe('a key pasted into an argument', () => {
	it('is neither used nor shown, whichever argument it lands in', async () => {
		const key = 'sk-test-pastedkey0123456789abcdef';
		for (const args of [
			['auth', 'switch', `openai/${key}`],
			['auth', 'logout', key],
			['auth', 'login', '--provider', 'openai', `--label=${key}`],
			['auth', 'token', 'sk-ant-api03-pasted-0123456789'],
			['auth', 'rotate', `claude/${key}`, '--with-api-key'],
		]) {
			const result = await runCli(['--home', home, ...args]);
			expect(result.code, args.join(' ')).toBe(2);
			expect(result.stderr).toBe(
				'tui: that looks like an API key; it was not used or shown. Pass keys on stdin (--with-api-key), never as an argument\n',
			);
			expect(result.stdout).toBe('');
		}
	});

	it('labels and ids are still accepted as arguments', async () => {
		expect((await runCli(['--home', home, 'auth', 'switch', 'claude/two'])).code).toBe(0);
	});
});

describe('escapes in arguments', () => {
	it('an unknown option carrying escapes and bidi overrides is reported without them', async () => {
		const result = await runCli(['--home', home, 'auth', 'status', '--\u001B]0;pwned\u0007\u202Ex']);
		expect(result.code).toBe(2);
		expect(result.stderr).not.toMatch(/[\u001B\u0007\u202E]/);
	});
});

describe('a damaged file set aside', () => {
	it('is named by every later command (auth status, tui, quota --line, auth fallback) until the user deletes it', async () => {
		await fs.writeFile(path.join(home, 'auth', 'openai.json'), '{"version": 1, "accounts": [', {mode: 0o600});
		const config = {
			fallback: {enabled: false, order: ['openai', 'claude'], triggers: ['quota'], thresholdPercent: 95},
			routing: {smallLines: 500, mediumLines: 2000, tokensPerLine: 4},
			onboardingCompletedAt: '2026-01-01T00:00:00.000Z',
		};
		await fs.writeFile(path.join(home, 'config.json'), JSON.stringify(config), {mode: 0o600});
		// The command that finds it moves it aside and says where.
		const first = await runCli(['--home', home, 'quota', '--line']);
		const copies = (await fs.readdir(path.join(home, 'auth'))).filter((n) => n.startsWith('openai.json.corrupt-'));
		expect(copies).toHaveLength(1);
		const copy = path.join(home, 'auth', copies[0]!);
		expect(first.stderr).toContain(copy);
		const warning = `${copy} is a damaged file tui set aside; check it for anything you need, then delete it (rm '${copy}')`;
		const status = await runCli(['--home', home, 'auth', 'status']);
		expect(status.stdout).toContain(`warning: ${warning}`);
		expect(JSON.parse((await runCli(['--home', home, 'auth', 'status', '--json'])).stdout).warnings).toContain(warning);
		expect((await runCli(['--home', home])).stdout).toContain(`Warning: ${warning}`);
		for (const args of [
			['quota', '--line'],
			['auth', 'fallback'],
			['auth', 'switch', 'claude/two'],
		]) {
			expect((await runCli(['--home', home, ...args])).stderr, args.join(' ')).toContain(`tui: warning: ${warning}`);
		}
		await fs.rm(copy);
		const after = await runCli(['--home', home, 'auth', 'status']);
		expect(after.stdout + after.stderr).not.toContain('corrupt');
		expect((await runCli(['--home', home, 'quota', '--line'])).stderr).toBe('');
	});
});
