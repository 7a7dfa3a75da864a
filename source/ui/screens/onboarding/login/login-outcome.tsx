// How a sign-in ended: the failure menu (retry unless it was a refusal, another method, back), or who is signed in.
import {Text} from 'ink';
import {SelectList, useSelectList, type SelectItem} from '../../../components/select-list.js';
import {useKeys} from '../../../hooks/use-keys.js';
import {isBack, LIST_HINTS} from '../../../keymap.js';
import type {SavedAccount} from '../../../services.js';
import {useTheme} from '../../../theme.js';
import {signedInLine} from '../../accounts/account-text.js';
import {LoginFrame, type LoginFrameProps} from './login-frame.js';

export type FailureChoice = 'retry' | 'other' | 'back';

/** A refusal would only be refused again: no "Try again" then. */
export function failureItems(refused: boolean, otherMethods: boolean, backLabel: string): SelectItem<FailureChoice>[] {
	return [
		...(refused ? [] : [{value: 'retry' as const, label: 'Try again'}]),
		...(otherMethods ? [{value: 'other' as const, label: 'Use another method'}] : []),
		{value: 'back', label: backLabel},
	];
}

export function LoginFailed({
	isActive,
	frame,
	reason,
	items,
	onChoice,
}: {
	readonly isActive: boolean;
	readonly frame: LoginFrameProps;
	readonly reason: string;
	readonly items: readonly SelectItem<FailureChoice>[];
	readonly onChoice: (choice: FailureChoice) => void;
}) {
	const theme = useTheme();
	const list = useSelectList(items, 0);
	useKeys(
		(input, key) => {
			if (isBack(input, key)) return onChoice('back');
			const result = list.handleKey(input, key);
			if (result.chosen) onChoice(result.chosen);
		},
		{isActive},
	);
	return (
		<LoginFrame frame={frame} hints={LIST_HINTS}>
			<Text color={theme.danger} wrap="wrap">{`✗ ${reason}`}</Text>
			<SelectList items={items} highlighted={list.highlighted} />
		</LoginFrame>
	);
}

/** Drawn before the step hands back, so a screen that ends here ends on it. */
export function SignedIn({frame, account}: {readonly frame: LoginFrameProps; readonly account: SavedAccount}) {
	const theme = useTheme();
	return (
		<LoginFrame frame={frame} hints={[]}>
			<Text color={theme.success} wrap="wrap">{`✓ ${signedInLine(account)}`}</Text>
		</LoginFrame>
	);
}
