// The commands scripts pipe (auth status, token, env) write to a pipe or a file without a stream: the same bytes
// as to any other reader, and a reader that leaves early (`| head -1`) ends nothing in an error.
import {spawn} from 'node:child_process';
import {closeSync, openSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {expect, it} from 'vitest';
import {runCli} from '../helpers/run-cli.js';
import {tempDirSync} from '../helpers/temp-home.js';
import {clockEnv} from '../helpers/clock-env.js';

const CLI = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));
const dir = tempDirSync('tui-plain-');
const home = path.join(dir, 'home');
const env = {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NO_COLOR: '1', ...clockEnv()};
const KEY = 'sk-plain-output-0123456789abcdef';
const args = (...words: string[]) => [CLI, '--home', home, ...words];

function exitOf(child: ReturnType<typeof spawn>): Promise<number | null> {
	return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

it('a file gets the same bytes as a pipe', async () => {
	const piped = await runCli(['--home', home, 'auth', 'status', '--json'], {env: {OPENAI_API_KEY: KEY}});
	expect(piped.stderr).toBe('');
	const file = path.join(dir, 'status.json');
	const fd = openSync(file, 'w');
	const child = spawn(process.execPath, args('auth', 'status', '--json'), {
		env: {...env, OPENAI_API_KEY: KEY},
		stdio: ['ignore', fd, 'pipe'],
	});
	closeSync(fd);
	expect(await exitOf(child)).toBe(piped.code);
	expect(readFileSync(file, 'utf8')).toBe(piped.stdout);
	expect(JSON.parse(piped.stdout)).toHaveProperty('providers.openai.source', 'env');
});

for (const words of [
	['auth', 'status', '--json'],
	['auth', 'token', 'openai'],
	['auth', 'env'],
])
	it(`tui ${words.join(' ')}: a reader gone before the output ends the run as usual, with nothing on stderr`, async () => {
		const whole = await runCli(['--home', home, ...words], {env: {OPENAI_API_KEY: KEY}});
		const child = spawn(process.execPath, args(...words), {
			env: {...env, OPENAI_API_KEY: KEY},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		// The read end closes before the child has started, so its write meets EPIPE.
		child.stdout!.destroy();
		let stderr = '';
		child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		expect(await exitOf(child)).toBe(whole.code);
		expect(stderr).toBe('');
	});
