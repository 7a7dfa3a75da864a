// The account switcher under ink-testing-library, over a temp home seeded through the store: real keys
// in, frames and the auth/config files read back out.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {readAuthFile} from '../../source/store/auth-file.js';
import {AccountSwitcher, accountSwitcherElement} from '../../source/ui/screens/accounts/account-switcher.js';
import {createAccountsApi, type SwitchResult} from '../../source/app/accounts.js';
import {KEYS} from '../helpers/keys.js';
import {activeLabel, CLAUDE_SPARE_KEY, CLAUDE_WORK_KEY, labels, readPreferences, seedAccounts} from './account-seed.js';
import {renderScreen, startModelsStub, tempHome, testServices, unmount} from './helpers.js';
import {press, type, waitForFrame, type Rendered} from '../helpers/wait.js';

let home: string;
const cleanups: Array<() => Promise<void>> = [];
beforeEach(async () => {
	home = await tempHome();
	await seedAccounts(home);
});
afterEach(async () => {
	for (const cleanup of cleanups.splice(0)) await cleanup();
});

type Events = {switched: SwitchResult[]; exits: number};

async function mount(
	options: {columns?: number; env?: Record<string, string>; start?: 'list' | 'add'} = {},
): Promise<{r: Rendered; events: Events}> {
	const events: Events = {switched: [], exits: 0};
	const r = await renderScreen(
		<AccountSwitcher
			start={options.start}
			onSwitched={(result) => events.switched.push(result)}
			onExit={() => events.exits++}
		/>,
		testServices(home, {columns: options.columns, env: options.env}),
	);
	cleanups.push(() => unmount(r));
	await waitForFrame(r, 'spare');
	return {r, events};
}

const highlightedLine = (frame: string) => frame.split('\n').find((line) => line.trimStart().startsWith('›')) ?? '';

/** Arrow down until the "›" marker sits on the line with `label`. */
async function moveTo(r: Rendered, label: string): Promise<void> {
	for (let i = 0; i < 10; i++) {
		if (highlightedLine(r.lastFrame() ?? '').includes(label)) return;
		await press(r, KEYS.down);
	}
	throw new Error(`never highlighted ${label}:\n${r.lastFrame()}`);
}

