// A visible one-line text field (labels are not secrets). Written here because MaskedInput hides its
// text and ink-text-input brings its own useInput; state lives in useTextField so the owning screen
// keeps the only useInput and feeds keys in.
import {useCallback, useRef, useState} from 'react';
import {Text, type Key} from 'ink';
import {isConfirm, isErase} from '../../keymap.js';

export type TextFieldState = {
	readonly value: string;
	readonly set: (value: string) => void;
	/** Feed a key; returns the trimmed value on Enter. */
	readonly handleKey: (input: string, key: Key) => {readonly submitted?: string; readonly handled: boolean};
};

export function useTextField(initial = '', maxLength = 64): TextFieldState {
	const [value, setValue] = useState(initial);
	const current = useRef(initial);
	const set = useCallback((next: string) => {
		current.current = next;
		setValue(next);
	}, []);
	const handleKey = useCallback(
		(input: string, key: Key) => {
			if (isConfirm(input, key)) return {submitted: current.current.trim(), handled: true};
			if (isErase(input, key)) {
				set(current.current.slice(0, -1));
				return {handled: true};
			}
			if (key.ctrl && input === 'u') {
				set('');
				return {handled: true};
			}
			if (key.ctrl || key.meta || key.escape || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return {handled: false};
			const printable = input.replace(/[\u0000-\u001F\u007F-\u009F]/g, '');
			if (!printable) return {handled: false};
			set((current.current + printable).slice(0, maxLength));
			return {handled: true};
		},
		[set, maxLength],
	);
	return {value, set, handleKey};
}

export function TextField({label, value}: {readonly label: string; readonly value: string}) {
	return (
		<Text>
			<Text bold>{label} </Text>
			{value}
			<Text inverse> </Text>
		</Text>
	);
}
