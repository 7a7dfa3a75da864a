import {spawnSync} from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {CorruptFileError, TuiError} from '../../source/core/errors.js';
import {DEFAULT_PREFERENCES} from '../../source/core/schemas.js';
import {preferencesPath, readPreferences, updatePreferences} from '../../source/store/preferences.js';

let home: string;
beforeEach(async () => {
	home = await tempHome('tui-prefs-');
});

const modeOf = async (p: string) => (await fs.stat(p)).mode & 0o777;

describe('preferences', () => {
	it('defaults when config.json is missing, without creating it', async () => {
		expect(await readPreferences(home)).toEqual(DEFAULT_PREFERENCES);
		expect(await fs.readdir(home)).toEqual([]);
	});

	it('round-trips through conf: file 0600, home 0700 (tightened), values read back', async () => {
		await fs.chmod(home, 0o755);
		const saved = await updatePreferences(home, (p) => ({
			...p,
			activeProvider: 'claude',
			fallback: {...p.fallback, enabled: true, order: ['claude', 'openai']},
		}));
		expect(saved.fallback.enabled).toBe(true);
		expect(await modeOf(preferencesPath(home))).toBe(0o600);
		expect(await modeOf(home)).toBe(0o700);
		const read = await readPreferences(home);
		expect(read).toEqual(saved);
		expect(read.activeProvider).toBe('claude');
		expect(read.fallback.order).toEqual(['claude', 'openai']);
		expect(read.routing).toEqual(DEFAULT_PREFERENCES.routing);
		expect((await fs.readdir(home)).sort()).toEqual(['config.json']);
	});

	it('merges a partial file over the defaults', async () => {
		await fs.writeFile(preferencesPath(home), JSON.stringify({fallback: {enabled: true}, routing: {smallLines: 300}}));
		const prefs = await readPreferences(home);
		expect(prefs.fallback).toEqual({...DEFAULT_PREFERENCES.fallback, enabled: true});
		expect(prefs.routing).toEqual({...DEFAULT_PREFERENCES.routing, smallLines: 300});
	});

	it('tightens a looser existing config.json on read', async () => {
		await fs.writeFile(preferencesPath(home), '{}', {mode: 0o644});
		await fs.chmod(preferencesPath(home), 0o644);
		await readPreferences(home);
		expect(await modeOf(preferencesPath(home))).toBe(0o600);
	});

	it('an invalid value is a one-line error naming the key, and the file is kept', async () => {
		const text = JSON.stringify({fallback: {thresholdPercent: 150}});
		await fs.writeFile(preferencesPath(home), text);
		const error = await readPreferences(home).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TuiError);
		expect(error).not.toBeInstanceOf(CorruptFileError);
		expect((error as Error).message).toMatch(/^config\.json: fallback\.thresholdPercent must be at most 100/);
		expect((error as Error).message).not.toContain('\n');
		expect(await fs.readFile(preferencesPath(home), 'utf8')).toBe(text);

		await fs.writeFile(preferencesPath(home), JSON.stringify({fallback: {order: ['gemini']}}));
		await expect(readPreferences(home)).rejects.toThrow(
			/config\.json: fallback\.order\.0 must be one of "openai", "claude"/,
		);
		await fs.writeFile(preferencesPath(home), JSON.stringify({routing: {smallLines: 'many'}}));
		await expect(readPreferences(home)).rejects.toThrow(/config\.json: routing\.smallLines must be a number/);
		await fs.writeFile(preferencesPath(home), JSON.stringify({routing: {smallLines: 3000}}));
		await expect(readPreferences(home)).rejects.toThrow(
			/^config\.json: routing\.smallLines must be below routing\.mediumLines \(in /,
		);
	});

	it('updatePreferences refuses an invalid result, naming the key, and writes nothing', async () => {
		await expect(
			updatePreferences(home, (p) => ({...p, fallback: {...p.fallback, thresholdPercent: 0}})),
		).rejects.toThrow(/fallback\.thresholdPercent must be at least 1/);
		await expect(fs.stat(preferencesPath(home))).rejects.toThrow(/ENOENT/);
	});

	for (const [name, text] of Object.entries({
		empty: '',
		truncated: '{"fallback": {"enab',
		'NUL-filled': '\0'.repeat(512),
		'not an object': '[1,2]',
	})) {
		it(`a corrupt config.json (${name}) is moved aside 0600 and named with both paths`, async () => {
			const file = preferencesPath(home);
			await fs.writeFile(file, text, {mode: 0o644});
			const error = await readPreferences(home).catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(CorruptFileError);
			const corrupt = error as CorruptFileError;
			expect(corrupt.message).toContain(file);
			expect(corrupt.message).toContain(corrupt.quarantinedTo);
			expect(corrupt.message).not.toContain('Log in again');
			expect(await fs.readFile(corrupt.quarantinedTo, 'utf8')).toBe(text);
			expect(await modeOf(corrupt.quarantinedTo)).toBe(0o600);
			expect(await readPreferences(home)).toEqual(DEFAULT_PREFERENCES);
		});
	}

	it('concurrent updates in one process are serialised (none lost)', async () => {
		await Promise.all(
			Array.from({length: 8}, (_, n) =>
				updatePreferences(home, (p) => ({
					...p,
					budgets: {...p.budgets, [`openai/acct${n}`]: {maxCostPerDay: n + 1, alertPercents: [80, 95]}},
				})),
			),
		);
		expect(Object.keys((await readPreferences(home)).budgets).sort()).toEqual(
			Array.from({length: 8}, (_, n) => `openai/acct${n}`),
		);
	});

	it('the read path does not load conf or proper-lockfile', () => {
		const script = `
			const {readPreferences} = await import(${JSON.stringify(path.resolve('source/store/preferences.ts'))});
			const {readAuthFile} = await import(${JSON.stringify(path.resolve('source/store/auth-file.ts'))});
			await readPreferences(${JSON.stringify(home)});
			await readAuthFile(${JSON.stringify(home)}, 'openai');
			const {createRequire} = await import('node:module');
			const loaded = Object.keys(createRequire(import.meta.url).cache);
			console.log(JSON.stringify(loaded.filter((p) => /node_modules\\/(conf|proper-lockfile|graceful-fs|atomically|ajv)\\//.test(p))));
		`;
		const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
			encoding: 'utf8',
		});
		expect(result.stderr).toBe('');
		expect(JSON.parse(result.stdout)).toEqual([]);
	});
});
