// `tui auth export` / `tui auth import`, as built, with the passphrase on fd 3; plus the file format itself.
import {spawn} from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {beforeEach, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp-home.js';
import {waitForText} from '../helpers/wait.js';
import {addAccount} from '../../source/core/accounts.js';
import type {AuthFile} from '../../source/core/schemas.js';
import {authFilePath, updateAuthFile} from '../../source/store/auth-file.js';
import {decryptPayload, EXPORT_MAGIC, mergeImported} from '../../source/store/export-import.js';
import {clockEnv} from '../helpers/clock-env.js';
import {ensureHostId, readHostId} from '../../source/store/host-id.js';

const CLI = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));
const PASS = 'correct horse battery staple';
const OPENAI_KEY = 'sk-test-export-canary-0001-EXP1';
const CLAUDE_KEY = 'sk-ant-test-export-canary-0002-EXP2';
const ACCESS = 'at-export-canary-0003';
const REFRESH = 'rt-export-canary-0004';

let source: string;
let target: string;
let work: string;

beforeEach(async () => {
	source = await tempDir('tui-export-src-');
	target = await tempDir('tui-export-dst-');
	work = await tempDir('tui-export-files-');
});

type Result = {code: number | null; stdout: string; stderr: string};

/** Runs the built CLI with stdin empty (not a TTY) and, when given, the passphrase on fd 3. */
function tui(home: string, args: string[], passphrase?: string): Promise<Result> {
	const env = {
		PATH: process.env.PATH ?? '/usr/bin:/bin',
		HOME: '/nonexistent-home',
		COLUMNS: '100',
		NO_COLOR: '1',
		...clockEnv(),
	};
	const extra = passphrase === undefined ? [] : ['--passphrase-fd', '3'];
	const child = spawn(process.execPath, [CLI, '--home', home, ...args, ...extra], {
		env,
		stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
	child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
	child.stdin!.end();
	const fd3 = child.stdio[3] as NodeJS.WritableStream;
	fd3.on('error', () => {});
	fd3.end(passphrase === undefined ? '' : `${passphrase}\n`);
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`tui ${args.join(' ')} hung; stderr: ${stderr}`));
		}, 20_000);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({code, stdout, stderr});
		});
	});
}

let seq = 0;
async function seed(
	home: string,
	provider: 'openai' | 'claude',
	account: Parameters<typeof addAccount>[1],
	id = `acc_seed_${++seq}`,
): Promise<void> {
	await updateAuthFile(home, provider, (file) => ({
		file: addAccount(file, account, {now: Date.parse('2026-11-01T00:00:00Z'), newId: () => id}).file,
		result: undefined,
	}));
}

async function seedSource(): Promise<void> {
	await seed(source, 'openai', {kind: 'api-key', label: 'work', key: OPENAI_KEY}, 'acc_work');
	await seed(
		source,
		'openai',
		{
			kind: 'oauth',
			label: 'chatgpt',
			tokens: {access: ACCESS, refresh: REFRESH, expiresAt: 1_900_000_000_000},
			plan: 'plus',
			email: 'a@example.com',
			clientId: 'oaiapp_test',
			subject: 'user-1',
			issuer: 'https://auth.openai.com',
		},
		'acc_chatgpt',
	);
	await seed(source, 'claude', {kind: 'api-key', label: 'ck', key: CLAUDE_KEY}, 'acc_ck');
	await seed(source, 'claude', {kind: 'delegated', label: 'sub', tool: 'claude-code'}, 'acc_sub');
}

async function snapshot(dir: string): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	for (const entry of await fs.readdir(dir, {recursive: true, withFileTypes: true})) {
		const full = path.join(entry.parentPath, entry.name);
		out[path.relative(dir, full)] = entry.isFile()
			? await fs.readFile(full, 'base64')
			: entry.isDirectory()
				? 'dir'
				: 'other';
	}
	return out;
}

async function exportTo(name = 'accounts.tuiexport'): Promise<string> {
	const file = path.join(work, name);
	const result = await tui(source, ['auth', 'export', file], PASS);
	expect(result).toMatchObject({code: 0, stderr: ''});
	return file;
}

