// A small list: ↑/↓ or 1–9, a "›" marker beside the highlighted item (meaning is never colour-only),
// disabled items shown with their reason. State lives in useSelectList so the owning step keeps
// the only useInput and feeds keys in. A list taller than its lines scrolls, the cursor always shown.
// The rows stay mounted as the cursor moves: only the two rows whose highlight changed draw anew
// (docs/architecture.md says why this is not ink-select-input).
import {memo, useCallback, useEffect, useRef, useState} from 'react';
import {Box, Text, type DOMElement, type Key} from 'ink';
import {useKeys} from '../hooks/use-keys.js';
import {digitIndex, isBack, isConfirm, isDown, isUp} from '../keymap.js';
import {useTheme} from '../theme.js';
import {offsetWithin, useFrameBody} from './frame.js';
import {listWindow, wrappedLines} from './viewport.js';

export type SelectItem<T> = {
	readonly value: T;
	readonly label: string;
	readonly description?: string;
	/** Why it cannot be picked; the item is then shown but not chosen. */
	readonly disabled?: string;
	/** A short tag after the label, e.g. "recommended". */
	readonly tag?: string;
};

export type SelectKeyResult<T> = {readonly chosen?: T; readonly blocked?: string; readonly handled: boolean};

export type SelectListState<T> = {
	readonly highlighted: number;
	readonly setHighlighted: (index: number) => void;
	/** Feed a key; returns the chosen value on Enter or a number key. */
	readonly handleKey: (input: string, key: Key) => SelectKeyResult<T>;
};

export function useSelectList<T>(items: readonly SelectItem<T>[], initial = 0): SelectListState<T> {
	const [highlighted, setState] = useState(() => clamp(initial, items.length));
	// A ref so that two keys arriving before a re-render both see the latest position.
	const current = useRef(highlighted);
	const itemsRef = useRef(items);
	itemsRef.current = items;
	const setHighlighted = useCallback((index: number) => {
		current.current = clamp(index, itemsRef.current.length);
		setState(current.current);
	}, []);
	const handleKey = useCallback(
		(input: string, key: Key): SelectKeyResult<T> => {
			const list = itemsRef.current;
			if (list.length === 0) return {handled: false};
			if (isUp(input, key)) {
				setHighlighted((current.current - 1 + list.length) % list.length);
				return {handled: true};
			}
			if (isDown(input, key)) {
				setHighlighted((current.current + 1) % list.length);
				return {handled: true};
			}
			const digit = digitIndex(input);
			if (digit !== undefined && digit < list.length) {
				setHighlighted(digit);
				return pick(list[digit]!);
			}
			if (isConfirm(input, key)) return pick(list[clamp(current.current, list.length)]!);
			return {handled: false};
		},
		[setHighlighted],
	);
	return {highlighted: clamp(highlighted, items.length), setHighlighted, handleKey};
}

/** A step that is one list: its only input handler, Esc/← back, Enter or a digit chooses. */
/** What a one-list step takes from its parent: whether it has the keys, and where a choice or Esc goes. */
export type ListStepProps<T> = {
	readonly isActive: boolean;
	readonly onChosen: (value: T) => void;
	readonly onBack: () => void;
};

export function useListStep<T>(
	items: readonly SelectItem<T>[],
	initial: number,
	on: ListStepProps<T>,
): SelectListState<T> {
	const list = useSelectList(items, initial);
	useKeys(
		(input, key) => {
			if (isBack(input, key)) return on.onBack();
			const result = list.handleKey(input, key);
			if (result.chosen !== undefined) on.onChosen(result.chosen);
		},
		{isActive: on.isActive},
	);
	return list;
}

function pick<T>(item: SelectItem<T>): SelectKeyResult<T> {
	if (item.disabled) return {blocked: item.disabled, handled: true};
	return {chosen: item.value, handled: true};
}

function clamp(index: number, length: number): number {
	if (length === 0) return 0;
	return Math.min(Math.max(index, 0), length - 1);
}

export type SelectListProps<T> = {
	readonly items: readonly SelectItem<T>[];
	readonly highlighted: number;
	/** Number the items 1–9 (on by default). */
	readonly numbered?: boolean;
	/** Lines the list may take; the rest of the frame's body by default. */
	readonly maxRows?: number;
	/** Lines the screen shows in the body above this list, until the list has found where it starts. */
	readonly reserve?: number;
};

