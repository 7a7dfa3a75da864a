// Screens that fit the terminal and behave, with real keys through ink-testing-library: lists scroll with the
// cursor in view, the comparison pages its modes when they do not fit, a resize re-lays out, a sign-in says who
// signed in, a refusal offers no "Try again", and the home screen opens quota in place.
import {EventEmitter} from 'node:events';
import {act, useState} from 'react';
import {Text} from 'ink';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {UsageError} from '../../source/core/errors.js';
import {needsLoginReason} from '../../source/core/text.js';
import {Frame} from '../../source/ui/components/frame.js';
import {SelectList, useListStep, useSelectList, type SelectItem} from '../../source/ui/components/select-list.js';
import {KeyHints} from '../../source/ui/components/key-hints.js';
import {LIST_HINTS} from '../../source/ui/keymap.js';
import {ServicesProvider} from '../../source/ui/services.js';
import {urlRows} from '../../source/ui/components/url-block.js';
import {listWindow, wrappedLines} from '../../source/ui/components/viewport.js';
import {useHoldKeys, useKeys} from '../../source/ui/hooks/use-keys.js';
import {HomeScreen} from '../../source/ui/screens/home/home-screen.js';
import {ComparisonStep} from '../../source/ui/screens/onboarding/comparison-step.js';
import {LoginStep, methodItems} from '../../source/ui/screens/onboarding/login-step.js';
import {WelcomeStep} from '../../source/ui/screens/onboarding/welcome-step.js';
import type {LoginHandle, SavedAccount, TerminalSize} from '../../source/ui/services.js';
import {KEYS} from '../helpers/keys.js';
import {seedAccounts} from './account-seed.js';
import {ENV as QUOTA_ENV, NOW as QUOTA_NOW, seedHome} from './quota-fixture.js';
import {gatherQuota} from '../../source/app/quota.js';
import {renderScreen, tempHome, testServices, unmount} from './helpers.js';
import {press, until, waitForFrame, type Rendered} from '../helpers/wait.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const lines = (r: Rendered) => (r.lastFrame() ?? '').split('\n');
const cursorLine = (r: Rendered) => lines(r).find((line) => line.trimStart().startsWith('›'));

