// The README's runnable examples: every fenced block marked `sh test` (one command per line, `tui` meaning
// `node dist/cli.cjs --sandbox`) runs in a fresh temp home against the local sandbox and must exit 0, or the
// code given by a trailing `# exit N`, and print what the README says it prints (README_PRINTS). The extractor
// and the runner are first proven on a fixture.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from './helpers/temp-home.js';
import {
	extractTestBlocks,
	installTuiWrapper,
	README_MARKER,
	runShellLine,
	type ReadmeBlock,
	type ShellResult,
} from './helpers/readme-examples.js';

const README = path.resolve('README.md');
const SAMPLE = path.resolve('test/fixtures/readme-sample.md');

/** What a README line prints, checked against what the README says of it (the quoted words). */
type PrintCheck = (result: ShellResult) => void;

const KEY_CLAUDE = 'sk-sandbox-demo-0001';
const KEY_OPENAI = 'sk-sandbox-demo-0002';

/** One check per README `sh test` command, by the command without its trailing comment. */
const README_PRINTS: Record<string, PrintCheck> = {
	// "the key comes from stdin, never argv": it is saved, and only its last four characters are shown.
	[`printf '${KEY_CLAUDE}\\n' | tui auth login --provider claude --with-api-key --label work`]: ({stdout}) => {
		expect(stdout).toBe('Logged in to Claude as "work" (key …0001)\n');
	},
	[`printf '${KEY_OPENAI}\\n' | tui auth login --provider openai --with-api-key --label personal`]: ({stdout}) => {
		expect(stdout).toBe('Logged in to OpenAI as "personal" (key …0002)\n');
	},
	// "which credential resolves for each provider, from where, and why"
	'tui auth status': ({stdout}) => {
		expect(stdout).toMatch(/^OpenAI {2}\(active provider\)$/m);
		expect(stdout).toMatch(/^ {2}source +file: "personal" \(api-key, key …0002\)$/m);
		expect(stdout).toMatch(/^Claude$/m);
		expect(stdout).toMatch(/^ {2}source +file: "work" \(api-key, key …0001\)$/m);
		expect(stdout).toMatch(/^Selection using OpenAI \/ personal: preferred, usable$/m);
	},
	'tui auth status --json': ({stdout}) => {
		const status = JSON.parse(stdout) as {
			activeProvider: string;
			providers: Record<string, {usable: boolean; source: string; activeAccount: {label: string}}>;
		};
		expect(status.activeProvider).toBe('openai');
		expect(status.providers.openai).toMatchObject({usable: true, source: 'file', activeAccount: {label: 'personal'}});
		expect(status.providers.claude).toMatchObject({usable: true, source: 'file', activeAccount: {label: 'work'}});
	},
	// "PROVIDER or PROVIDER/LABEL"
	'tui auth switch claude/work': ({stdout}) => {
		expect(stdout).toBe('Active: Claude / work (api-key …0001)\n');
	},
	'tui auth fallback --order claude,openai --on quota,rate-limit --threshold 90': ({stdout}) => {
		expect(stdout).toBe('Saved fallback on: order claude,openai; on quota,rate-limit; threshold 90%\n');
	},
	// "a fresh credential for scripts": the key itself, alone, for $(tui auth token claude).
	'tui auth token claude': ({stdout}) => {
		expect(stdout).toBe(`${KEY_CLAUDE}\n`);
	},
	'tui quota --json': ({stdout}) => {
		const quota = JSON.parse(stdout) as {
			version: number;
			selection: {summary: string};
			providers: Array<{provider: string; accounts: Array<{label: string}>}>;
		};
		expect(quota.version).toBe(1);
		expect(quota.selection.summary).toBe('using Claude / work: preferred, usable');
		expect(quota.providers.map((p) => `${p.provider}:${p.accounts.map((a) => a.label).join(',')}`)).toEqual([
			'openai:personal',
			'claude:work',
		]);
	},
	// "one short line for status bars"
	'tui quota --line': ({stdout}) => {
		expect(stdout).toMatch(/^[^\n]*\bclaude\b[^\n]*\bopenai\b[^\n]*\n$/);
		expect(stdout.length).toBeLessThanOrEqual(100);
	},
	// "which auth mode each module would use with the credentials you have, why, its cost, and what a missing one would add"
	'tui recommend source/core': ({stdout}) => {
		expect(stdout).toMatch(
			/^source\/core\/\S+\.ts +(small|medium|large) +[\d,]+ lines +[\d,]+ tokens +api +\$\d+\.\d{4}$/m,
		);
		expect(stdout).toMatch(/^ {4}Claude is set to api mode$/m);
		expect(stdout).toMatch(/^Missing: a Claude subscription through Claude Code would take .*$/m);
	},
	'tui auth logout openai/personal': ({stdout}) => {
		expect(stdout).toBe('Logged out of OpenAI "personal"; no OpenAI account left\n');
	},
	// "PROVIDER or PROVIDER/LABEL": an unknown one is a usage error that names the valid ones.
	'tui auth switch nosuch/account': ({stdout, stderr}) => {
		expect(stdout).toBe('');
		expect(stderr).toBe('tui: unknown provider "nosuch"; valid: openai, claude\n');
	},
	// "a screen command that lacks its flags exits 2 and names them"
	'tui onboard': ({stdout, stderr}) => {
		expect(stdout).toBe('');
		expect(stderr).toMatch(/^tui: missing --provider, --tier, --mode: [^\n]*\n$/);
	},
};

