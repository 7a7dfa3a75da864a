// Files that outlive versions, through the built CLI: every command that writes an auth file (login, rotate,
// switch, logout) keeps what this version does not know, byte for byte; a newer version is never written.
import fs from 'node:fs/promises';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/temp-home.js';
import {runCli} from '../helpers/run-cli.js';
import {useSandbox} from '../helpers/sandbox.js';

let root: string;
beforeAll(async () => {
	root = await tempDir('tui-stress-compat-');
});

const created = '2026-01-01T00:00:00.000Z';
const key = (id: string, extra: Record<string, unknown> = {}) => ({
	id,
	label: id,
	kind: 'api-key',
	key: `sk-sandbox-${id}-0000000000000000`,
	createdAt: created,
	...extra,
});

const V1 = {version: 1, active: 'work', accounts: [key('work'), key('spare')]};
const FUTURE = {
	version: 1,
	active: 'work',
	syncedAt: '2027-05-01T00:00:00.000Z',
	profiles: {default: {theme: 'dark', nested: [1, {deep: true}], text: 'ünïcode ✓'}},
	accounts: [
		key('work', {color: 'blue', quotaHints: {window: '5h', values: [1, 2, 3]}}),
		{
			id: 'pk',
			label: 'passkey',
			kind: 'passkey',
			credentialId: 'cred-1',
			createdAt: created,
			attestation: {fmt: 'none'},
		},
		key('spare', {pinned: true}),
		{id: 'neg', label: 'neg', kind: 'oauth', tokens: {access: 'at', expiresAt: -1, bound: 'dpop'}, createdAt: created},
	],
};

/** The parts of a file this version does not interpret: unknown top-level keys, unknown account keys, unreadable accounts. */
function unknownParts(json: any): string {
	const known = new Set(['id', 'label', 'kind', 'key', 'createdAt', 'lastUsedAt', 'rotatedAt', 'needsLogin']);
	const {version: _v, active: _a, accounts, ...top} = json;
	const perAccount = (accounts as any[])
		.filter((a) => ['work', 'spare', 'pk', 'neg'].includes(a.id))
		.map((a) =>
			a.kind === 'api-key'
				? {id: a.id, extra: Object.fromEntries(Object.entries(a).filter(([k]) => !known.has(k)))}
				: a,
		)
		.sort((x, y) => String(x.id).localeCompare(String(y.id)));
	return JSON.stringify({top, perAccount});
}

describe('forward compatibility through the CLI', () => {
	const sandbox = useSandbox();

	it('a v1 file and a future file survive login, rotate, switch and logout with their unknown parts byte for byte; a newer version is never written', async () => {
		const env = sandbox().env;
		const results: string[] = [];
		for (const [name, original] of [
			['v1', V1],
			['future', FUTURE],
		] as const) {
			const home = path.join(root, name);
			await fs.mkdir(path.join(home, 'auth'), {recursive: true, mode: 0o700});
			const file = path.join(home, 'auth', 'openai.json');
			await fs.writeFile(file, `${JSON.stringify(original, null, '\t')}\n`, {mode: 0o600});
			const steps: Array<{args: string[]; input?: string}> = [
				{
					args: ['auth', 'login', '--provider', 'openai', '--with-api-key', '--label', 'late'],
					input: 'sk-sandbox-late-0000000000000000\n',
				},
				{args: ['auth', 'rotate', 'openai/work', '--with-api-key'], input: 'sk-sandbox-rotated-00000000000000\n'},
				{args: ['auth', 'switch', 'openai/spare']},
				{args: ['auth', 'logout', 'openai/late']},
			];
			for (const step of steps) {
				const result = await runCli(['--home', home, ...step.args], {env, ...(step.input ? {input: step.input} : {})});
				expect(result.code, `${name}: ${step.args.join(' ')}: ${result.stderr}`).toBe(0);
			}
			const after = JSON.parse(await fs.readFile(file, 'utf8'));
			expect(unknownParts(after), name).toBe(unknownParts(original));
			expect(after.active).toBe('spare');
			expect(after.accounts.find((a: any) => a.id === 'work').key).toBe('sk-sandbox-rotated-00000000000000');
			expect(
				(await fs.readdir(path.join(home, 'auth'))).filter((n) => n.includes('.corrupt-')),
				name,
			).toEqual([]);
			results.push(`${name}: ${steps.length} writes, unknown parts identical`);
		}
		// A newer version: reported, never written, not moved aside.
		const home = path.join(root, 'newer');
		await fs.mkdir(path.join(home, 'auth'), {recursive: true, mode: 0o700});
		const file = path.join(home, 'auth', 'openai.json');
		const text = `${JSON.stringify({version: 2, active: 'x', accounts: [{id: 'x', shape: 'new'}], vault: {sealed: true}}, null, '\t')}\n`;
		await fs.writeFile(file, text, {mode: 0o600});
		const status = await runCli(['--home', home, 'auth', 'status', '--json'], {env});
		expect(JSON.parse(status.stdout).providers.openai.reason).toMatch(/written by a newer tui \(version 2\)/);
		const login = await runCli(['--home', home, 'auth', 'login', '--provider', 'openai', '--with-api-key'], {
			env,
			input: 'sk-sandbox-newer-0000000000000000\n',
		});
		expect(login.code).toBe(1);
		expect(login.stderr).toMatch(/written by a newer tui \(version 2\); this tui leaves it untouched/);
		expect(await fs.readFile(file, 'utf8')).toBe(text);
		results.push('version 2: reported, 0 bytes changed');
		console.log(`forward compatibility: ${results.join('; ')}`);
	});
});