describe('fitting text and lists', () => {
	it('counts word-wrapped lines the way Ink wraps them', () => {
		expect(wrappedLines('short', 20)).toBe(1);
		expect(wrappedLines('one two three', 9)).toBe(2);
		expect(wrappedLines('one two three four', 9)).toBe(3);
		expect(wrappedLines('x'.repeat(25), 10)).toBe(3);
	});

	it('keeps the highlighted item in the window and moves only as far as it must', () => {
		const heights = Array.from({length: 10}, () => 2);
		expect(listWindow(heights, 0, 100)).toEqual({start: 0, end: 10, above: false, below: false});
		const first = listWindow(heights, 0, 7);
		expect(first).toMatchObject({start: 0, below: true});
		const last = listWindow(heights, 9, 7, first.start);
		expect(last.end).toBe(10);
		expect(last.start).toBeGreaterThan(0);
		for (let cursor = 0; cursor < 10; cursor++) {
			const view = listWindow(heights, cursor, 7);
			expect(cursor).toBeGreaterThanOrEqual(view.start);
			expect(cursor).toBeLessThan(view.end);
			const used = (view.above ? 1 : 0) + (view.below ? 1 : 0) + 2 * (view.end - view.start);
			expect(used).toBeLessThanOrEqual(7);
		}
	});

	it('cuts a URL into full-width rows that join back into it', () => {
		const url = `https://auth.example.com/authorize?state=${'s'.repeat(90)}`;
		const rows = urlRows(url, 60);
		expect(rows.slice(0, -1).every((row) => row.length === 60)).toBe(true);
		expect(rows.join('')).toBe(url);
	});

	it('a stored "needs login" message reads in full, without its own fix', () => {
		expect(
			needsLoginReason(
				'OpenAI account "work": the login is no longer valid (invalid_grant); log in again: tui auth login --provider openai',
			),
		).toBe('the login is no longer valid (invalid_grant)');
	});

	function LongList({count}: {readonly count: number}) {
		const items: SelectItem<number>[] = Array.from({length: count}, (_, index) => ({
			value: index,
			label: `Item ${index + 1}`,
			description: `about item ${index + 1}`,
		}));
		const list = useSelectList(items, 0);
		useKeys((input, key) => void list.handleKey(input, key));
		return (
			<Frame title="A long list" footer={<></>}>
				<SelectList items={items} highlighted={list.highlighted} numbered={false} />
			</Frame>
		);
	}

	it('a list taller than the terminal scrolls with ↑/↓, the cursor and the title always shown', async () => {
		const rows = 12;
		const r = await renderScreen(
			<LongList count={15} />,
			testServices(await tempHome(), {columns: 60, overrides: {rows}}),
		);
		cleanups.push(() => unmount(r));
		await waitForFrame(r, '↓');
		for (let step = 0; step < 20; step++) {
			const frame = lines(r);
			expect(frame.length).toBeLessThanOrEqual(rows - 1);
			expect(frame[0]).toContain('A long list');
			expect(cursorLine(r)).toContain(`Item ${(step % 15) + 1}`);
			await press(r, KEYS.down);
		}
		await waitForFrame(r, '↑');
	});

	// Items 1–30, every fifth unavailable, one label long enough to wrap beside the marker.
	const MANY: SelectItem<number>[] = Array.from({length: 30}, (_, index) => ({
		value: index,
		label:
			index === 12 ? `Item ${index + 1} with a label long enough to wrap onto a second line here` : `Item ${index + 1}`,
		description: index % 3 === 0 ? `about item ${index + 1}` : undefined,
		disabled: index % 5 === 4 ? 'not here' : undefined,
	}));

	function ManyList({onChosen}: {readonly onChosen: (value: number) => void}) {
		const list = useListStep(MANY, 0, {isActive: true, onChosen, onBack: () => {}});
		return (
			<Frame title="Thirty items" footer={<KeyHints hints={LIST_HINTS} />}>
				<SelectList items={MANY} highlighted={list.highlighted} />
			</Frame>
		);
	}

	it('at 60×20 a 30-item list shows what fits, the cursor, the counts of the hidden items, and reaches all of them', async () => {
		const chosen: number[] = [];
		const r = await renderScreen(
			<ManyList onChosen={(value) => chosen.push(value)} />,
			testServices(await tempHome(), {columns: 60, overrides: {rows: 20}}),
		);
		cleanups.push(() => unmount(r));
		await waitForFrame(r, '↓');
		const seen = new Set<number>();
		// Down through every item and round to the first again, then up from the first round to the last.
		for (const [key, steps] of [
			[KEYS.down, 31],
			[KEYS.up, 2],
		] as const) {
			for (let step = 0; step < steps; step++) {
				const frame = lines(r);
				expect(frame.length).toBeLessThanOrEqual(19);
				expect(frame[0]).toContain('Thirty items');
				expect(r.lastFrame()).toContain('↑↓ select · enter confirm · esc back');
				for (const line of frame) expect(line.length).toBeLessThanOrEqual(60);
				const number = Number(/Item (\d+)/.exec(cursorLine(r) ?? '')?.[1]);
				seen.add(number);
				// The counts name exactly the items not shown.
				const shown = frame.flatMap((line) => [...(/Item (\d+)/.exec(line)?.slice(1) ?? [])]).map(Number);
				const above = Number(/↑ (\d+) more/.exec(r.lastFrame()!)?.[1] ?? 0);
				const below = Number(/↓ (\d+) more/.exec(r.lastFrame()!)?.[1] ?? 0);
				expect(shown[0]).toBe(above + 1);
				expect(shown.at(-1)).toBe(30 - below);
				await press(r, key);
			}
		}
		expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({length: 30}, (_, index) => index + 1));
		expect(cursorLine(r)).toContain('Item 30');
		// The long label wraps beside the marker and its lines are counted: still within the frame.
		for (let step = 0; step < 17; step++) await press(r, KEYS.up);
		expect(cursorLine(r)).toContain('Item 13 with a label long enough');
		expect(lines(r).length).toBeLessThanOrEqual(19);
		// Number keys pick by the number shown, wherever the window is; an unavailable item is not chosen.
		await press(r, '5');
		expect(chosen).toEqual([]);
		expect(cursorLine(r)).toContain('5. Item 5');
		await press(r, '3');
		expect(chosen).toEqual([2]);
		expect(cursorLine(r)).toContain('3. Item 3');
	});

	function Growing({count}: {readonly count: number}) {
		const list = useListStep(MANY.slice(0, count), 2, {isActive: true, onChosen: () => {}, onBack: () => {}});
		return <SelectList items={MANY.slice(0, count)} highlighted={list.highlighted} />;
	}

	it('the cursor stays on its item when items are added to the list', async () => {
		const services = testServices(await tempHome(), {columns: 60, overrides: {rows: 20}});
		const r = await renderScreen(<Growing count={3} />, services);
		cleanups.push(() => unmount(r));
		expect(cursorLine(r)).toContain('3. Item 3');
		await act(async () => {
			r.rerender(
				<ServicesProvider services={services}>
					<Growing count={4} />
				</ServicesProvider>,
			);
		});
		await waitForFrame(r, 'Item 4');
		expect(cursorLine(r)).toContain('3. Item 3');
	});

	function Loading({ready}: {readonly ready: boolean}) {
		const [chosen, setChosen] = useState<number | undefined>(undefined);
		useHoldKeys(!ready);
		if (!ready) return <Text>Loading…</Text>;
		return chosen === undefined ? <ListStep onChosen={setChosen} /> : <Text>{`Chose ${chosen}`}</Text>;
	}

	function ListStep({onChosen}: {readonly onChosen: (value: number) => void}) {
		const list = useListStep(MANY.slice(0, 4), 0, {isActive: true, onChosen, onBack: () => {}});
		return <SelectList items={MANY.slice(0, 4)} highlighted={list.highlighted} />;
	}

	it('keys typed while a list is still coming reach it once it is shown', async () => {
		const services = testServices(await tempHome(), {columns: 60, overrides: {rows: 20}});
		const r = await renderScreen(<Loading ready={false} />, services);
		cleanups.push(() => unmount(r));
		await press(r, KEYS.down);
		await act(async () => {
			r.rerender(
				<ServicesProvider services={services}>
					<Loading ready />
				</ServicesProvider>,
			);
		});
		await waitForFrame(r, 'Item 4');
		expect(cursorLine(r)).toContain('2. Item 2');
		await press(r, KEYS.enter);
		await waitForFrame(r, 'Chose 1');
	});
});

