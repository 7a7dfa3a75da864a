#!/usr/bin/env node
// Runs the test suite with the system clock faked to start at each given local time (libfaketime, Debian
// `faketime`), so a test that depends on the wall clock fails here rather than some evening.
// Usage: node scripts/test-at.mjs 23:30 00:30 [-- vitest args]
import {spawnSync} from 'node:child_process';

const separator = process.argv.indexOf('--');
const times = (separator === -1 ? process.argv.slice(2) : process.argv.slice(2, separator)).filter(Boolean);
const vitestArgs = separator === -1 ? [] : process.argv.slice(separator + 1);
if (times.length === 0 || times.some((t) => !/^\d\d:\d\d$/.test(t))) {
	console.error('usage: node scripts/test-at.mjs HH:MM [HH:MM...] [-- vitest args]');
	process.exit(2);
}
if (spawnSync('faketime', ['--version'], {stdio: 'ignore'}).error) {
	console.error('test-at: needs faketime (Debian: apt-get install faketime)');
	process.exit(1);
}

const today = new Date().toISOString().slice(0, 10);
let failed = 0;
for (const time of times) {
	const start = `${today} ${time}:00`;
	console.log(`\n— test suite with the clock starting at ${start} (TZ=${process.env.TZ ?? 'system'}) —`);
	const result = spawnSync('faketime', [start, 'npx', 'vitest', 'run', ...vitestArgs], {
		stdio: 'inherit',
		// Monotonic clocks stay real: timers and timeouts keep working; only the date and time of day move.
		env: {...process.env, FAKETIME_DONT_FAKE_MONOTONIC: '1'},
	});
	if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