describe('AccountSwitcher', () => {
	it('lists both providers and every account, marks the active one with text, never shows a secret', async () => {
		const {r} = await mount();
		const frame = r.lastFrame()!;
		for (const text of [
			'OpenAI',
			'Claude',
			'personal',
			'old',
			'work',
			'spare',
			'…1234',
			'…9999',
			'plus',
			'needs login',
		])
			expect(frame).toContain(text);
		// The cursor starts on the active account, and "[active]" marks it without colour.
		expect(highlightedLine(frame)).toContain('personal');
		expect(frame.split('\n').find((l) => l.includes('personal'))).toContain('[active]');
		expect(frame.split('\n').find((l) => l.includes('OpenAI'))).toContain('[active provider]');
		expect(frame).toContain('token expires in 1 d 23 h');
		expect(frame.split('\n').find((l) => l.includes('…1234'))).toContain('used 3 h 1 m ago');
		expect(frame).toContain('esc leave unchanged');
		for (const secret of [CLAUDE_WORK_KEY, CLAUDE_SPARE_KEY, 'canary']) expect(frame).not.toContain(secret);
	});

	it("Enter switches: preferences.activeProvider and the file's active account are written", async () => {
		const {r, events} = await mount();
		await moveTo(r, 'spare');
		await press(r, KEYS.enter);
		await waitForFrame(r, () => events.switched.length === 1);
		expect(events.switched[0]!.provider).toBe('claude');
		expect(events.switched[0]!.account?.label).toBe('spare');
		expect((await readPreferences(home)).activeProvider).toBe('claude');
		expect(await activeLabel(home, 'claude')).toBe('spare');
	});

	it('Esc leaves everything unchanged', async () => {
		const before = await readFile(path.join(home, 'auth', 'claude.json'), 'utf8');
		const config = await readFile(path.join(home, 'config.json'), 'utf8');
		const {r, events} = await mount();
		await moveTo(r, 'work');
		await press(r, KEYS.escape);
		expect(events.exits).toBe(1);
		expect(events.switched).toHaveLength(0);
		expect(await readFile(path.join(home, 'auth', 'claude.json'), 'utf8')).toBe(before);
		expect(await readFile(path.join(home, 'config.json'), 'utf8')).toBe(config);
	});

	it('d asks y/N: n keeps the account, y removes it from auth/claude.json', async () => {
		const {r} = await mount();
		await moveTo(r, 'spare');
		await press(r, 'd');
		expect(await waitForFrame(r, 'Remove Claude / spare')).toContain('[y/N]');
		await press(r, 'n');
		await waitForFrame(r, 'Kept Claude / spare.');
		expect(await labels(home, 'claude')).toEqual(['work', 'spare']);

		await moveTo(r, 'spare');
		await press(r, 'd');
		await waitForFrame(r, 'Remove Claude / spare');
		await press(r, 'y');
		const frame = await waitForFrame(r, 'Removed Claude / spare.');
		expect(frame).not.toContain('…9999');
		expect(await labels(home, 'claude')).toEqual(['work']);
	});

	it('removal revokes through the wired hook, and a failing revocation still removes', async () => {
		const revoked: string[] = [];
		const accounts = createAccountsApi(home, Date.now, {
			revoke: async (provider, account) => {
				revoked.push(`${provider}/${account.label}/${account.kind === 'api-key' ? account.key : ''}`);
				throw new Error('revocation endpoint down');
			},
		});
		const r = await renderScreen(
			accountSwitcherElement({accounts, onSwitched: () => {}, onExit: () => {}}),
			testServices(home),
		);
		cleanups.push(() => unmount(r));
		await waitForFrame(r, 'spare');
		await moveTo(r, 'spare');
		await press(r, 'd');
		await waitForFrame(r, '[y/N]');
		await press(r, 'y');
		await waitForFrame(r, 'Removed Claude / spare.');
		expect(revoked).toEqual([`claude/spare/${CLAUDE_SPARE_KEY}`]);
		expect(await labels(home, 'claude')).toEqual(['work']);
	});

	it('a key typed while the accounts are read reaches the list once it shows', async () => {
		const real = createAccountsApi(home);
		let release!: () => void;
		const read = new Promise<void>((resolve) => {
			release = resolve;
		});
		const accounts = {...real, list: async () => (await read, real.list())};
		const r = await renderScreen(
			accountSwitcherElement({accounts, onSwitched: () => {}, onExit: () => {}}),
			testServices(home),
		);
		cleanups.push(() => unmount(r));
		await waitForFrame(r, 'Reading accounts…');
		await press(r, KEYS.down);
		release();
		// The cursor starts on the active account (personal); the ↓ typed early moves it one row on.
		const frame = await waitForFrame(r, (shown) => shown.includes('spare') && highlightedLine(shown).includes('old'));
		expect(frame).not.toContain('Reading accounts…');
	});

	it('r renames; a label another account uses is refused with one line, and nothing is written', async () => {
		const {r} = await mount();
		await moveTo(r, 'spare');
		await press(r, 'r');
		await waitForFrame(r, 'New label for Claude / spare:');
		await press(r, ...Array.from({length: 5}, () => KEYS.backspace));
		await type(r, 'WORK');
		await press(r, KEYS.enter);
		const refused = await waitForFrame(r, 'already exists');
		expect(refused).toContain('an account labelled "work" already exists; choose another label');
		expect(refused).toContain('Rename account');
		expect(await labels(home, 'claude')).toEqual(['work', 'spare']);

		await press(r, ...Array.from({length: 4}, () => KEYS.backspace));
		await type(r, 'backup');
		await press(r, KEYS.enter);
		await waitForFrame(r, 'Renamed Claude / spare to "backup".');
		expect(await labels(home, 'claude')).toEqual(['work', 'backup']);
		expect(r.lastFrame()).toContain('backup');
	});

	it("a adds an account through the wizard's login step, and the key lands in the auth file", async () => {
		const api = await startModelsStub([200]);
		cleanups.push(() => api.close());
		const {r} = await mount({env: {ANTHROPIC_BASE_URL: api.url}});
		await moveTo(r, 'work');
		await press(r, 'a');
		await waitForFrame(r, 'Which provider?');
		// The highlighted account's provider is preselected.
		expect(highlightedLine(r.lastFrame()!)).toContain('Claude');
		await press(r, KEYS.enter);
		await waitForFrame(r, 'Which kind?');
		await press(r, KEYS.down);
		await press(r, KEYS.enter);
		await waitForFrame(r, 'Paste your Claude API key');
		await type(r, 'sk-ant-test-canary-new-5678');
		await press(r, KEYS.enter);
		const frame = await waitForFrame(r, 'Added Claude / api-key.');
		expect(frame).toContain('…5678');
		expect(frame).not.toContain('canary');
		expect(await labels(home, 'claude')).toEqual(['work', 'spare', 'api-key']);
		expect(api.requests).toHaveLength(1);
	});

	it('the add screen says "an OpenAI" and "a Claude"', async () => {
		const {r} = await mount();
		await moveTo(r, 'work');
		await press(r, 'a');
		await waitForFrame(r, 'Which provider?');
		await press(r, KEYS.enter);
		expect(await waitForFrame(r, 'Which kind?')).toContain('Add a Claude account');
		await press(r, KEYS.escape);
		await waitForFrame(r, 'Which provider?');
		await press(r, KEYS.up);
		await press(r, KEYS.enter);
		expect(await waitForFrame(r, 'Which kind?')).toContain('Add an OpenAI account');
	});

	it('an unusable account is not switched to silently: it warns and offers a new login', async () => {
		const {r, events} = await mount();
		await moveTo(r, 'old');
		await press(r, KEYS.enter);
		const warning = await waitForFrame(r, 'Not usable');
		expect(warning).toContain('OpenAI / old: needs login (refresh token expired)');
		expect(warning).toContain('enter/l log in again');
		await press(r, KEYS.escape);
		await waitForFrame(r, 'leave unchanged');
		expect(events.switched).toHaveLength(0);
		expect(await activeLabel(home, 'openai')).toBe('personal');

		await press(r, KEYS.enter);
		await waitForFrame(r, 'Not usable');
		await press(r, 'l');
		await waitForFrame(r, 'Sign in to OpenAI');
		expect(await activeLabel(home, 'openai')).toBe('personal');
	});

	it.each([80, 60])('fits %i columns', async (columns) => {
		const {r} = await mount({columns});
		for (const line of r.lastFrame()!.split('\n')) expect(line.length).toBeLessThanOrEqual(columns);
		await moveTo(r, 'spare');
		await press(r, 'd');
		for (const line of (await waitForFrame(r, '[y/N]')).split('\n')) expect(line.length).toBeLessThanOrEqual(columns);
	});

	it('a corrupt-free empty home lists both providers with "press a to add"', async () => {
		home = await tempHome();
		const r = await renderScreen(<AccountSwitcher onSwitched={() => {}} onExit={() => {}} />, testServices(home));
		cleanups.push(() => unmount(r));
		const frame = await waitForFrame(r, 'Claude');
		expect(frame).toContain('no accounts: press a to add one');
		await press(r, KEYS.enter);
		expect(await waitForFrame(r, 'Not usable')).toContain('has no stored account');
		expect((await readAuthFile(home, 'openai')).accounts).toHaveLength(0);
	});
});
