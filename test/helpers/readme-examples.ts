// Runnable README examples: fenced blocks with the info string `sh test`.
// One command per line; `# exit N` at the end of a line gives the expected exit code (default 0).
import {spawn} from 'node:child_process';
import {chmod, mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {clockEnv} from './clock-env.js';

export const README_MARKER = 'sh test';

export type ReadmeCommand = {
	/** 1-based line of the command in the markdown (its first line when continued with `\`). */
	readonly line: number;
	/** The shell command as written, without a trailing `# exit N`. */
	readonly command: string;
	readonly expectedExit: number;
};

export type ReadmeBlock = {
	/** 1-based line of the opening fence. */
	readonly line: number;
	readonly commands: readonly ReadmeCommand[];
};

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const EXIT = /\s+#\s*exit\s+(\d+)\s*$/;

/** Every `sh test` block of `markdown`, in order. Other fenced blocks (even plain `sh`) are skipped. */
export function extractTestBlocks(markdown: string): ReadmeBlock[] {
	const lines = markdown.split(/\r?\n/);
	const blocks: ReadmeBlock[] = [];
	let fence:
		{readonly marker: string; readonly test: boolean; readonly line: number; commands: ReadmeCommand[]} | undefined;
	let pending: {line: number; text: string} | undefined;
	for (let index = 0; index < lines.length; index++) {
		const raw = lines[index]!;
		const match = FENCE.exec(raw);
		if (!fence) {
			if (!match) continue;
			const marker = match[1]!;
			const info = match[2]!.trim();
			// A backtick fence's info string may not contain backticks (CommonMark); then it is no fence.
			if (marker[0] === '`' && info.includes('`')) continue;
			fence = {marker, test: info.split(/\s+/).join(' ') === README_MARKER, line: index + 1, commands: []};
			continue;
		}
		if (
			match &&
			match[1]![0] === fence.marker[0] &&
			match[1]!.length >= fence.marker.length &&
			match[2]!.trim() === ''
		) {
			if (pending) throw new Error(`README line ${pending.line}: a \`\\\` continuation runs into the closing fence`);
			if (fence.test) blocks.push({line: fence.line, commands: fence.commands});
			fence = undefined;
			continue;
		}
		if (!fence.test) continue;
		const text = raw.trim();
		if (!pending && (text === '' || text.startsWith('#'))) continue;
		const joined = pending ? `${pending.text} ${text}` : text.replace(/^\$\s+/, '');
		const start = pending?.line ?? index + 1;
		if (joined.endsWith('\\')) {
			pending = {line: start, text: joined.slice(0, -1).trimEnd()};
			continue;
		}
		pending = undefined;
		const exit = EXIT.exec(joined);
		fence.commands.push({
			line: start,
			command: exit ? joined.slice(0, exit.index).trimEnd() : joined,
			expectedExit: exit ? Number(exit[1]) : 0,
		});
	}
	if (fence) throw new Error(`README line ${fence.line}: a fenced block is never closed`);
	return blocks;
}

export type ShellResult = {readonly code: number | null; readonly stdout: string; readonly stderr: string};

const CLI = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A `tui` on PATH that is the built CLI against the local sandbox. Returns the folder to put first on PATH. */
export async function installTuiWrapper(dir: string): Promise<string> {
	const bin = path.join(dir, 'bin');
	await mkdir(bin, {recursive: true});
	const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
	await writeFile(path.join(bin, 'tui'), `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(CLI)} --sandbox "$@"\n`);
	await chmod(path.join(bin, 'tui'), 0o755);
	return bin;
}

/** Runs one README line with /bin/sh in the repo root: empty stdin (not a TTY), a clean environment, a deadline. */
export function runShellLine(
	command: string,
	options: {readonly bin: string; readonly home: string; readonly userHome: string; readonly timeoutMs?: number},
): Promise<ShellResult> {
	const env: Record<string, string> = {
		PATH: `${options.bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
		HOME: options.userHome,
		CODEX_HOME: path.join(options.userHome, '.codex'),
		TUI_HOME: options.home,
		COLUMNS: '100',
		NO_COLOR: '1',
		...clockEnv(),
	};
	const child = spawn('/bin/sh', ['-c', command], {cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	child.stdin.on('error', () => {});
	child.stdin.end();
	const timeoutMs = options.timeoutMs ?? 30_000;
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			// The whole group: sh and the node it started.
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {}
			reject(new Error(`\`${command}\` did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
		}, timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({code, stdout, stderr});
		});
	});
}