describe('tui auth export → import', () => {
	it('round-trips every account byte for byte into a fresh home; the file is 0600 and holds no secret in clear', async () => {
		await seedSource();
		const file = await exportTo();
		expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
		const data = await fs.readFile(file);
		expect(data.subarray(0, 8).toString('latin1')).toBe(EXPORT_MAGIC);
		expect(2 ** data.readUInt8(10)).toBeGreaterThanOrEqual(2 ** 15);
		expect([data.readUInt8(11), data.readUInt8(12)]).toEqual([8, 1]);
		for (const secret of [OPENAI_KEY, CLAUDE_KEY, ACCESS, REFRESH, 'work', 'chatgpt', PASS])
			expect(data.includes(Buffer.from(secret))).toBe(false);
		expect(await fs.readdir(work)).toEqual(['accounts.tuiexport']);

		// A VM keeps its own host id: an import never carries or replaces one.
		const sourceHost = await ensureHostId(source);
		const targetHost = await ensureHostId(target);
		const imported = await tui(target, ['auth', 'import', file], PASS);
		expect(imported.code).toBe(0);
		expect(await readHostId(target)).toBe(targetHost);
		expect(targetHost).not.toBe(sourceHost);
		expect(imported.stdout).toContain('Imported 4 account(s)');
		expect(imported.stdout).not.toContain('renamed');
		for (const provider of ['openai', 'claude'] as const) {
			expect(await fs.readFile(authFilePath(target, provider), 'utf8')).toBe(
				await fs.readFile(authFilePath(source, provider), 'utf8'),
			);
			expect((await fs.stat(authFilePath(target, provider))).mode & 0o777).toBe(0o600);
		}
		// Importing the same file again adds nothing.
		expect((await tui(target, ['auth', 'import', file], PASS)).stdout).toMatch(
			/^Nothing new to import .*all 4 account\(s\) are already here\n$/,
		);
	});

	it('uses a fresh salt and nonce each time', async () => {
		await seedSource();
		const a = await fs.readFile(await exportTo('a'));
		const b = await fs.readFile(await exportTo('b'));
		expect(a.subarray(13, 41).equals(b.subarray(13, 41))).toBe(false);
	});

	it('refuses to overwrite an existing file without --force, and overwrites it with --force', async () => {
		await seedSource();
		const file = path.join(work, 'taken');
		await fs.writeFile(file, 'precious');
		const refused = await tui(source, ['auth', 'export', file], PASS);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toMatch(/already exists; use --force/);
		expect(await fs.readFile(file, 'utf8')).toBe('precious');
		expect(await fs.readdir(work)).toEqual(['taken']);
		const forced = await tui(source, ['auth', 'export', file, '--force'], PASS);
		expect(forced.code).toBe(0);
		expect((await fs.readFile(file)).subarray(0, 8).toString('latin1')).toBe(EXPORT_MAGIC);
		expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
	});

	it('needs --passphrase-fd when stdin is not a terminal (exit 2, nothing written)', async () => {
		await seedSource();
		const result = await tui(source, ['auth', 'export', path.join(work, 'x')]);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/--passphrase-fd/);
		expect(await fs.readdir(work)).toEqual([]);
	});

	describe('a bad file leaves the target home unchanged', () => {
		async function prepared(): Promise<{file: string; data: Buffer; before: Record<string, string>}> {
			await seedSource();
			const file = await exportTo();
			await seed(target, 'openai', {kind: 'api-key', label: 'mine', key: 'sk-test-target-own-key-0005'});
			return {file, data: await fs.readFile(file), before: await snapshot(target)};
		}

		it('wrong passphrase', async () => {
			const {file, before} = await prepared();
			const result = await tui(target, ['auth', 'import', file], 'not the passphrase');
			expect(result.code).toBe(1);
			expect(result.stderr).toBe(`tui: wrong passphrase, or ${file} was modified or damaged; nothing was imported\n`);
			expect(await snapshot(target)).toEqual(before);
		});

		it.each([
			['the KDF parameters (header, authenticated)', 11],
			['the salt', 14],
			['the nonce', 30],
			['the ciphertext', 60],
			['the tag (last byte)', -1],
		])('one flipped byte in %s', async (_what, offset) => {
			const {file, data, before} = await prepared();
			const at = offset < 0 ? data.length + offset : offset;
			data[at] = data[at]! ^ 0x01;
			await fs.writeFile(file, data);
			const result = await tui(target, ['auth', 'import', file], PASS);
			expect(result.code).toBe(1);
			expect(result.stderr.trim().split('\n')).toHaveLength(1);
			expect(result.stderr).toMatch(/nothing was imported/);
			expect(await snapshot(target)).toEqual(before);
		});

		it.each([1, 17, 200])('truncated by %i byte(s)', async (cut) => {
			const {file, data, before} = await prepared();
			await fs.writeFile(file, data.subarray(0, Math.max(8, data.length - cut)));
			const result = await tui(target, ['auth', 'import', file], PASS);
			expect(result.code).toBe(1);
			expect(result.stderr).toMatch(/is truncated .*nothing was imported\n$/);
			expect(await snapshot(target)).toEqual(before);
		});

		it('not an export at all', async () => {
			const {before} = await prepared();
			const file = path.join(work, 'plain.json');
			await fs.writeFile(file, '{"version":1}');
			const result = await tui(target, ['auth', 'import', file], PASS);
			expect(result).toMatchObject({code: 1, stderr: `tui: ${file} is not a tui account export\n`});
			expect(await snapshot(target)).toEqual(before);
		});
	});

	it('renames clashing labels ("work" → "work-2"), gives clashing ids new ids, and keeps the active account', async () => {
		await seedSource();
		const file = await exportTo();
		await seed(target, 'openai', {kind: 'api-key', label: 'Work', key: 'sk-test-target-own-key-0006'}, 'acc_work');
		await seed(target, 'openai', {kind: 'api-key', label: 'work-2', key: 'sk-test-target-own-key-0007'}, 'acc_other');
		const result = await tui(target, ['auth', 'import', file], PASS);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('OpenAI "work-3" (renamed from "work": that label was taken)');
		const openai = JSON.parse(await fs.readFile(authFilePath(target, 'openai'), 'utf8')) as AuthFile;
		expect(openai.accounts.map((a) => a.label)).toEqual(['Work', 'work-2', 'work-3', 'chatgpt']);
		const renamed = openai.accounts[2]!;
		expect(renamed).toMatchObject({kind: 'api-key', key: OPENAI_KEY});
		expect(renamed.id).not.toBe('acc_work');
		expect(openai.accounts[3]!.id).toBe('acc_chatgpt');
		expect(openai.active).toBe('acc_other');
	});
});