/** A command as README_PRINTS knows it: without its trailing shell comment. */
const withoutComment = (command: string) => command.replace(/\s+#(?!!).*$/, '');

/**
 * Runs every command of `block` in order in one fresh home; each must exit as the README says and, given
 * `prints`, print what the README says.
 */
function describeBlock(source: string, block: ReadmeBlock, prints?: Record<string, PrintCheck>): void {
	describe(`${source} block at line ${block.line}`, () => {
		let dir: string;
		let bin: string;
		beforeAll(async () => {
			dir = await tempDir('tui-readme-');
			bin = await installTuiWrapper(dir);
		});
		for (const command of block.commands) {
			it(`line ${command.line}: ${command.command} → exit ${command.expectedExit}`, {timeout: 40_000}, async () => {
				const result = await runShellLine(command.command, {
					bin,
					home: path.join(dir, 'home'),
					userHome: path.join(dir, 'user'),
				});
				const output = `\nstdout: ${result.stdout.slice(0, 2000)}\nstderr: ${result.stderr.slice(0, 2000)}`;
				expect(result.code, `\`${command.command}\` (${source}:${command.line})${output}`).toBe(command.expectedExit);
				if (!prints) return;
				const check = prints[withoutComment(command.command)];
				expect(
					check,
					`README_PRINTS has no check for \`${withoutComment(command.command)}\` (${source}:${command.line})`,
				).toBeDefined();
				check!(result);
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
					{
						line: 15,
						command:
							"printf 'sk-sandbox-sample-0001\\n' | tui auth login --provider openai --with-api-key --label work",
						expectedExit: 0,
					},
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
	});
});

// The fixture's commands run for real: the login of the first line is what makes the later status exit 0.
for (const block of extractTestBlocks(await readFile(SAMPLE, 'utf8'))) describeBlock('readme-sample.md', block);

const readmeBlocks = extractTestBlocks(await readFile(README, 'utf8'));

describe('README.md', () => {
	// So the README cannot drop its runnable examples silently.
	it(`has at least one \`${README_MARKER}\` block with commands`, () => {
		expect(readmeBlocks.length).toBeGreaterThan(0);
		expect(readmeBlocks.every((block) => block.commands.length > 0)).toBe(true);
	});

	it('has an output check for each runnable command and none for a command it no longer has', () => {
		const commands = readmeBlocks.flatMap((block) => block.commands.map((command) => withoutComment(command.command)));
		expect(Object.keys(README_PRINTS).sort()).toEqual([...new Set(commands)].sort());
	});

	it('each output check fails on output that is not what the README says', () => {
		for (const [command, check] of Object.entries(README_PRINTS)) {
			expect(() => check({code: 0, stdout: 'something else\n', stderr: 'something else\n'}), command).toThrow();
		}
	});
});

for (const block of readmeBlocks) describeBlock('README.md', block, README_PRINTS);
