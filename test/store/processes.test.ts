// Real processes against one auth file: no lost updates, and no torn file after SIGKILL at random moments.
import fs from 'node:fs/promises';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {authFilePath, readAuthFile} from '../../source/store/auth-file.js';
import {readPreferences} from '../../source/store/preferences.js';
import {lockPathOf} from '../../source/store/lock.js';
import {crashVersion} from './fixtures/crash-version.js';
import {runWorker, startWorker} from './fixtures/run-worker.js';
import {waitForExit, waitForLine} from '../helpers/wait.js';

let home: string;
beforeEach(async () => {
	home = await tempHome('tui-procs-');
});

describe('many processes, one auth file', () => {
	it('20 processes adding accounts at once lose none', async () => {
		const processes = 20;
		const each = 3;
		await Promise.all(Array.from({length: processes}, (_, p) => runWorker(['add', home, `p${p}`, String(each)])));
		const file = await readAuthFile(home, 'openai');
		const labels = file.accounts.map((a) => a.label).sort();
		const expected = Array.from({length: processes}, (_, p) => Array.from({length: each}, (_, n) => `p${p}-${n}`))
			.flat()
			.sort();
		expect(labels).toEqual(expected);
		expect(new Set(file.accounts.map((a) => a.id)).size).toBe(processes * each);
		expect((await fs.readdir(path.join(home, 'auth'))).sort()).toEqual(['openai.json']);
	}, 60_000);

	it('4 processes updating preferences at once lose none (conf has no lock of its own)', async () => {
		await Promise.all(Array.from({length: 4}, (_, p) => runWorker(['prefs', home, `p${p}`, '2'])));
		const keys = Object.keys((await readPreferences(home)).budgets).sort();
		expect(keys).toEqual(
			Array.from({length: 4}, (_, p) => [`openai/p${p}-0`, `openai/p${p}-1`])
				.flat()
				.sort(),
		);
		expect((await fs.stat(path.join(home, 'config.json'))).mode & 0o777).toBe(0o600);
	}, 60_000);

	it('a writer SIGKILLed at random moments during 200 writes never leaves a torn file', async () => {
		const file = authFilePath(home, 'openai');
		const versionOf = (text: string): number => {
			const parsed = JSON.parse(text) as ReturnType<typeof crashVersion>;
			const key = parsed.accounts[0]?.kind === 'api-key' ? parsed.accounts[0].key : '';
			const k = Number(key.slice(1, key.indexOf('-')));
			// Exactly one of the versions the writer writes, byte for byte in meaning.
			expect(parsed).toEqual(crashVersion(k));
			return k;
		};
		let last = 0;
		let kills = 0;
		let reads = 0;
		// The next writer loads while the current one writes, so that start-up time does not dominate.
		const warm = () => {
			const child = startWorker(['write-loop', home, 'wait']);
			return {child, ready: waitForLine(child, /^ready$/)};
		};
		let next = warm();
		try {
			while (last < 200) {
				const writer = next;
				await writer.ready;
				const writing = waitForLine(writer.child, /^writing$/);
				writer.child.stdin.write('go\n');
				await writing;
				next = warm();
				// Read continuously while it writes a random number of versions, then kill it at a random instant
				// (a random delay into the following writes), whatever the machine's speed.
				const target = last + 5 + Math.floor(Math.random() * 35);
				let killAt = Number.POSITIVE_INFINITY;
				while (Date.now() < killAt) {
					if (writer.child.exitCode !== null)
						throw new Error(`writer exited with ${writer.child.exitCode} before it was killed`);
					const k = versionOf(await fs.readFile(file, 'utf8'));
					expect(k).toBeGreaterThanOrEqual(last);
					last = k;
					reads++;
					if (k >= target && killAt === Number.POSITIVE_INFINITY) killAt = Date.now() + Math.random() * 20;
				}
				writer.child.kill('SIGKILL');
				await waitForExit(writer.child);
				kills++;
				const k = versionOf(await fs.readFile(file, 'utf8'));
				expect(k).toBeGreaterThanOrEqual(last);
				last = k;
				// The dead writer's lock would be taken over after its stale window (lock.test.ts proves that);
				// remove it here so that the test does not spend that window on every kill.
				await fs.rm(lockPathOf(file), {recursive: true, force: true});
			}
			expect(kills).toBeGreaterThan(1);
			expect(reads).toBeGreaterThan(kills);
			// The real reader also parses it, and the file is still private.
			expect((await readAuthFile(home, 'openai')).accounts).toHaveLength(1);
			expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
			// Temp files of killed writers are swept by the next write (at most the last kill's may remain).
			await next.ready;
			const writing = waitForLine(next.child, /^writing$/);
			next.child.stdin.write('go\n');
			await writing;
			next.child.kill('SIGKILL');
			await waitForExit(next.child);
			const left = (await fs.readdir(path.dirname(file))).filter((name) => name.includes('.tmp-'));
			expect(left.length).toBeLessThanOrEqual(1);
		} finally {
			next.child.kill('SIGKILL');
			await waitForExit(next.child);
		}
	}, 60_000);
});
