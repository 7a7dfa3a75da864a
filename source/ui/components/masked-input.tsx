// A secret field: shows one • per character (capped) and the length, never the text.
// State lives in useMaskedInput so the owning step keeps the only useInput.
import {useCallback, useRef, useState} from 'react';
import {Text, type Key} from 'ink';
import {isConfirm, isErase} from '../keymap.js';
import {useTheme} from '../theme.js';

export type MaskedInputState = {
	readonly value: string;
	readonly set: (value: string) => void;
	/** Feed a key; returns the value on Enter (non-empty), else undefined. */
	readonly handleKey: (input: string, key: Key) => {readonly submitted?: string; readonly handled: boolean};
};

export function useMaskedInput(initial = ''): MaskedInputState {
	const [value, setValue] = useState(initial);
	const current = useRef(initial);
	const set = useCallback((next: string) => {
		current.current = next;
		setValue(next);
	}, []);
	const handleKey = useCallback(
		(input: string, key: Key) => {
			if (isConfirm(input, key)) {
				const text = current.current.trim();
				return text ? {submitted: text, handled: true} : {handled: true};
			}
			if (isErase(input, key)) {
				set(current.current.slice(0, -1));
				return {handled: true};
			}
			if (key.ctrl && input === 'u') {
				set('');
				return {handled: true};
			}
			if (key.ctrl || key.meta || key.escape || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return {handled: false};
			// Pasted text arrives as one input; keep printable characters only.
			const printable = input.replace(/[\u0000-\u001F\u007F]/g, '');
			if (!printable) return {handled: false};
			set(current.current + printable);
			return {handled: true};
		},
		[set],
	);
	return {value, set, handleKey};
}

export function MaskedInput({value, label, placeholder}: {readonly value: string; readonly label: string; readonly placeholder?: string}) {
	const theme = useTheme();
	const dots = '•'.repeat(Math.min(value.length, 24));
	return (
		<Text>
			<Text bold>{label} </Text>
			{value ? (
				<Text>
					{dots}
					<Text color={theme.muted}>{` (${value.length} characters)`}</Text>
				</Text>
			) : (
				<Text color={theme.muted}>{placeholder ?? ''}</Text>
			)}
			<Text inverse> </Text>
		</Text>
	);
}
