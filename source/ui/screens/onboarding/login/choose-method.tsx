// Which way to sign in: the methods, each unusable one with its reason (picking it says why, in the footer).
import {useState} from 'react';
import {Text} from 'ink';
import {SelectList, useSelectList, type ListStepProps, type SelectItem} from '../../../components/select-list.js';
import {useKeys} from '../../../hooks/use-keys.js';
import {isBack, LIST_HINTS} from '../../../keymap.js';
import {LoginFrame, type LoginFrameProps} from './login-frame.js';
import type {Method} from './login-state.js';

export function ChooseMethod({
	isActive,
	frame,
	methods,
	initial,
	onChosen,
	onBack,
}: ListStepProps<Method> & {
	readonly frame: LoginFrameProps;
	readonly methods: readonly SelectItem<Method>[];
	readonly initial: number;
}) {
	const list = useSelectList(methods, initial);
	const [blocked, setBlocked] = useState<string | undefined>(undefined);
	useKeys(
		(input, key) => {
			if (isBack(input, key)) return onBack();
			const result = list.handleKey(input, key);
			if (result.handled) setBlocked(result.blocked);
			if (result.chosen) onChosen(result.chosen);
		},
		{isActive},
	);
	return (
		<LoginFrame frame={frame} hints={LIST_HINTS} note={blocked ? `Unavailable: ${blocked}` : undefined}>
			<Text>How do you want to sign in?</Text>
			<SelectList items={methods} highlighted={list.highlighted} />
		</LoginFrame>
	);
}
