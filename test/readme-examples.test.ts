// The README's runnable examples: every fenced block marked `sh test` (one command per line, `tui` meaning
// `node dist/cli.js --sandbox`) runs in a fresh temp home against the local sandbox and must exit 0, or the
// code given by a trailing `# exit N`. The extractor and the runner are first proven on a fixture.
import {readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from './helpers/temp-home.js';
import {extractTestBlocks, installTuiWrapper, README_MARKER, runShellLine, type ReadmeBlock} from './helpers/readme-examples.js';

const README = path.resolve('README.md');
const SAMPLE = path.resolve('test/fixtures/readme-sample.md');

/** Runs every command of `block` in order in one fresh home; each must exit as the README says. */
function describeBlock(source: string, block: ReadmeBlock): void {
	describe(`${source} block at line ${block.line}`, () => {
		let dir: string;
		let bin: string;
		beforeAll(async () => {
			dir = await tempDir('tui-readme-');
			bin = await installTuiWrapper(dir);
		});
		for (const command of block.commands) {
			it(`line ${command.line}: ${command.command} → exit ${command.expectedExit}`, {timeout: 40_000}, async () => {
				const result = await runShellLine(command.command, {bin, home: path.join(dir, 'home'), userHome: path.join(dir, 'user')});
				const output = `\nstdout: ${result.stdout.slice(0, 2000)}\nstderr: ${result.stderr.slice(0, 2000)}`;
				expect(result.code, `\`${command.command}\` (${source}:${command.line})${output}`).toBe(command.expectedExit);
			});
		}
	});
}

describe('extractTestBlocks', () => {
	it('finds only `sh test` blocks, with their lines, commands and expected exit codes', async () => {
		const blocks = extractTestBlocks(await readFile(SAMPLE, 'utf8'));
		expect(blocks).toEqual([
			{
				line: 12,
				commands: [
					{line: 15, command: "printf 'sk-sandbox-sample-0001\\n' | tui auth login --provider openai --with-api-key --label work", expectedExit: 0},
					{line: 16, command: 'tui auth status        # a plain comment, expected exit 0', expectedExit: 0},
					{line: 17, command: `tui auth status --json | grep -q '"activeProvider": "openai"'`, expectedExit: 0},
					{line: 18, command: 'tui auth switch nosuch/account', expectedExit: 2},
					{line: 19, command: 'tui auth fallback --order claude,openai --on quota,rate-limit', expectedExit: 0},
					{line: 21, command: 'tui onboard', expectedExit: 2},
				],
			},
			{line: 26, commands: [{line: 27, command: 'tui quota --line', expectedExit: 0}]},
		]);
	});

	it('refuses an unclosed fence and a continuation into the fence', () => {
		expect(() => extractTestBlocks('```sh test\ntui auth status\n')).toThrow(/line 1: a fenced block is never closed/);
		expect(() => extractTestBlocks('```sh test\ntui auth status \\\n```\n')).toThrow(/line 2: .*continuation/);
	});
});

describe('the runner, on the fixture', () => {
	let sample: ReadmeBlock[] = [];
	beforeAll(async () => {
		sample = extractTestBlocks(await readFile(SAMPLE, 'utf8'));
	});

	it('reports the real exit code, so a wrong expectation fails', {timeout: 40_000}, async () => {
		const dir = await tempDir('tui-readme-');
		try {
			const bin = await installTuiWrapper(dir);
			const options = {bin, home: path.join(dir, 'home'), userHome: path.join(dir, 'user')};
			// Nothing is stored yet: status exits 1, and the wrapper really ran the sandboxed CLI.
			const status = await runShellLine('tui auth status', options);
			expect(status.code).toBe(1);
			expect(status.stdout).toContain('no OpenAI credential');
			const usage = await runShellLine('tui auth switch nosuch/account', options);
			expect(usage.code).toBe(2);
			expect(usage.stderr).toMatch(/^tui: unknown provider "nosuch"/);
			expect(sample.length).toBe(2);
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});
});

// The fixture's commands run for real: the login of the first line is what makes the later status exit 0.
for (const block of extractTestBlocks(await readFile(SAMPLE, 'utf8'))) describeBlock('readme-sample.md', block);

const readmeBlocks = extractTestBlocks(await readFile(README, 'utf8'));

describe('README.md', () => {
	// So the README cannot drop its runnable examples silently.
	it(`has at least one \`${README_MARKER}\` block with commands (see /work/notes/readme-marker.md)`, () => {
		expect(readmeBlocks.length).toBeGreaterThan(0);
		expect(readmeBlocks.every((block) => block.commands.length > 0)).toBe(true);
	});
});

for (const block of readmeBlocks) describeBlock('README.md', block);