/** Columns of the "› " marker column; item text wraps beside it. */
const MARKER = 2;
/** Where the second lines of an item (reason, description) start: past the marker and "1. ". */
const INDENT = 5;

function itemTexts<T>(item: SelectItem<T>, index: number, numbered: boolean) {
	return {
		label: `${numberOf(index, numbered)}${item.label}${item.tag ? `  [${item.tag}]` : ''}`,
		disabled: item.disabled ? `✗ unavailable: ${item.disabled}` : undefined,
		description: item.description,
	};
}

function numberOf(index: number, numbered: boolean): string {
	return numbered && index < 9 ? `${index + 1}. ` : '';
}

/** Lines each item takes at this width. */
export function itemHeights<T>(items: readonly SelectItem<T>[], columns: number, numbered = true): number[] {
	return items.map((item, index) => {
		const texts = itemTexts(item, index, numbered);
		return (
			wrappedLines(texts.label, columns - MARKER) +
			(texts.disabled ? wrappedLines(texts.disabled, columns - INDENT) : 0) +
			(texts.description ? wrappedLines(texts.description, columns - INDENT) : 0)
		);
	});
}

export function SelectList<T>({items, highlighted, numbered = true, maxRows, reserve = 0}: SelectListProps<T>) {
	const theme = useTheme();
	const body = useFrameBody();
	// Where the list starts in the frame's body, measured after each layout: the rest of the body is its.
	const root = useRef<DOMElement>(null);
	const [above, setAbove] = useState<number | undefined>(undefined);
	// eslint-disable-next-line react-hooks/exhaustive-deps -- measures after every layout; state changes only when the measurement does
	useEffect(() => {
		if (!root.current || !body.node?.current) return;
		const offset = offsetWithin(root.current, body.node.current);
		if (offset !== undefined && offset !== above) setAbove(offset);
	});
	const rows = Math.max(3, maxRows ?? body.rows - (above ?? reserve));
	const cursor = clamp(highlighted, items.length);
	const start = useRef(0);
	// The frame counts lines, not items (descriptions and long labels wrap): the window's first item is found
	// here, by line heights.
	const view = listWindow(itemHeights(items, body.columns, numbered), cursor, rows, start.current);
	start.current = view.start;
	return (
		<Box ref={root} flexDirection="column">
			{view.above ? <Text color={theme.muted}>{`  ↑ ${view.start} more`}</Text> : null}
			{items.slice(view.start, view.end).map((item, offset) => {
				const index = view.start + offset;
				return <ListRow key={index} selected={index === cursor} {...itemTexts(item, index, numbered)} />;
			})}
			{view.below ? <Text color={theme.muted}>{`  ↓ ${items.length - view.end} more`}</Text> : null}
		</Box>
	);
}

type ListRowProps = ReturnType<typeof itemTexts> & {readonly selected: boolean};

/**
 * One item: the marker, then its label, the disabled reason and the description under it. Its props are plain
 * strings (a step builds its items anew each render), so a cursor move draws only the two rows it changes.
 */
const ListRow = memo(function ListRow({selected, label, disabled, description}: ListRowProps) {
	const theme = useTheme();
	return (
		<Box>
			<Box width={MARKER} flexShrink={0}>
				<Text color={theme.accent} bold>
					{selected ? '›' : ' '}
				</Text>
			</Box>
			<Box flexDirection="column">
				<Text
					color={disabled ? theme.muted : selected ? theme.accent : undefined}
					bold={selected && !disabled}
					wrap="wrap"
				>
					{label}
				</Text>
				{disabled ? <Indented color={theme.danger}>{disabled}</Indented> : null}
				{description ? <Indented color={theme.muted}>{description}</Indented> : null}
			</Box>
		</Box>
	);
});

/** A second line under an item, indented past the number, wrapping under itself. */
function Indented({children, color}: {readonly children: string; readonly color?: string}) {
	return (
		<Box paddingLeft={INDENT - MARKER}>
			<Text color={color} wrap="wrap">
				{children}
			</Text>
		</Box>
	);
}
