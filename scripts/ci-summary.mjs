// Adds up vitest JSON reports into one closing line: "N passed, N failed".
import {readFileSync, existsSync} from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
	if (!existsSync(file)) continue;
	const report = JSON.parse(readFileSync(file, 'utf8'));
	passed += report.numPassedTests ?? 0;
	failed += report.numFailedTests ?? 0;
	skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
