// Hostile things at state paths, against the built CLI: a FIFO, a socket or a folder where a state file belongs,
// and anything but a folder where a lock folder belongs. No command may hang; the other provider keeps working.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp-home.js';
import {runCli} from '../helpers/run-cli.js';

let root: string;
beforeAll(async () => {
	root = await tempDir('tui-stress-state-');
});

let count = 0;
const CLAUDE_KEY = 'sk-ant-test-state-files-canary-77aa';
const OPENAI_KEY = 'sk-test-state-files-canary-88bb';
const authJson = (id: string, key: string) =>
	`${JSON.stringify({version: 1, active: id, accounts: [{id, label: 'work', kind: 'api-key', key, createdAt: '2026-01-01T00:00:00.000Z'}]}, null, '\t')}\n`;

async function newHome(): Promise<string> {
	const home = path.join(root, `h${count++}`);
	await fs.mkdir(path.join(home, 'auth'), {recursive: true, mode: 0o700});
	await fs.writeFile(path.join(home, 'auth', 'claude.json'), authJson('ck', CLAUDE_KEY), {mode: 0o600});
	await fs.writeFile(path.join(home, 'auth', 'openai.json'), authJson('ok', OPENAI_KEY), {mode: 0o600});
	return home;
}

type Kind = 'fifo' | 'socket' | 'folder';
type Planted = {close(): Promise<void>};

async function plant(file: string, kind: Kind): Promise<Planted> {
	await fs.mkdir(path.dirname(file), {recursive: true, mode: 0o700});
	await fs.rm(file, {recursive: true, force: true});
	if (kind === 'fifo') execFileSync('mkfifo', ['-m', '600', file]);
	if (kind === 'folder') await fs.mkdir(file, {mode: 0o700});
	if (kind === 'socket') {
		const server = net.createServer((socket) => socket.destroy());
		await new Promise<void>((resolve) => server.listen(file, resolve));
		return {close: () => new Promise<void>((resolve) => server.close(() => resolve()))};
	}
	return {close: async () => {}};
}

async function timed<T>(run: () => Promise<T>): Promise<{result: T; ms: number}> {
	const started = performance.now();
	const result = await run();
	return {result, ms: performance.now() - started};
}

const STATE_PATHS = [
	'auth/openai.json',
	'auth/claude.json',
	'config.json',
	'usage/ledger.json',
	'usage/rate-limits.json',
	'usage/quota-cache.json',
	'sessions/openai.json',
	'sessions/claude.json',
];

