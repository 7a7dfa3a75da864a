// Seat sessions with real child processes: each records itself; one is SIGKILLed and seen cleaned on read.
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {selectProvider} from '../../source/core/selection.js';
import {DEFAULT_PREFERENCES} from '../../source/core/schemas.js';
import {
	beginSession,
	countSessions,
	endSession,
	listSessions,
	seatSessions,
	sessionsDir,
	sessionsPath,
	sessionState,
} from '../../source/store/sessions.js';

const WORKER = fileURLToPath(new URL('./fixtures/session-worker.ts', import.meta.url));

let home: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
	home = await tempHome('tui-sessions-');
});
afterEach(async () => {
	for (const child of children.splice(0))
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	await fs.rm(home, {recursive: true, force: true});
});

/** Starts a worker and resolves once it has recorded its session. */
function startWorker(accountId: string, provider: 'openai' | 'claude' = 'openai'): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', WORKER, home, provider, accountId], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.push(child);
	let stderr = '';
	child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
	return new Promise((resolve, reject) => {
		child.stdout!.setEncoding('utf8').on('data', (c: string) => {
			if (c.includes('ready')) resolve(child);
		});
		child.on('exit', (code) => reject(new Error(`worker exited ${code}: ${stderr}`)));
	});
}

/** Resolves when the child is gone and reaped (a zombie would still answer kill(pid, 0)). */
const exited = (child: ChildProcess) =>
	new Promise<void>((resolve) =>
		child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
	);

describe('seat sessions', () => {
	it('counts live sessions per account across processes, and cleans a SIGKILLed one on read', async () => {
		const workers = await Promise.all([
			startWorker('acc_a'),
			startWorker('acc_a'),
			startWorker('acc_a'),
			startWorker('acc_b'),
		]);
		expect(await countSessions(home, 'openai', 'acc_a')).toBe(3);
		expect(await countSessions(home, 'openai', 'acc_b')).toBe(1);
		expect(await countSessions(home, 'claude', 'acc_a')).toBe(0);
		const entries = await listSessions(home, 'openai', 'acc_a');
		expect(entries.map((e) => e.pid).sort()).toEqual(
			workers
				.slice(0, 3)
				.map((w) => w.pid)
				.sort(),
		);
		for (const e of entries) expect(Date.now() - e.startedAt).toBeLessThan(60_000);
		expect((await fs.stat(sessionsDir(home))).mode & 0o777).toBe(0o700);
		expect((await fs.stat(sessionsPath(home, 'openai'))).mode & 0o777).toBe(0o600);

		const victim = workers[1]!;
		victim.kill('SIGKILL');
		await exited(victim);
		// The dead entry is still on disk until someone reads…
		expect(await fs.readFile(sessionsPath(home, 'openai'), 'utf8')).toContain(`"pid": ${victim.pid}`);
		expect(await countSessions(home, 'openai', 'acc_a')).toBe(2);
		// …and the read wrote the cleaned list back.
		expect(await fs.readFile(sessionsPath(home, 'openai'), 'utf8')).not.toContain(`"pid": ${victim.pid}`);

		// SIGTERM: the worker ends its own session.
		const polite = workers[0]!;
		polite.kill('SIGTERM');
		await exited(polite);
		expect(polite.exitCode).toBe(0);
		expect(await countSessions(home, 'openai', 'acc_a')).toBe(1);
	});

	it('loses no update when many processes begin at once (the lock serialises them)', async () => {
		const workers = await Promise.all(Array.from({length: 6}, () => startWorker('acc_busy')));
		expect(await countSessions(home, 'openai', 'acc_busy')).toBe(workers.length);
	});

	it('begin is idempotent per pid; end removes only that pid', async () => {
		await beginSession(home, 'claude', 'acc_x', {now: 1000});
		await beginSession(home, 'claude', 'acc_x', {now: 2000});
		expect(await listSessions(home, 'claude', 'acc_x')).toEqual([
			{accountId: 'acc_x', pid: process.pid, startedAt: 1000},
		]);
		expect(await endSession(home, 'claude', 'acc_x', {pid: 999_999_999})).toBe(false);
		expect(await endSession(home, 'claude', 'acc_x')).toBe(true);
		expect(await countSessions(home, 'claude', 'acc_x')).toBe(0);
	});

	it('turns counts and maxConcurrentSessions into the selection input, and a full seat blocks', async () => {
		const prefs = {
			...DEFAULT_PREFERENCES,
			budgets: {'openai/acc_a': {alertPercents: [80, 95], maxConcurrentSessions: 2}},
		};
		expect(seatSessions(1, prefs, 'openai', 'acc_a')).toEqual({running: 1, max: 2});
		expect(seatSessions(5, prefs, 'openai', 'acc_other')).toEqual({running: 5});
		await startWorker('acc_a');
		await startWorker('acc_a');
		const sessions = await sessionState(home, prefs, 'openai', 'acc_a');
		expect(sessions).toEqual({running: 2, max: 2});
		const decision = selectProvider({
			now: Date.now(),
			preferences: {activeProvider: 'openai', fallback: DEFAULT_PREFERENCES.fallback},
			providers: {openai: {usable: true, source: 'file', accountId: 'acc_a', sessions}},
		});
		expect(decision.ok).toBe(false);
		expect(decision.trail.find((s) => s.check === 'sessions')).toMatchObject({result: 'fail'});
	});
});