describe('the welcome step at 60×20', () => {
	it('with four findings, every one can be highlighted and read, under the title, within 19 lines', async () => {
		const detected = {
			envKeys: [
				{provider: 'openai' as const, variable: 'OPENAI_API_KEY', key: 'sk-test-aaaaaaaaaaaaaaaa1234'},
				{provider: 'claude' as const, variable: 'ANTHROPIC_API_KEY', key: 'sk-ant-test-bbbbbbbbbbbb5678'},
			],
			codexLogin: {path: '/home/someone/.codex/auth.json', plan: 'plus'},
			claudeCli: {version: '2.1.50', supportsAuth: true},
		};
		const r = await renderScreen(
			<WelcomeStep isActive onDone={() => {}} />,
			testServices(await tempHome(), {columns: 60, detected, overrides: {rows: 20}}),
		);
		cleanups.push(() => unmount(r));
		await waitForFrame(r, 'Found on this machine:');
		for (const text of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'A Codex login', 'Claude Code 2.1.50']) {
			expect(lines(r).length).toBeLessThanOrEqual(19);
			expect(lines(r)[0]).toContain('Welcome to tui');
			expect(cursorLine(r)).toContain(text);
			await press(r, KEYS.down);
		}
	});
});

describe('the comparison at 60×20', () => {
	it('shows one mode at a time, ←/→ moves between them, and the frame fits', async () => {
		const r = await renderScreen(
			<ComparisonStep isActive provider="claude" tier="pro" purpose="primary" onChosen={() => {}} onBack={() => {}} />,
			testServices(await tempHome(), {columns: 60, overrides: {rows: 20}}),
		);
		cleanups.push(() => unmount(r));
		await waitForFrame(r, 'Mode 2 of 3');
		expect(lines(r)[0]).toContain('How to use Claude Pro');
		expect(lines(r).length).toBeLessThanOrEqual(19);
		expect(cursorLine(r)).toContain('2. API key');
		expect(r.lastFrame()).not.toContain('1. Subscription');
		await press(r, KEYS.right);
		await waitForFrame(r, 'Mode 3 of 3');
		expect(cursorLine(r)).toContain('3. Auto');
		await press(r, KEYS.left, KEYS.left);
		await waitForFrame(r, 'Mode 1 of 3');
		expect(cursorLine(r)).toContain('1. Subscription');
		expect(lines(r).length).toBeLessThanOrEqual(19);
	});

	it('keeps three columns where they fit, and re-lays out on a resize', async () => {
		const terminal = new EventEmitter();
		const onResize = (listener: (size: TerminalSize) => void) => {
			terminal.on('resize', listener);
			return () => void terminal.off('resize', listener);
		};
		const r = await renderScreen(
			<ComparisonStep isActive provider="claude" tier="pro" purpose="primary" onChosen={() => {}} onBack={() => {}} />,
			testServices(await tempHome(), {columns: 100, overrides: {rows: 40, onResize}}),
		);
		cleanups.push(() => unmount(r));
		await waitForFrame(r, /1\. Subscription.*2\. API key.*3\. Auto/);
		await act(async () => {
			terminal.emit('resize', {columns: 60, rows: 20});
		});
		await waitForFrame(r, 'Mode 2 of 3');
		for (const line of lines(r)) expect(line.length).toBeLessThanOrEqual(60);
		expect(lines(r).length).toBeLessThanOrEqual(19);
	});
});

