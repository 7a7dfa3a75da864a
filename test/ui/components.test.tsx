import {useEffect, useRef, type RefObject} from 'react';
import {Box, Text, useInput, type DOMElement} from 'ink';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {formatHints, KeyHints} from '../../source/ui/components/key-hints.js';
import {MaskedInput, useMaskedInput} from '../../source/ui/components/masked-input.js';
import {SelectList, useSelectList, type SelectItem} from '../../source/ui/components/select-list.js';
import {useTask} from '../../source/ui/hooks/use-task.js';
import {LIST_HINTS} from '../../source/ui/keymap.js';
import {colorFromEnv} from '../../source/ui/theme.js';
import {KEYS} from '../helpers/keys.js';
import {renderScreen, tempHome, testServices, unmount} from './helpers.js';
import {press, type, until, type Rendered} from '../helpers/wait.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mount(element: Parameters<typeof renderScreen>[0]): Promise<Rendered> {
	const r = await renderScreen(element, testServices(await tempHome()));
	cleanups.push(() => unmount(r));
	return r;
}

const ITEMS: SelectItem<string>[] = [
	{value: 'a', label: 'Alpha'},
	{value: 'b', label: 'Beta', disabled: 'not today'},
	{value: 'c', label: 'Gamma', description: 'the third'},
];

function List({onChosen, onBlocked}: {onChosen: (value: string) => void; onBlocked: (reason: string) => void}) {
	const list = useSelectList(ITEMS);
	useInput((input, key) => {
		const result = list.handleKey(input, key);
		if (result.chosen) onChosen(result.chosen);
		if (result.blocked) onBlocked(result.blocked);
	});
	return <SelectList items={ITEMS} highlighted={list.highlighted} />;
}

describe('SelectList', () => {
	it('moves with arrows (wrapping), marks the highlight with ›, picks with Enter or a number, refuses disabled items', async () => {
		const onChosen = vi.fn();
		const onBlocked = vi.fn();
		const r = await mount(<List onChosen={onChosen} onBlocked={onBlocked} />);
		expect(r.lastFrame()).toContain('› 1. Alpha');
		expect(r.lastFrame()).toContain('✗ unavailable: not today');
		expect(r.lastFrame()).toContain('the third');
		await press(r, KEYS.up);
		expect(r.lastFrame()).toContain('› 3. Gamma');
		await press(r, KEYS.down, KEYS.down);
		expect(r.lastFrame()).toContain('› 2. Beta');
		await press(r, KEYS.enter);
		expect(onChosen).not.toHaveBeenCalled();
		expect(onBlocked).toHaveBeenCalledWith('not today');
		await press(r, '3');
		expect(onChosen).toHaveBeenCalledWith('c');
		expect(r.lastFrame()).toContain('› 3. Gamma');
		await press(r, '9');
		expect(onChosen).toHaveBeenCalledTimes(1);
	});
});

function ListInBox({into}: {into: (ref: RefObject<DOMElement | null>) => void}) {
	const list = useSelectList(ITEMS);
	const outer = useRef<DOMElement>(null);
	into(outer);
	useInput((input, key) => void list.handleKey(input, key));
	return (
		<Box ref={outer}>
			<SelectList items={ITEMS} highlighted={list.highlighted} />
		</Box>
	);
}

describe('SelectList rows', () => {
	// Mounting the rows again on every arrow key (as when ink-select-input drew them) cost each keystroke its layout
	// nodes anew: the rows must be the same nodes after a move.
	it('stay mounted as the cursor moves', async () => {
		let outer: RefObject<DOMElement | null> | undefined;
		const r = await mount(<ListInBox into={(ref) => (outer = ref)} />);
		const rows = () => [...(outer!.current!.childNodes[0] as DOMElement).childNodes];
		const before = rows();
		expect(before).toHaveLength(ITEMS.length);
		await press(r, KEYS.down, KEYS.down);
		expect(r.lastFrame()).toContain('› 3. Gamma');
		const after = rows();
		expect(after).toHaveLength(ITEMS.length);
		after.forEach((row, index) => expect(row).toBe(before[index]));
	});
});

