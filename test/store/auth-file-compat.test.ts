// Files that outlive versions (docs/auth-file-schema.md): an old v1 file, a current one and a future one are read
// account by account, and a write keeps what this version does not know, byte for byte.
import fs from 'node:fs/promises';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {markUsed, renameAccount, replaceAccount} from '../../source/core/accounts.js';
import type {OAuthAccount} from '../../source/core/schemas.js';
import {authFilePath, authFileProblems, readAuthFile, updateAuthFile} from '../../source/store/auth-file.js';

let home: string;
beforeEach(async () => {
	home = await tempHome('tui-compat-');
	await fs.mkdir(path.join(home, 'auth'), {mode: 0o700});
});

const created = '2026-01-01T00:00:00.000Z';
const key = (id: string) => ({id, label: id, kind: 'api-key', key: `sk-test-${id}-000000`, createdAt: created});

/** v1 as the first releases wrote it: an OpenAI sign-in through the Codex client, no clientId/issuer/subject. */
const OLD = {
	version: 1,
	active: 'codex',
	accounts: [
		{
			id: 'codex',
			label: 'chatgpt',
			kind: 'oauth',
			tokens: {access: 'at-old', refresh: 'rt-old', expiresAt: 4_102_444_800_000},
			plan: 'plus',
			email: 'a@example.com',
			accountId: 'acc-1',
			createdAt: created,
		},
		key('work'),
	],
};

/** v1 today: the ChatGPT sign-in for open-source apps, with its optional fields. */
const CURRENT = {
	version: 1,
	active: 'siwc',
	accounts: [
		{
			id: 'siwc',
			label: 'plus',
			kind: 'oauth',
			tokens: {access: 'at-new', refresh: 'rt-new', expiresAt: 4_102_444_800_000, earliestRefreshAt: 4_102_444_000_000},
			issuer: 'https://auth.openai.com',
			clientId: 'oaiapp_abc',
			subject: 'user-1',
			scopes: ['openid', 'offline_access'],
			planEnabled: true,
			createdAt: created,
		},
		key('work'),
	],
};

/** What a newer tui might write while staying at version 1: new fields everywhere and a new kind of account. */
const FUTURE_FIELDS = {
	version: 1,
	active: 'work',
	syncedAt: '2027-05-01T00:00:00.000Z',
	profiles: {default: {theme: 'dark', nested: [1, {deep: true}]}},
	accounts: [
		{...key('work'), color: 'blue', quotaHints: {window: '5h', values: [1, 2, 3]}},
		{id: 'pk', label: 'passkey', kind: 'passkey', credentialId: 'cred-1', createdAt: created},
		{
			id: 'so',
			label: 'signin',
			kind: 'oauth',
			tokens: {access: 'at', refresh: 'rt', expiresAt: 4_102_444_800_000, dpopKey: {kty: 'EC', crv: 'P-256'}},
			deviceBound: true,
			createdAt: created,
		},
	],
};

async function write(json: unknown, prefix = ''): Promise<string> {
	const file = authFilePath(home, 'openai');
	const text = `${prefix}${JSON.stringify(json, null, '\t')}\n`;
	await fs.writeFile(file, text, {mode: 0o600});
	return file;
}

/** Every part of `original` this version does not know, as it appears in `written` (same JSON text). */
function unknownParts(json: any): string {
	const accounts = (json.accounts as any[]).map((a) => {
		const {id, label, kind, key: _k, tokens, createdAt: _c, lastUsedAt: _l, ...rest} = a;
		const {
			access: _a,
			refresh: _r,
			idToken: _i,
			expiresAt: _e,
			refreshedAt: _f,
			earliestRefreshAt: _x,
			...tokenRest
		} = tokens ?? {};
		return kind === 'passkey'
			? a
			: {
					id,
					label,
					kind,
					rest: Object.fromEntries(
						Object.entries(rest).filter(
							([k]) =>
								![
									'plan',
									'email',
									'accountId',
									'issuer',
									'clientId',
									'subject',
									'scopes',
									'planEnabled',
									'needsLogin',
								].includes(k),
						),
					),
					tokenRest,
				};
	});
	const {version: _v, active: _a, accounts: _b, ...top} = json;
	return JSON.stringify({top, accounts: accounts.sort((x, y) => String(x.id).localeCompare(String(y.id)))});
}