describe('the login step', () => {
	const NOW = Date.parse('2026-11-23T10:00:00Z');

	function handleFor(done: Promise<SavedAccount>): LoginHandle {
		return {
			authUrl: `https://auth.openai.com/oauth/authorize?client_id=x&state=${'s'.repeat(80)}`,
			expiresAt: NOW + 5 * 60_000,
			done,
			cancel: () => {},
		};
	}

	it('says who signed in, and that frame is the last: no countdown, no keys', async () => {
		let resolve!: (account: SavedAccount) => void;
		const done = new Promise<SavedAccount>((res) => (resolve = res));
		const onDone = vi.fn();
		const copied: string[] = [];
		const services = testServices(await tempHome(), {
			columns: 60,
			overrides: {
				rows: 20,
				now: () => NOW,
				startLogin: async () => handleFor(done),
				copyToClipboard: (text) => void copied.push(text),
				openUrl: async () => true,
			},
		});
		const r = await renderScreen(
			<LoginStep isActive provider="openai" need="subscription" onDone={onDone} onBack={() => {}} />,
			services,
		);
		cleanups.push(() => unmount(r));
		await press(r, KEYS.enter);
		await waitForFrame(r, 'times out in 5:00');
		expect(r.lastFrame()).toContain('c copy URL · o open browser');
		await press(r, 'c');
		await waitForFrame(r, 'Copied the URL to the clipboard.');
		expect(copied).toEqual([handleFor(done).authUrl]);
		await press(r, 'o');
		await waitForFrame(r, 'Opened the URL in your browser again.');
		await act(async () => {
			resolve({provider: 'openai', id: 'acc_1', label: 'me', kind: 'oauth', plan: 'plus', email: 'me@example.com'});
		});
		await until(() => onDone.mock.calls.length === 1, 'onDone');
		const frame = r.lastFrame()!;
		expect(frame).toContain('✓ Signed in as me@example.com (Plus)');
		expect(frame).not.toContain('times out');
		expect(frame).not.toContain('esc cancel');
	});

	it('a refusal offers another method or back, never "Try again"', async () => {
		const startLogin = vi.fn(async () => {
			throw new UsageError('device login is not available here; use --method browser or --method paste');
		});
		const services = testServices(await tempHome(), {overrides: {startLogin}});
		const r = await renderScreen(
			<LoginStep isActive provider="openai" need="subscription" onDone={() => {}} onBack={() => {}} />,
			services,
		);
		cleanups.push(() => unmount(r));
		await press(r, '2');
		const frame = await waitForFrame(r, '✗ device login is not available here');
		expect(frame).not.toContain('Try again');
		expect(cursorLine(r)).toContain('1. Use another method');
		await press(r, KEYS.enter);
		await waitForFrame(r, 'How do you want to sign in?');
		expect(startLogin).toHaveBeenCalledTimes(1);
	});

	it("Claude's sign-in never offers a device code", () => {
		const labels = methodItems(
			'claude',
			'subscription',
			{envKeys: [], claudeCli: {version: '2.1.50', supportsAuth: true}},
			true,
		).map((item) => item.label);
		expect(labels.some((label) => label.startsWith('Device code'))).toBe(false);
		expect(labels.some((label) => label.startsWith('Browser sign-in'))).toBe(true);
	});
});

describe('home and quota', () => {
	it('Quota replaces the home screen in the same tree, and q brings the menu back', async () => {
		const home = await tempHome();
		await seedAccounts(home);
		const quotaHome = await seedHome();
		const load = () => gatherQuota({home: quotaHome, env: QUOTA_ENV, now: () => QUOTA_NOW, offline: true});
		const onExit = vi.fn();
		const r = await renderScreen(
			<HomeScreen quota={{load, timeZone: 'UTC'}} onExit={onExit} />,
			testServices(home, {columns: 60, overrides: {rows: 20}}),
		);
		cleanups.push(() => unmount(r));
		await waitForFrame(r, 'Selection:');
		await press(r, '4');
		const frame = await waitForFrame(r, /as of \d\d:\d\d/);
		expect(frame).not.toContain('Switch provider or account');
		expect(lines(r).length).toBeLessThanOrEqual(19);
		expect(lines(r)[0]).toContain('Quota');
		// Taller than the terminal: it scrolls under its title and footer.
		expect(frame).toMatch(/↑↓ scroll .* lines 1–\d+ of \d+/);
		await press(r, KEYS.down);
		await waitForFrame(r, /lines 2–\d+ of \d+/);
		expect(lines(r).length).toBeLessThanOrEqual(19);
		expect(lines(r)[0]).toContain('Quota');
		await press(r, 'q');
		await waitForFrame(r, 'Switch provider or account');
		expect(r.lastFrame()).not.toContain('r refresh');
		expect(cursorLine(r)).toContain('4. Quota');
		expect(onExit).not.toHaveBeenCalled();
	});
});