describe('hostile files at state paths', () => {
	it('FIFO, socket and folder at every state path: auth status and quota answer within 2 s of a clean run, the other provider is reported', async () => {
		const clean = await newHome();
		// The baseline of this machine, now: the same commands on a clean home (after one warm-up run).
		await runCli(['--home', clean, 'auth', 'status', '--json']);
		const base = Math.max(
			(await timed(() => runCli(['--home', clean, 'auth', 'status', '--json']))).ms,
			(await timed(() => runCli(['--home', clean, 'quota', '--json']))).ms,
		);
		const problems: string[] = [];
		let worst = 0;
		for (const rel of STATE_PATHS) {
			for (const kind of ['fifo', 'socket', 'folder'] as const) {
				const home = await newHome();
				const file = path.join(home, rel);
				const planted = await plant(file, kind);
				try {
					for (const args of [
						['auth', 'status', '--json'],
						['quota', '--json'],
					]) {
						const {result, ms} = await timed(() => runCli(['--home', home, ...args], {timeoutMs: 30_000}));
						worst = Math.max(worst, ms - base);
						const where = `${rel} as ${kind}, ${args.join(' ')}`;
						if (ms > base + 2000) problems.push(`${where}: ${Math.round(ms)} ms (baseline ${Math.round(base)} ms)`);
						if (result.code !== 0 && result.code !== 1) problems.push(`${where}: exit ${result.code}`);
						const all = result.stdout + result.stderr;
						if (all.includes(CLAUDE_KEY) || all.includes(OPENAI_KEY)) problems.push(`${where}: a key was printed`);
						let json: any;
						try {
							json = JSON.parse(result.stdout);
						} catch {
							problems.push(`${where}: stdout is not JSON: ${result.stderr.slice(0, 200)}`);
							continue;
						}
						const other = rel.includes('openai') ? 'claude' : 'openai';
						if (args[0] === 'auth') {
							if (!json.providers[other].usable) problems.push(`${where}: ${other} not usable`);
						} else if (
							!json.providers
								.find((p: {provider: string}) => p.provider === other)
								?.accounts.some((a: {label: string}) => a.label === 'work')
						) {
							problems.push(`${where}: ${other} missing from quota`);
						}
						// An auth file in the wrong form is named, with what is there.
						if (args[0] === 'auth' && rel.startsWith('auth/') && !all.includes(`${file} is a`))
							problems.push(`${where}: the file is not named`);
					}
				} finally {
					await planted.close();
				}
			}
		}
		console.log(
			`hostile state files: ${STATE_PATHS.length * 3 * 2} runs, worst ${Math.round(worst)} ms over the clean baseline of ${Math.round(base)} ms`,
		);
		expect(problems).toEqual([]);
	});

	it('lock-path sweep: a file, FIFO, symlink or dangling symlink at a lock path is named with how to clear it, at once', async () => {
		const clean = await newHome();
		await runCli(['--home', clean, 'auth', 'switch', 'claude/work']);
		const base = (await timed(() => runCli(['--home', clean, 'auth', 'switch', 'claude/work']))).ms;
		const problems: string[] = [];
		let worst = 0;
		const locks: Array<{rel: string; args: string[]}> = [
			{rel: 'auth/claude.json.lock', args: ['auth', 'switch', 'claude/work']},
			{rel: 'auth/openai.json.lock', args: ['auth', 'logout', 'openai/work']},
			{rel: 'config.json.lock', args: ['auth', 'fallback', '--off']},
		];
		for (const {rel, args} of locks) {
			for (const kind of ['file', 'fifo', 'symlink', 'dangling symlink'] as const) {
				const home = await newHome();
				const lock = path.join(home, rel);
				if (kind === 'file') await fs.writeFile(lock, '');
				if (kind === 'fifo') execFileSync('mkfifo', [lock]);
				if (kind === 'symlink') await fs.symlink(path.join(home, 'auth', 'claude.json'), lock);
				if (kind === 'dangling symlink') await fs.symlink(path.join(home, 'nothing-here'), lock);
				const before = await fs.readFile(path.join(home, 'auth', 'openai.json'), 'utf8');
				const {result, ms} = await timed(() => runCli(['--home', home, ...args], {timeoutMs: 30_000}));
				worst = Math.max(worst, ms - base);
				const where = `${kind} at ${rel}, ${args.join(' ')}`;
				if (ms > base + 2000) problems.push(`${where}: ${Math.round(ms)} ms (baseline ${Math.round(base)} ms)`);
				if (result.code !== 1) problems.push(`${where}: exit ${result.code}`);
				const said = result.stderr.trim();
				if (said.split('\n').length !== 1) problems.push(`${where}: not one line: ${said}`);
				const what =
					kind === 'file'
						? 'a regular file'
						: kind === 'fifo'
							? 'a named pipe'
							: kind === 'symlink'
								? 'a symlink'
								: 'a dangling symlink';
				if (!said.includes(`${lock} is ${what}`) || !said.includes(`rm '${lock}'`)) problems.push(`${where}: ${said}`);
				if (said.includes('another tui process')) problems.push(`${where}: blames another process`);
				if ((await fs.readFile(path.join(home, 'auth', 'openai.json'), 'utf8')) !== before)
					problems.push(`${where}: openai.json changed`);
			}
		}
		console.log(
			`lock-path sweep: ${locks.length * 4} cases, worst ${Math.round(worst)} ms over the clean baseline of ${Math.round(base)} ms`,
		);
		expect(problems).toEqual([]);
	});
});