describe('auth file compatibility', () => {
	it('an old v1 file reads whole, and an OpenAI sign-in without clientId is kept (an old Codex-client login)', async () => {
		await write(OLD);
		const file = await readAuthFile(home, 'openai');
		expect(file.accounts.map((a) => a.id)).toEqual(['codex', 'work']);
		expect(file.unreadable).toBeUndefined();
		expect((file.accounts[0] as OAuthAccount).clientId).toBeUndefined();
		await updateAuthFile(home, 'openai', (f) => ({file: markUsed(f, 'work', Date.UTC(2026, 5, 1)), result: undefined}));
		expect(JSON.parse(await fs.readFile(authFilePath(home, 'openai'), 'utf8')).accounts[0]).toEqual(OLD.accounts[0]);
	});

	it('a current file round-trips every field', async () => {
		await write(CURRENT);
		const file = await readAuthFile(home, 'openai');
		expect(file.accounts).toEqual(CURRENT.accounts);
		await updateAuthFile(home, 'openai', (f) => ({file: renameAccount(f, 'work', 'job'), result: undefined}));
		const after = JSON.parse(await fs.readFile(authFilePath(home, 'openai'), 'utf8'));
		expect(after.accounts[0]).toEqual(CURRENT.accounts[0]);
		expect(after.accounts[1].label).toBe('job');
	});

	it('a file with future fields and kinds: the known accounts work, the unknown kind is reported, and writes keep every unknown part byte for byte', async () => {
		await write(FUTURE_FIELDS);
		const file = await readAuthFile(home, 'openai');
		expect(file.accounts.map((a) => a.id)).toEqual(['work', 'so']);
		expect(file.active).toBe('work');
		expect(file.unreadable).toEqual([
			{index: 1, id: 'pk', label: 'passkey', reason: 'unknown kind "passkey"', newer: true, active: false},
		]);
		expect(authFileProblems(home, 'openai', file)[0]).toMatch(
			/account "passkey" is of an unknown kind "passkey", written by a newer tui; it is kept untouched/,
		);
		// A rotate (replace), a refresh (new tokens object) and a login (new account) in turn.
		await updateAuthFile(home, 'openai', (f) => ({
			file: replaceAccount(f, {...(f.accounts[0] as any), key: 'sk-test-rotated-000000'}),
			result: undefined,
		}));
		await updateAuthFile(home, 'openai', (f) => {
			const so = f.accounts[1] as OAuthAccount;
			return {
				file: replaceAccount(f, {...so, tokens: {access: 'at-2', refresh: 'rt-2', expiresAt: 4_102_444_900_000}}),
				result: undefined,
			};
		});
		await updateAuthFile(home, 'openai', (f) => ({
			file: {...f, accounts: [...f.accounts, key('late') as any]},
			result: undefined,
		}));
		const after = JSON.parse(await fs.readFile(authFilePath(home, 'openai'), 'utf8'));
		expect(unknownParts({...after, accounts: after.accounts.filter((a: any) => a.id !== 'late')})).toBe(
			unknownParts(FUTURE_FIELDS),
		);
		expect(after.accounts.find((a: any) => a.id === 'work').key).toBe('sk-test-rotated-000000');
		expect(after.accounts.find((a: any) => a.id === 'so').tokens).toEqual({
			access: 'at-2',
			refresh: 'rt-2',
			expiresAt: 4_102_444_900_000,
			dpopKey: {kty: 'EC', crv: 'P-256'},
		});
		expect(after.accounts.find((a: any) => a.id === 'pk')).toEqual(FUTURE_FIELDS.accounts[1]);
	});

	it('a newer version is reported, used for nothing, and never written', async () => {
		const future = {version: 2, active: 'x', accounts: [{id: 'x', shape: 'new'}], vault: {sealed: true}};
		const path = await write(future);
		const before = await fs.readFile(path, 'utf8');
		const file = await readAuthFile(home, 'openai');
		expect(file.accounts).toEqual([]);
		expect(file.newerVersion).toBe(2);
		expect(authFileProblems(home, 'openai', file)).toEqual([
			`${path} was written by a newer tui (version 2); this tui leaves it untouched: update tui to change it`,
		]);
		await expect(
			updateAuthFile(home, 'openai', (f) => ({
				file: {...f, accounts: [key('new') as any], active: 'new'},
				result: undefined,
			})),
		).rejects.toThrow(/written by a newer tui \(version 2\)/);
		expect(await fs.readFile(path, 'utf8')).toBe(before);
		expect((await fs.readdir(home + '/auth')).filter((n) => n.includes('corrupt'))).toEqual([]);
	});

	it('one bad account is "unreadable (why)" and the others work: negative expiresAt, non-ASCII label, duplicate label; a BOM is ignored', async () => {
		const json = {
			version: 1,
			active: 'neg',
			accounts: [
				key('good'),
				{id: 'neg', label: 'neg', kind: 'oauth', tokens: {access: 'a', expiresAt: -1}, createdAt: created},
				{...key('zurich'), label: 'Zürich'},
				{...key('dupe'), label: 'GOOD'},
			],
		};
		const path = await write(json, '\uFEFF');
		const file = await readAuthFile(home, 'openai');
		expect(file.accounts.map((a) => a.id)).toEqual(['good']);
		expect(file.active).toBeNull();
		expect(file.unreadable?.map((u) => [u.id, u.reason, u.active])).toEqual([
			['neg', 'tokens.expiresAt: Too small: expected number to be >=0', true],
			['zurich', expect.stringMatching(/^label: /), false],
			['dupe', 'duplicate label "GOOD"', false],
		]);
		const problems = authFileProblems(home, 'openai', file);
		expect(problems).toHaveLength(3);
		expect(problems[0]).toBe(
			`${path}: account "neg" is unreadable (tokens.expiresAt: Too small: expected number to be >=0), and it is the active one; it is kept untouched, the other accounts work`,
		);
		expect(problems.join('\n')).not.toContain('sk-test');
		// A write keeps the unreadable accounts and the active pointer to one of them.
		await updateAuthFile(home, 'openai', (f) => ({file: markUsed(f, 'good', Date.UTC(2026, 5, 1)), result: undefined}));
		const after = JSON.parse(await fs.readFile(path, 'utf8'));
		expect(after.active).toBe('neg');
		expect(after.accounts.slice(1)).toEqual(json.accounts.slice(1));
		expect((await fs.readdir(home + '/auth')).filter((n) => n.includes('corrupt'))).toEqual([]);
	});
});
