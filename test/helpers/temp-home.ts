// One temp home maker: each home is removed after the test file that made it, so runs leave nothing in /tmp.
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
