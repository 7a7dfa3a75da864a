import {describe, expect, it} from 'vitest';
import {
	activeAccount,
	addAccount,
	findAccount,
	markUsed,
	removeAccount,
	renameAccount,
	replaceAccount,
	setActive,
} from '../../source/core/accounts.js';
import {UsageError} from '../../source/core/errors.js';
import {authFileSchema, type Account, type AuthFile} from '../../source/core/schemas.js';
import {checkShape} from '../../source/core/shape.js';

const empty: AuthFile = Object.freeze({
	version: 1,
	active: null,
	accounts: Object.freeze([]) as unknown as Account[],
}) as AuthFile;

function ids() {
	let n = 0;
	return () => `id${++n}`;
}

function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object') {
		for (const inner of Object.values(value)) deepFreeze(inner);
		Object.freeze(value);
	}
	return value;
}

/** Three accounts: work (api-key), home (oauth), cc (delegated); cc is active. */
function three(): AuthFile {
	const newId = ids();
	let file = empty;
	file = addAccount(file, {kind: 'api-key', label: 'work', key: 'sk-1'}, {now: 1000, newId}).file;
	file = addAccount(
		file,
		{kind: 'oauth', label: 'home', tokens: {access: 'at', refresh: 'rt', expiresAt: 5}, plan: 'plus'},
		{now: 2000, newId},
	).file;
	file = addAccount(file, {kind: 'delegated', label: 'cc', tool: 'claude-code'}, {now: 3000, newId}).file;
	return deepFreeze(file);
}

describe('addAccount', () => {
	it('adds with id and createdAt, makes the new account active, and yields a schema-valid file', () => {
		const {file, account} = addAccount(
			empty,
			{kind: 'api-key', label: 'work', key: 'sk-1'},
			{now: Date.UTC(2026, 0, 2), newId: () => 'abc'},
		);
		expect(account).toEqual({
			kind: 'api-key',
			label: 'work',
			key: 'sk-1',
			id: 'abc',
			createdAt: '2026-01-02T00:00:00.000Z',
		});
		expect(file.active).toBe('abc');
		expect(file.accounts).toEqual([account]);
		expect(checkShape(authFileSchema, file).success).toBe(true);
		expect(empty.accounts).toHaveLength(0);
		const f = three();
		expect(f.active).toBe('id3');
		expect(f.accounts.map((a) => a.label)).toEqual(['work', 'home', 'cc']);
		expect(checkShape(authFileSchema, f).success).toBe(true);
	});

	it('refuses a label that exists in another case, naming the clash', () => {
		const f = three();
		expect(() => addAccount(f, {kind: 'api-key', label: 'WORK', key: 'k'}, {now: 0, newId: () => 'x'})).toThrow(
			UsageError,
		);
		expect(() => addAccount(f, {kind: 'api-key', label: 'WORK', key: 'k'}, {now: 0, newId: () => 'x'})).toThrow(
			/"work" already exists/,
		);
	});

	it('refuses a label with separators or control characters, without echoing them raw', () => {
		let error: unknown;
		try {
			addAccount(empty, {kind: 'api-key', label: 'a/\u001b[31m', key: 'k'}, {now: 0, newId: () => 'x'});
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(UsageError);
		expect((error as Error).message).not.toContain('\u001b');
		expect((error as Error).message).toContain('\\u001b');
	});

	it('asks for another id when newId collides', () => {
		const f = three();
		const queue = ['id1', 'id2', 'fresh'];
		const {account} = addAccount(f, {kind: 'api-key', label: 'new', key: 'k'}, {now: 0, newId: () => queue.shift()!});
		expect(account.id).toBe('fresh');
	});
});

describe('findAccount', () => {
	it('finds by id, then by label case-insensitively', () => {
		const f = three();
		expect(findAccount(f, 'id2')?.label).toBe('home');
		expect(findAccount(f, 'HOME')?.id).toBe('id2');
		expect(findAccount(f, 'nope')).toBeUndefined();
		expect(activeAccount(f)?.label).toBe('cc');
	});
});

describe('removeAccount', () => {
	it('removing the active account activates the next one, else the previous, else none', () => {
		let f = setActive(three(), 'home');
		const first = removeAccount(f, 'home');
		expect(first.removed.id).toBe('id2');
		expect(first.file.active).toBe('id3');
		f = first.file;
		f = removeAccount(f, 'cc').file;
		expect(f.active).toBe('id1');
		f = removeAccount(f, 'id1').file;
		expect(f).toEqual({version: 1, active: null, accounts: []});
	});

	it('removing another account keeps the active one, and an unknown one is a usage error listing the labels', () => {
		const f = three();
		expect(removeAccount(f, 'work').file.active).toBe('id3');
		expect(() => removeAccount(f, 'ghost')).toThrow(/no account "ghost" \(accounts: work, home, cc\)/);
	});
});

describe('setActive / renameAccount / replaceAccount / markUsed', () => {
	it('setActive by label or id', () => {
		expect(setActive(three(), 'Work').active).toBe('id1');
		expect(setActive(three(), 'id2').active).toBe('id2');
		expect(() => setActive(empty, 'x')).toThrow(/there are no accounts/);
	});

	it('renameAccount refuses a duplicate but allows a change of case of its own label', () => {
		const f = three();
		expect(() => renameAccount(f, 'work', 'Home')).toThrow(/"home" already exists/);
		expect(findAccount(renameAccount(f, 'work', 'WORK'), 'id1')?.label).toBe('WORK');
		const renamed = renameAccount(f, 'id1', 'office');
		expect(renamed.accounts.map((a) => a.label)).toEqual(['office', 'home', 'cc']);
		expect(f.accounts[0]?.label).toBe('work');
	});

	it('replaceAccount swaps by id and refuses an unknown id or a clashing label', () => {
		const f = three();
		const home = findAccount(f, 'home')!;
		if (home.kind !== 'oauth') throw new Error('fixture');
		const refreshed = {...home, tokens: {...home.tokens, access: 'new'}};
		const next = replaceAccount(f, refreshed);
		expect(findAccount(next, 'id2')).toEqual(refreshed);
		expect(next.accounts).toHaveLength(3);
		expect(() => replaceAccount(f, {...refreshed, id: 'ghost'})).toThrow(UsageError);
		expect(() => replaceAccount(f, {...refreshed, label: 'cc'})).toThrow(/"cc" already exists/);
	});

	it('markUsed stamps lastUsedAt, and ignores an id removed meanwhile', () => {
		const f = three();
		const used = markUsed(f, 'id1', Date.UTC(2026, 5, 1));
		expect(findAccount(used, 'id1')?.lastUsedAt).toBe('2026-06-01T00:00:00.000Z');
		expect(findAccount(f, 'id1')?.lastUsedAt).toBeUndefined();
		expect(markUsed(f, 'ghost', 0)).toBe(f);
	});
});
