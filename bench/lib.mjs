// Shared measuring helpers: medians of real runs, always beside a baseline from the same run.
import {spawnSync, spawn} from 'node:child_process';
import {accessSync, constants, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

export const CLI = path.resolve('dist/cli.cjs');

export function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values, p) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function tempHome(prefix = 'tui-bench-') {
	return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Wall time in ms of one run of `file ...args`. */
export function timeCommand(file, args, options = {}) {
	const env = {...process.env, COLUMNS: '100', ...options.env};
	for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
	const started = process.hrtime.bigint();
	const result = spawnSync(file, args, {
		stdio: ['ignore', 'pipe', 'pipe'],
		env,
		input: options.input,
		cwd: options.cwd,
	});
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	if (options.expectExit !== undefined && result.status !== options.expectExit) {
		throw new Error(`${file} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
	}
	return ms;
}

/** Wall time in ms of one run of `node ...args`. */
export function timeNode(args, options = {}) {
	return timeCommand(process.execPath, args, options);
}

/** Median of `runs` wall times of `file ...args`, interleaved with bare `node -e ''` so both see the same noise. */
export function compareCommandToNode(file, args, {runs = 20, env, expectExit, cwd} = {}) {
	const base = [];
	const subject = [];
	timeNode(['-e', '']);
	timeCommand(file, args, {env, cwd});
	for (let i = 0; i < runs; i++) {
		base.push(timeNode(['-e', '']));
		subject.push(timeCommand(file, args, {env, expectExit, cwd}));
	}
	const b = median(base);
	const s = median(subject);
	return {baselineMs: b, ms: s, ratio: s / b};
}

/** compareCommandToNode for `node ...args`. */
export function compareToNode(args, options = {}) {
	return compareCommandToNode(process.execPath, args, options);
}

/** The absolute path of `name` on PATH, or undefined. */
export function onPath(name) {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		if (!dir) continue;
		const file = path.join(dir, name);
		try {
			accessSync(file, constants.X_OK);
			return file;
		} catch {}
	}
	return undefined;
}

export {spawn};
