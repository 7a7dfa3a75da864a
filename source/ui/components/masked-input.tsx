// A secret field: shows one • per character (capped) and the length, never the text.
// State lives in useMaskedInput so the owning step keeps the only useInput.
import {Text} from 'ink';
import {useLineInput, type LineInputState} from '../hooks/use-line-input.js';
import {useTheme} from '../theme.js';

export type MaskedInputState = LineInputState;

/** An empty Enter submits nothing: there is no empty key. */
export function useMaskedInput(initial = ''): MaskedInputState {
	return useLineInput(initial);
}

export function MaskedInput({
	value,
	label,
	placeholder,
}: {
	readonly value: string;
	readonly label: string;
	readonly placeholder?: string;
}) {
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
