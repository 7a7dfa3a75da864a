// The fallback preferences screen under ink-testing-library: real keys in, frames and config.json out.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {FallbackPreferences as Prefs} from '../../source/core/schemas.js';
import {FallbackPreferences} from '../../source/ui/screens/fallback/fallback-preferences.js';
import {KEYS} from '../helpers/keys.js';
import {readPreferences, seedAccounts} from './account-seed.js';
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

type Events = {saved: Prefs[]; exits: number};

async function mount(columns = 100): Promise<{r: Rendered; events: Events}> {
	const events: Events = {saved: [], exits: 0};
	const r = await renderScreen(
		<FallbackPreferences onSaved={(f) => events.saved.push(f)} onExit={() => events.exits++} />,
		testServices(home, {columns}),
	);
	cleanups.push(() => unmount(r));
	await waitForFrame(r, 'Preview:');
	return {r, events};
}

const lineWith = (r: Rendered, text: string) => (r.lastFrame() ?? '').split('\n').find((l) => l.includes(text)) ?? '';
const highlighted = (r: Rendered) => lineWith(r, '›');

async function moveTo(r: Rendered, text: string): Promise<void> {
	for (let i = 0; i < 10; i++) {
		if (highlighted(r).includes(text)) return;
		await press(r, KEYS.down);
	}
	throw new Error(`never highlighted ${text}:\n${r.lastFrame()}`);
}

describe('FallbackPreferences', () => {
	it('a key typed while the preferences are still being read reaches the editor that replaces the spinner', async () => {
		const services = testServices(home);
		let release: () => void = () => {};
		const gate = new Promise<void>((resolve) => (release = resolve));
		// The real accounts API, held back until the key has been typed.
		const accounts = {...services.accounts, list: async () => (await gate, services.accounts.list())};
		const r = await renderScreen(<FallbackPreferences onSaved={() => {}} onExit={() => {}} />, {...services, accounts});
		cleanups.push(() => unmount(r));
		await waitForFrame(r, 'Reading preferences');
		await press(r, KEYS.space);
		release();
		await waitForFrame(r, 'Preview:');
		expect(highlighted(r)).toContain('[x] Fallback on');
	});

	it('shows the saved settings with text markers and a preview in real account labels', async () => {
		const {r} = await mount();
		const frame = r.lastFrame()!;
		expect(highlighted(r)).toContain('[ ] Fallback off');
		expect(frame).toContain('1. OpenAI / personal');
		expect(frame).toContain('2. Claude / work');
		expect(lineWith(r, 'quota at or over')).toContain('[x] quota at or over 95%');
		expect(lineWith(r, 'rate limited')).toContain('[x]');
		expect(frame).toContain('Preview: Fallback is off: if OpenAI hits a limit, tui stops and tells you.');
		expect(frame).toContain('esc discard');
	});

	it('toggles, reorders (shift+↑/↓ and k/j), changes the threshold, and Enter saves it all to config.json', async () => {
		const {r, events} = await mount();
		await press(r, KEYS.space);
		expect(highlighted(r)).toContain('[x] Fallback on');
		expect(r.lastFrame()).toContain(
			'Preview: If OpenAI hits its 5-hour limit (95% used), tui switches to Claude / work',
		);

		await moveTo(r, 'OpenAI');
		await press(r, KEYS.shiftDown);
		expect(r.lastFrame()).toContain('1. Claude / work');
		// The cursor follows the moved provider.
		expect(highlighted(r)).toContain('2. OpenAI / personal');
		expect(r.lastFrame()).toContain('tui switches to OpenAI / personal');
		await press(r, 'k');
		expect(r.lastFrame()).toContain('1. OpenAI / personal');
		await press(r, 'j');
		await press(r, KEYS.shiftUp, KEYS.shiftDown);
		expect(highlighted(r)).toContain('2. OpenAI / personal');

		await press(r, KEYS.right);
		expect(lineWith(r, 'quota at or over')).toContain('100%');
		await press(r, KEYS.left, KEYS.left, KEYS.left);
		expect(lineWith(r, 'quota at or over')).toContain('85%');
		expect(r.lastFrame()).toContain('If Claude hits its 5-hour limit (85% used), tui switches to OpenAI / personal');

		await moveTo(r, 'rate limited');
		await press(r, KEYS.space);
		expect(highlighted(r)).toContain('[ ] rate limited');
		await moveTo(r, 'provider outage');
		await press(r, KEYS.space);
		await press(r, KEYS.enter);
		await waitForFrame(r, () => events.saved.length === 1);

		const expected = {
			enabled: true,
			order: ['claude', 'openai'],
			triggers: ['quota', 'auth-error'],
			thresholdPercent: 85,
		};
		expect(events.saved[0]).toEqual(expected);
		expect((await readPreferences(home)).fallback).toEqual(expected);
		expect(JSON.parse(await readFile(path.join(home, 'config.json'), 'utf8')).fallback).toEqual(expected);
	});

	it('the preview follows the first enabled trigger', async () => {
		const {r} = await mount();
		await press(r, KEYS.space);
		await moveTo(r, 'quota at or over');
		await press(r, KEYS.space);
		expect(r.lastFrame()).toContain('Preview: If OpenAI is rate limited, tui switches to Claude / work');
		await press(r, KEYS.down, KEYS.space);
		expect(r.lastFrame()).toContain('Preview: If OpenAI sign-in fails, tui switches to Claude / work');
	});

	it('Esc discards every change: config.json stays byte for byte', async () => {
		const before = await readFile(path.join(home, 'config.json'), 'utf8');
		const {r, events} = await mount();
		await press(r, KEYS.space, KEYS.down, KEYS.shiftDown, KEYS.left, KEYS.left);
		expect(r.lastFrame()).toContain('1. Claude / work');
		await press(r, KEYS.escape);
		expect(events.exits).toBe(1);
		expect(events.saved).toHaveLength(0);
		expect(await readFile(path.join(home, 'config.json'), 'utf8')).toBe(before);
	});

	it.each([80, 60])('fits %i columns', async (columns) => {
		const {r} = await mount(columns);
		await press(r, KEYS.space);
		for (const line of r.lastFrame()!.split('\n')) expect(line.length).toBeLessThanOrEqual(columns);
		expect(r.lastFrame()).toContain('Preview:');
	});
});
