// Shared measuring helpers: medians of real runs, always beside a baseline from the same run.
import {spawnSync, spawn} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

export const CLI = path.resolve('dist/cli.js');

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

/** Wall time in ms of one run of `node ...args`. */
export function timeNode(args, options = {}) {
	const started = process.hrtime.bigint();
	const result = spawnSync(process.execPath, args, {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, COLUMNS: '100', ...options.env}, input: options.input});
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	if (options.expectExit !== undefined && result.status !== options.expectExit) {
		throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
	}
	return ms;
}

/** Median of `runs` wall times, interleaved with the baseline so both see the same noise. */
export function compareToNode(args, {runs = 20, env, expectExit} = {}) {
	const base = [];
	const subject = [];
	timeNode(['-e', '']);
	timeNode(args, {env});
	for (let i = 0; i < runs; i++) {
		base.push(timeNode(['-e', '']));
		subject.push(timeNode(args, {env, expectExit}));
	}
	const b = median(base);
	const s = median(subject);
	return {baselineMs: b, ms: s, ratio: s / b};
}

export {spawn};
