// One temp folder maker: each home or folder is removed after the test file that made it, so runs leave nothing
// in /tmp.
import {mkdtempSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll} from 'vitest';

const made: string[] = [];
afterAll(async () => {
	for (const dir of made.splice(0)) await rm(dir, {recursive: true, force: true});
});

export async function tempHome(prefix = 'tui-test-'): Promise<string> {
	const dir = await mkdtemp(path.join(tmpdir(), prefix));
	made.push(dir);
	return dir;
}

/** A temp folder that is not a home (a fake `bin`, a state folder, files to import), removed the same way. */
export function tempDir(prefix = 'tui-test-dir-'): Promise<string> {
	return tempHome(prefix);
}

/** tempDir for code that runs while the tests are collected (a describe body). */
export function tempDirSync(prefix = 'tui-test-dir-'): string {
	const dir = mkdtempSync(path.join(tmpdir(), prefix));
	made.push(dir);
	return dir;
}