describe('format (library)', () => {
	it('mergeImported into an empty file keeps ids, labels, order and the active account', () => {
		const incoming: AuthFile = {
			version: 1,
			active: 'b',
			accounts: [
				{id: 'a', label: 'x', kind: 'api-key', key: 'sk-aaaaaaaaaaaa', createdAt: '2026-11-01T00:00:00.000Z'},
				{id: 'b', label: 'y', kind: 'api-key', key: 'sk-bbbbbbbbbbbb', createdAt: '2026-11-01T00:00:00.000Z'},
			],
		};
		const merged = mergeImported({version: 1, active: null, accounts: []}, incoming, 'openai', () => 'new');
		expect(merged.file).toEqual(incoming);
	});

	it('mergeImported renames "work" to "work-2" and re-ids a clashing id, keeping the target active', () => {
		const target: AuthFile = {
			version: 1,
			active: 'a',
			accounts: [
				{id: 'a', label: 'work', kind: 'api-key', key: 'sk-target-key-1', createdAt: '2026-11-01T00:00:00.000Z'},
			],
		};
		const incoming: AuthFile = {
			version: 1,
			active: 'a',
			accounts: [
				{id: 'a', label: 'WORK', kind: 'api-key', key: 'sk-other-key-22', createdAt: '2026-11-02T00:00:00.000Z'},
			],
		};
		const merged = mergeImported(target, incoming, 'openai', () => 'fresh');
		expect(merged.file.accounts[1]).toMatchObject({id: 'fresh', label: 'WORK-2', key: 'sk-other-key-22'});
		expect(merged.file.active).toBe('a');
		expect(merged.report.added).toEqual([{provider: 'openai', label: 'WORK-2', renamedFrom: 'WORK', newId: true}]);
	});

	it('decryptPayload rejects an unknown version before deriving a key', async () => {
		const data = Buffer.alloc(64);
		data.write(EXPORT_MAGIC, 0, 'latin1');
		data.writeUInt8(9, 8);
		await expect(decryptPayload(data, PASS, 'f')).rejects.toThrow(
			'f is export format version 9, which this tui does not read',
		);
	});
});

describe('at a terminal (pty)', () => {
	it('asks for the passphrase twice without echo, then imports with it typed once', async () => {
		const {spawnTui} = await import('../helpers/pty.js');
		await seedSource();
		const file = path.join(work, 'tty.tuiexport');
		const env = {
			HOME: '/nonexistent-home',
			NO_COLOR: '1',
			OPENAI_API_KEY: undefined,
			ANTHROPIC_API_KEY: undefined,
			CLAUDE_API_KEY: undefined,
		};
		const out = spawnTui(['--home', source, 'auth', 'export', file], {env});
		await waitForText(out, 'Passphrase (input hidden):');
		out.write(`${PASS}\r`);
		await waitForText(out, 'Same passphrase again:');
		out.write(`${PASS}\r`);
		expect((await out.exited).exitCode).toBe(0);
		expect(out.screen()).toContain('Exported 2 OpenAI and 2 Claude account(s)');
		expect(out.output()).not.toContain(PASS);

		const into = spawnTui(['--home', target, 'auth', 'import', file], {env});
		await waitForText(into, 'Passphrase (input hidden):');
		into.write(`${PASS}\r`);
		expect((await into.exited).exitCode).toBe(0);
		expect(into.output()).not.toContain(PASS);
		expect(await fs.readFile(authFilePath(target, 'claude'), 'utf8')).toBe(
			await fs.readFile(authFilePath(source, 'claude'), 'utf8'),
		);
	});
});
