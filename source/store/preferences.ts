// <home>/config.json: preferences. Read with plain fs and checked as a plain shape (hot path of `tui auth status`);
// written through conf, which is imported only when writing, under a cross-process lock.
import fs from 'node:fs/promises';
import path from 'node:path';
import {CorruptFileError, TuiError} from '../core/errors.js';
import {DEFAULT_PREFERENCES, preferencesShape, type Preferences} from '../core/schemas.js';
import {checkShape, type ShapeIssue} from '../core/shape.js';
import {heldLock, type LockContext} from './lock-context.js';
import type {LockOptions} from './lock.js';
import {
	describeUnparseable,
	ensurePrivateDir,
	fsyncDir,
	latestQuarantine,
	quarantineFile,
	readPrivateFile,
	sweepTempsUnderLock,
} from './secure-fs.js';

export function preferencesPath(home: string): string {
	return path.join(home, 'config.json');
}

/** config.json was unreadable and has been moved aside; preferences start again from the defaults. */
export class CorruptConfigError extends CorruptFileError {
	constructor(file: string, quarantinedTo: string, reason: string) {
		super(file, quarantinedTo, reason);
		this.message = `${file} is corrupt (${reason}); moved it to ${quarantinedTo}. Preferences are back to their defaults.`;
		this.name = 'CorruptConfigError';
	}
}

type PlainObject = Record<string, unknown>;
const isPlainObject = (value: unknown): value is PlainObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** Stored values over the defaults, object by object; arrays and scalars replace. */
function mergeOver(defaults: PlainObject, stored: PlainObject): PlainObject {
	const out: PlainObject = {...defaults};
	for (const [key, value] of Object.entries(stored)) {
		if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
		const base = out[key];
		out[key] = isPlainObject(base) && isPlainObject(value) ? mergeOver(base, value) : value;
	}
	return out;
}

/** "fallback.thresholdPercent must be at most 100": one line, naming the key, never quoting the value. */
function describeIssue(issue: ShapeIssue): string {
	const key = issue.path.map(String).join('.') || '(top level)';
	switch (issue.code) {
		case 'too_big':
			return issue.origin === 'array'
				? `${key} must have at most ${issue.maximum} items`
				: `${key} must be at most ${issue.maximum}`;
		case 'too_small':
			if (issue.origin === 'array') return `${key} must have at least ${issue.minimum} item(s)`;
			return `${key} must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}`;
		case 'invalid_type':
			if (issue.expected === 'int') return `${key} must be a whole number`;
			return `${key} must be ${issue.expected === 'array' || issue.expected === 'object' ? 'an' : 'a'} ${issue.expected}`;
		case 'invalid_value':
			return `${key} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
		case 'invalid_format':
			return `${key} must be a valid ${issue.format}`;
		default:
			return issue.message.startsWith(key) ? issue.message : `${key}: ${issue.message}`;
	}
}

function validate(file: string, value: unknown): Preferences {
	const result = checkShape(preferencesShape, value);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	throw new TuiError(`${path.basename(file)}: ${issue ? describeIssue(issue) : 'invalid'} (in ${file})`);
}

function defaults(): Preferences {
	return structuredClone(DEFAULT_PREFERENCES);
}

type Loaded = {readonly ok: true; readonly prefs: Preferences} | {readonly ok: false; readonly reason: string};

async function load(file: string): Promise<Loaded | undefined> {
	const text = await readPrivateFile(file);
	if (text === undefined) return undefined;
	const unparseable = describeUnparseable(text);
	if (unparseable) return {ok: false, reason: unparseable};
	const stored: unknown = JSON.parse(text);
	if (!isPlainObject(stored)) return {ok: false, reason: 'not a JSON object'};
	return {ok: true, prefs: validate(file, mergeOver(defaults() as PlainObject, stored))};
}

async function readLocked(file: string): Promise<Preferences> {
	const loaded = await load(file);
	if (!loaded) return defaults();
	if (loaded.ok) return loaded.prefs;
	throw new CorruptConfigError(file, await quarantineFile(file), loaded.reason);
}

async function lockConfig<T>(file: string, fn: (lock: LockContext) => Promise<T>, options?: LockOptions): Promise<T> {
	const existing = heldLock(file);
	if (existing) return fn(existing);
	const {withFileLock} = await import('./lock.js');
	return withFileLock(file, fn, options);
}

/**
 * The preferences, merged over DEFAULT_PREFERENCES. A value that fails the schema gives a one-line TuiError
 * naming the key; a config.json that does not parse is moved aside and a CorruptConfigError names both paths.
 */
export async function readPreferences(home: string): Promise<Preferences> {
	const file = preferencesPath(home);
	const loaded = await load(file);
	if (!loaded) return defaults();
	if (loaded.ok) return loaded.prefs;
	return lockConfig(file, async () => {
		const again = await load(file);
		if (!again) {
			const moved = await latestQuarantine(file);
			if (moved) throw new CorruptConfigError(file, moved, loaded.reason);
			return defaults();
		}
		if (again.ok) return again.prefs;
		throw new CorruptConfigError(file, await quarantineFile(file), again.reason);
	});
}

/**
 * Read-modify-write of the preferences under config.json's cross-process lock: re-read inside the lock,
 * validate `mutate`'s result, write through conf (0600; the home folder is made 0700). Returns what was saved.
 */
export async function updatePreferences(
	home: string,
	mutate: (prefs: Preferences) => Preferences,
	options?: LockOptions,
): Promise<Preferences> {
	const file = preferencesPath(home);
	await ensurePrivateDir(home, {followSymlink: true});
	return lockConfig(
		file,
		async (lock) => {
			const before = await readLocked(file);
			const after = validate(file, mutate(structuredClone(before)));
			if (JSON.stringify(after) === JSON.stringify(before) && (await readPrivateFile(file)) !== undefined) return after;
			const {default: Conf} = await import('conf');
			const conf = new Conf<Preferences>({projectSuffix: '', cwd: home, configName: 'config', configFileMode: 0o600});
			await sweepTempsUnderLock(file);
			lock.assertStillHeld();
			conf.store = after;
			// conf writes atomically but does not fsync the folder, and configFileMode is subject to umask: settle both.
			await fs.chmod(file, 0o600);
			await fsyncDir(home);
			return after;
		},
		options,
	);
}
