// One line of typed text whose owner keeps the only useKeys and feeds keys in: the state behind
// MaskedInput (secrets) and TextField (labels).
import {useCallback, useRef, useState} from 'react';
import type {Key} from 'ink';
import {isConfirm, isErase} from '../keymap.js';

export type LineInputState = {
	readonly value: string;
	readonly set: (value: string) => void;
	/** Feed a key; on Enter, `submitted` holds the trimmed value (an empty one only with `submitEmpty`). */
	readonly handleKey: (input: string, key: Key) => {readonly submitted?: string; readonly handled: boolean};
};

export function useLineInput(
	initial: string,
	options: {readonly maxLength?: number; readonly submitEmpty?: boolean} = {},
): LineInputState {
	const {maxLength = Number.POSITIVE_INFINITY, submitEmpty = false} = options;
	const [value, setValue] = useState(initial);
	// A ref so that keys arriving before a re-render (a paste, fast typing) all see the latest text.
	const current = useRef(initial);
	const set = useCallback((next: string) => {
		current.current = next;
		setValue(next);
	}, []);
	const handleKey = useCallback(
		(input: string, key: Key) => {
			if (isConfirm(input, key)) {
				const text = current.current.trim();
				return text || submitEmpty ? {submitted: text, handled: true} : {handled: true};
			}
			if (isErase(input, key)) {
				set(current.current.slice(0, -1));
				return {handled: true};
			}
			if (key.ctrl && input === 'u') {
				set('');
				return {handled: true};
			}
			if (
				key.ctrl ||
				key.meta ||
				key.escape ||
				key.upArrow ||
				key.downArrow ||
				key.leftArrow ||
				key.rightArrow ||
				key.tab
			)
				return {handled: false};
			// Pasted text arrives as one input; keep printable characters only.
			const printable = input.replace(/[\u0000-\u001F\u007F-\u009F]/g, '');
			if (!printable) return {handled: false};
			set((current.current + printable).slice(0, maxLength));
			return {handled: true};
		},
		[set, maxLength, submitEmpty],
	);
	return {value, set, handleKey};
}
