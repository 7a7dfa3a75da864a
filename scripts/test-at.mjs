#!/usr/bin/env node
// Runs the test suite with the local time of day at each given hour, by choosing a time zone (Etc/GMT±N) that puts
// the wall clock there. A test that depends on the time of day then fails here rather than some evening.
// The absolute clock stays real, so file times and locks agree with the kernel.
// Usage: node scripts/test-at.mjs 23 00 [-- vitest args]
import {spawnSync} from 'node:child_process';

const separator = process.argv.indexOf('--');
const hours = (separator === -1 ? process.argv.slice(2) : process.argv.slice(2, separator)).filter(Boolean);
const vitestArgs = separator === -1 ? [] : process.argv.slice(separator + 1);
if (hours.length === 0 || hours.some((h) => !/^([01]?\d|2[0-3])$/.test(h))) {
	console.error('usage: node scripts/test-at.mjs HOUR [HOUR...] [-- vitest args]   (HOUR: 0-23, local time of day)');
	process.exit(2);
}

/** Etc/GMT+N is N hours *behind* UTC (POSIX sign); the zones span UTC-12 to UTC+14. */
function zoneFor(hour) {
	const utcHour = new Date().getUTCHours();
	let offset = (((Number(hour) - utcHour) % 24) + 24) % 24;
	if (offset > 14) offset -= 24;
	return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

let failed = 0;
for (const hour of hours) {
	const zone = zoneFor(hour);
	const local = new Date().toLocaleTimeString('en-GB', {timeZone: zone, hour: '2-digit', minute: '2-digit'});
	console.log(`\n— test suite at local time ${local} (TZ=${zone}) —`);
	const result = spawnSync('npx', ['vitest', 'run', ...vitestArgs], {
		stdio: 'inherit',
		env: {...process.env, TZ: zone},
	});
	if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
