// Check 1: 1000 SIGKILLs of real writer processes (auth file, usage ledger, config.json) at random instants
// leave every file as a whole version, never torn. Check 10: private modes under umask 000 and 022.
import fs from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp-home.js';
import {authFileSchema, DEFAULT_PREFERENCES, preferencesShape, type Preferences} from '../../source/core/schemas.js';
import {parseShape} from '../../source/core/shape.js';
import {authFilePath} from '../../source/store/auth-file.js';
import {lockPathOf} from '../../source/store/lock.js';
import {preferencesPath} from '../../source/store/preferences.js';
import {dayKey, ledgerPath, ledgerSchema} from '../../source/store/usage-ledger.js';
import {killHard, startWorker, removeWorkerBundle, workerBundle, type Worker} from './fixtures/bundle.js';
import {waitForLine} from '../helpers/wait.js';
import {authVersion, LEDGER_CALL, prefsVersion} from './fixtures/versions.js';

const KILLS = 1000;
let root: string;
beforeAll(async () => {
	root = await tempDir('tui-stress-crash-');
	await workerBundle();
});
afterAll(async () => {
	await removeWorkerBundle();
	await fs.rm(root, {recursive: true, force: true});
});

type Lane = {
	readonly name: string;
	readonly file: string;
	readonly args: readonly string[];
	/** Parses the file and returns its version number; throws if it is not exactly one whole version. */
	readonly version: (text: string) => number;
};

function lanes(home: string, at: number): Lane[] {
	const day = dayKey(at);
	return [
		{
			name: 'auth',
			file: authFilePath(home, 'openai'),
			args: ['write-auth', home],
			version(text) {
				const parsed = parseShape(authFileSchema, JSON.parse(text));
				const key = parsed.accounts[0]?.kind === 'api-key' ? parsed.accounts[0].key : '';
				const k = Number(key.slice(1, key.indexOf('-')));
				expect(parsed).toEqual(authVersion(k));
				return k;
			},
		},
		{
			name: 'ledger',
			file: ledgerPath(home),
			args: ['write-ledger', home, String(at)],
			version(text) {
				const ledger = ledgerSchema.parse(JSON.parse(text));
				const totals = ledger.days[day]?.['openai/crash'];
				const n = totals?.calls ?? -1;
				const whole = {
					inputTokens: LEDGER_CALL.inputTokens * n,
					outputTokens: LEDGER_CALL.outputTokens * n,
					costUsd: 0,
					calls: n,
					unpricedCalls: n,
				};
				expect(totals).toEqual({...whole, models: {[LEDGER_CALL.model]: whole}});
				return n;
			},
		},
		{
			name: 'config',
			file: preferencesPath(home),
			args: ['write-prefs', home],
			version(text) {
				const stored = JSON.parse(text) as Preferences;
				parseShape(preferencesShape, stored);
				const k = stored.budgets['openai/crash']?.maxCostPerDay ?? -1;
				expect(stored).toEqual(prefsVersion(structuredClone(DEFAULT_PREFERENCES), k));
				return k;
			},
		},
	];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash safety', () => {
	it(`${KILLS} random SIGKILLs of writers leave every file old or new`, async () => {
		const home = path.join(root, 'crash');
		await fs.mkdir(home, {mode: 0o700});
		const at = Date.now();
		let kills = 0;
		let intact = 0;
		const failures: string[] = [];
		const started = Date.now();
		const runLane = async (lane: Lane) => {
			let last = 0;
			const standby = () => startWorker(lane.args).then(async (child) => (await waitForLine(child, /^ready$/), child));
			let next = standby();
			try {
				while (kills < KILLS) {
					const writer: Worker = await next;
					writer.stdin.write('go\n');
					await waitForLine(writer, /^writing$/);
					next = standby();
					// A random instant into the following writes.
					await sleep(Math.random() * 25);
					if (writer.exitCode !== null) throw new Error(`${lane.name} writer exited by itself: ${writer.stderrText()}`);
					await killHard(writer);
					if (kills >= KILLS) break;
					kills++;
					try {
						const k = lane.version(await fs.readFile(lane.file, 'utf8'));
						if (k < last) throw new Error(`went back from version ${last} to ${k}`);
						last = k;
						intact++;
					} catch (error) {
						failures.push(`${lane.name} after kill ${kills}: ${(error as Error).message.slice(0, 300)}`);
					}
					// The dead writer's lock would be taken over after its stale window (check 3 and lock.test.ts prove
					// that); remove it so that the run does not spend that window on every kill.
					await fs.rm(lockPathOf(lane.file), {recursive: true, force: true});
				}
			} finally {
				await killHard(await next);
			}
			return last;
		};
		const finals = await Promise.all(lanes(home, at).map(runLane));
		// Temp files the killed writers left behind: each write sweeps them under the lock, so only the last kill's remain.
		const leftovers = async (dir: string, file: string) =>
			(await fs.readdir(dir)).filter(
				(n) => (n !== file && n.startsWith(`.${file}`)) || (n.startsWith(file) && n !== file && !n.endsWith('.lock')),
			).length;
		const left = [
			await leftovers(path.join(home, 'auth'), 'openai.json'),
			await leftovers(path.join(home, 'usage'), 'ledger.json'),
			await leftovers(home, 'config.json'),
		];
		const temps = `temps left: auth ${left[0]}, ledger ${left[1]}, config ${left[2]}`;
		for (const count of left) expect(count).toBeLessThanOrEqual(2);
		console.log(
			`crash safety: ${intact}/${kills} (auth v${finals[0]}, ledger ${finals[1]} calls, config v${finals[2]}; ${temps}; ${Math.round((Date.now() - started) / 1000)} s)`,
		);
		expect(failures).toEqual([]);
		expect(kills).toBe(KILLS);
		expect(intact).toBe(KILLS);
		// Every lane really wrote many versions across its kills.
		for (const final of finals) expect(final).toBeGreaterThan(KILLS / 6);
	});
});

describe('permissions', () => {
	for (const umask of ['000', '022']) {
		it(`umask ${umask}: folders 0700 and files 0600, lock folders and quarantine copies included`, async () => {
			const home = path.join(root, `modes-${umask}`, 'home');
			await fs.mkdir(path.dirname(home));
			const worker = await startWorker(['modes', home, umask]);
			const line = await waitForLine(worker, /^\{/);
			const modes = JSON.parse(line) as Record<string, string>;
			const entries = Object.entries(modes);
			const names = Object.keys(modes);
			// All kinds are present: the four data files, their quarantine copies, the lock folders, the folders.
			for (const wanted of [
				/^auth\/claude\.json$/,
				/^config\.json$/,
				/^usage\/ledger\.json$/,
				/^usage\/rate-limits\.json$/,
				/^auth\/openai\.json\.corrupt-/,
				/^config\.json\.corrupt-/,
				/^usage\/ledger\.json\.corrupt-/,
				/^authLock$/,
				/^configLock$/,
				/^ledgerLock$/,
				/^auth$/,
				/^usage$/,
				/^\.$/,
			]) {
				expect(
					names.some((n) => wanted.test(n)),
					`${wanted} in ${names.join(', ')}`,
				).toBe(true);
			}
			const wrong = entries.filter(
				([n, mode]) => mode !== (n.endsWith('Lock') || mode.startsWith('d') ? 'd700' : 'f600'),
			);
			console.log(`permissions umask ${umask}: ${entries.length - wrong.length}/${entries.length} private`);
			expect(wrong).toEqual([]);
		});
	}
});
