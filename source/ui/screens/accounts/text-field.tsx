// A visible one-line text field (labels are not secrets); MaskedInput hides its text, and ink-text-input
// would bring a second key handler.
import {Text} from 'ink';
import {useLineInput, type LineInputState} from '../../hooks/use-line-input.js';

export type TextFieldState = LineInputState;

/** Enter submits the trimmed text, empty included (the screen says why an empty label is refused). */
export function useTextField(initial = '', maxLength = 64): TextFieldState {
	return useLineInput(initial, {maxLength, submitEmpty: true});
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
