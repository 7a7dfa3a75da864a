// The home screen under ink-testing-library over a seeded temp home: what it shows, and each menu entry.
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {recordRateLimitHeaders} from '../../source/store/usage-ledger.js';
import {HomeScreen} from '../../source/ui/screens/home/home-screen.js';
import {KEYS} from '../helpers/keys.js';
import {activeLabel, labels, readPreferences, seedAccounts} from './account-seed.js';
import {renderScreen, tempHome, testServices, unmount} from './helpers.js';
import {press, waitForFrame, type Rendered} from '../helpers/wait.js';

let home: string;
const cleanups: Array<() => Promise<void>> = [];
beforeEach(async () => {
	home = await tempHome();
	await seedAccounts(home);
});
afterEach(async () => {
	for (const cleanup of cleanups.splice(0)) await cleanup();
});

type Events = {quota: number; exits: number};

async function mount(columns = 100): Promise<{r: Rendered; events: Events}> {
	const events: Events = {quota: 0, exits: 0};
	const r = await renderScreen(
		<HomeScreen onQuota={() => events.quota++} onExit={() => events.exits++} />,
		testServices(home, {columns}),
	);
	cleanups.push(() => unmount(r));
	await waitForFrame(r, 'Selection:');
	return {r, events};
}

const highlighted = (r: Rendered) => (r.lastFrame() ?? '').split('\n').find((l) => l.trimStart().startsWith('›')) ?? '';

async function choose(r: Rendered, entry: string): Promise<void> {
	for (let i = 0; i < 10 && !highlighted(r).includes(entry); i++) await press(r, KEYS.down);
	expect(highlighted(r)).toContain(entry);
	await press(r, KEYS.enter);
}

describe('HomeScreen', () => {
	it('shows the active account, the selection decision with its reason, and the menu', async () => {
		const {r} = await mount();
		const frame = r.lastFrame()!;
		expect(frame).toContain('Active: OpenAI / personal (oauth · plus · token expires in 1 d 23 h');
		expect(frame).toContain('Selection: using OpenAI / personal: preferred, usable');
		expect(frame).not.toContain('Quota:');
		for (const entry of [
			'Switch provider or account',
			'Add account',
			'Fallback preferences',
			'Quota',
			'Log out of OpenAI / personal',
			'Quit',
		])
			expect(frame).toContain(entry);
		expect(highlighted(r)).toContain('Switch provider or account');
		expect(frame).toContain('↑↓ select · enter confirm · q/esc quit');
		expect(frame).not.toContain('canary');
	});

	it('shows a one-line quota summary once usage is known', async () => {
		const s = (ms: number) => String(Math.round(ms / 1000));
		await recordRateLimitHeaders(
			home,
			'claude',
			'acc_seed1',
			{
				'anthropic-ratelimit-unified-5h-utilization': '0.85',
				'anthropic-ratelimit-unified-5h-reset': s(Date.now() + 3600_000),
			},
			Date.now(),
		);
		const {r} = await mount();
		expect(r.lastFrame()).toMatch(/Quota: openai plus plan on │ claude 85%! 5h/);
	});

	it('shows the active ChatGPT account: email, plan and plan usage', async () => {
		const {r} = await mount();
		expect(r.lastFrame()).toContain('ChatGPT: me@example.com · plus plan · plan usage on');
	});

	it('the first time plan usage is on: "You\'re using your ChatGPT plan" until acknowledged, and never again', async () => {
		await readPreferences(home);
		const {updatePreferences} = await import('../../source/store/preferences.js');
		await updatePreferences(home, ({chatgptPlanNoticeAt: _seen, ...rest}) => rest);
		const {r} = await mount();
		let frame = await waitForFrame(r, "You're using your ChatGPT plan");
		expect(frame).toContain('Plus: a 5-hour limit shared by every app');
		expect(frame).toContain('Manage usage: https://chatgpt.com/settings/usage');
		expect(frame).toContain('enter got it');
		expect(frame).not.toContain('Switch provider or account');
		// Arrow keys do not slip past it; enter acknowledges and the menu appears.
		await press(r, KEYS.down);
		expect(r.lastFrame()).toContain("You're using your ChatGPT plan");
		await press(r, KEYS.enter);
		frame = await waitForFrame(r, 'Switch provider or account');
		expect(frame).not.toContain("You're using your ChatGPT plan");
		expect((await readPreferences(home)).chatgptPlanNoticeAt).toMatch(/^\d{4}-/);
		// Kept: a new home screen does not show it again.
		const again = await mount();
		expect(again.r.lastFrame()).not.toContain("You're using your ChatGPT plan");
		expect(again.r.lastFrame()).toContain('Switch provider or account');
	});

	it('Switch opens the picker; choosing an account switches and comes back with the new decision', async () => {
		const {r} = await mount();
		await choose(r, 'Switch provider or account');
		await waitForFrame(r, 'spare');
		for (let i = 0; i < 10 && !highlighted(r).includes('work'); i++) await press(r, KEYS.down);
		await press(r, KEYS.enter);
		const frame = await waitForFrame(r, 'Switched to Claude / work.');
		expect(await waitForFrame(r, 'Selection: using Claude / work: preferred, usable')).toContain(
			'Active: Claude / work (api-key · …1234',
		);
		expect(frame).toContain('Log out of');
		expect((await readPreferences(home)).activeProvider).toBe('claude');
	});

	it('Add account opens the add flow; Esc there comes back to the menu', async () => {
		const {r} = await mount();
		await choose(r, 'Add account');
		await waitForFrame(r, 'Which provider?');
		await press(r, KEYS.escape);
		await waitForFrame(r, 'Selection:');
		expect(r.lastFrame()).toContain('Quit');
	});

	it('Fallback preferences opens the screen; Enter saves and comes back', async () => {
		const {r} = await mount();
		await choose(r, 'Fallback preferences');
		await waitForFrame(r, 'Preview:');
		await press(r, KEYS.space, KEYS.enter);
		await waitForFrame(r, 'Fallback preferences saved.');
		expect((await readPreferences(home)).fallback.enabled).toBe(true);
	});

	it('Quota calls onQuota; Quit and Esc call onExit', async () => {
		const {r, events} = await mount();
		await choose(r, 'Quota');
		expect(events.quota).toBe(1);
		await choose(r, 'Quit');
		expect(events.exits).toBe(1);
		await press(r, KEYS.escape);
		expect(events.exits).toBe(2);
	});

	it('Log out asks y/N: n keeps the account, y removes it from auth/openai.json', async () => {
		const {r} = await mount();
		await choose(r, 'Log out of OpenAI / personal');
		expect(await waitForFrame(r, 'Log out of OpenAI / personal?')).toContain('[y/N]');
		await press(r, 'n');
		await waitForFrame(r, 'Nothing logged out.');
		expect(await labels(home, 'openai')).toEqual(['personal', 'old']);

		await choose(r, 'Log out of OpenAI / personal');
		await waitForFrame(r, '[y/N]');
		await press(r, 'y');
		await waitForFrame(r, 'Logged out of OpenAI / personal.');
		expect(await labels(home, 'openai')).toEqual(['old']);
		expect(await activeLabel(home, 'openai')).toBe('old');
		// The next account is unusable, and the decision says so.
		expect(await waitForFrame(r, 'Active: OpenAI / old')).toContain('needs login');
	});

	it.each([80, 60])('fits %i columns', async (columns) => {
		const {r} = await mount(columns);
		for (const line of r.lastFrame()!.split('\n')) expect(line.length).toBeLessThanOrEqual(columns);
	});
});