function Secret({onSubmit}: {onSubmit: (value: string) => void}) {
	const field = useMaskedInput();
	useInput((input, key) => {
		const result = field.handleKey(input, key);
		if (result.submitted) onSubmit(result.submitted);
	});
	return <MaskedInput label="Key:" value={field.value} placeholder="paste it" />;
}

describe('MaskedInput', () => {
	it('never shows the text, takes pastes and backspace, submits on Enter', async () => {
		const onSubmit = vi.fn();
		const r = await mount(<Secret onSubmit={onSubmit} />);
		expect(r.lastFrame()).toContain('paste it');
		await press(r, KEYS.enter);
		expect(onSubmit).not.toHaveBeenCalled();
		await type(r, 'sk-secret-42');
		await press(r, KEYS.backspace);
		expect(r.lastFrame()).toContain('••••••••••• (11 characters)');
		await press(r, KEYS.enter);
		expect(onSubmit).toHaveBeenCalledWith('sk-secret-4');
		for (const frame of r.frames) expect(frame).not.toContain('secret');
	});
});

describe('KeyHints and theme', () => {
	it('renders the standard footer', async () => {
		expect(formatHints(LIST_HINTS)).toBe('↑↓ select · enter confirm · esc back');
		const r = await mount(<KeyHints hints={LIST_HINTS} note="Heads up" />);
		expect(r.lastFrame()).toContain('Heads up');
		expect(r.lastFrame()).toContain('↑↓ select · enter confirm · esc back');
	});

	it('turns colour off for NO_COLOR, TERM=dumb and FORCE_COLOR=0', () => {
		expect(colorFromEnv({}, true)).toBe(true);
		expect(colorFromEnv({}, false)).toBe(false);
		expect(colorFromEnv({NO_COLOR: '1'}, true)).toBe(false);
		expect(colorFromEnv({TERM: 'dumb'}, true)).toBe(false);
		expect(colorFromEnv({FORCE_COLOR: '0'}, true)).toBe(false);
		expect(colorFromEnv({FORCE_COLOR: '3'}, false)).toBe(true);
	});
});

function Worker({signals, onState}: {signals: AbortSignal[]; onState: (status: string) => void}) {
	const task = useTask(async (signal: AbortSignal) => {
		signals.push(signal);
		await new Promise((resolve, reject) =>
			signal.addEventListener('abort', () => reject(new Error('aborted')), {once: true}),
		);
		return 'never';
	});
	const {run} = task;
	useEffect(() => {
		void run();
	}, [run]);
	onState(task.state.status);
	return (
		<Box>
			<Text>{task.state.status}</Text>
		</Box>
	);
}

describe('useTask', () => {
	it('runs with a signal and aborts it on unmount', async () => {
		const signals: AbortSignal[] = [];
		const states: string[] = [];
		const r = await renderScreen(
			<Worker signals={signals} onState={(s) => states.push(s)} />,
			testServices(await tempHome()),
		);
		await until(() => signals.length === 1, 'the task to start');
		expect(r.lastFrame()).toContain('running');
		expect(signals[0]!.aborted).toBe(false);
		await unmount(r);
		expect(signals[0]!.aborted).toBe(true);
		expect(states).not.toContain('failed');
	});

	it('runs a task to done or failed', async () => {
		function Once({work}: {work: () => Promise<string>}) {
			const task = useTask(async () => work());
			const {run} = task;
			useEffect(() => {
				void run();
			}, [run]);
			return (
				<Text>
					{task.state.status === 'done'
						? `done ${task.state.value}`
						: task.state.status === 'failed'
							? `failed ${task.state.error}`
							: task.state.status}
				</Text>
			);
		}
		const ok = await mount(<Once work={async () => 'yes'} />);
		await until(() => ok.lastFrame()!.includes('done yes'), 'done');
		const bad = await mount(
			<Once
				work={async () => {
					throw new Error('offline?\nstack');
				}}
			/>,
		);
		await until(() => bad.lastFrame() === 'failed offline?', 'failed');
	});
});
