// Step 2: OpenAI or Claude.
import {Text} from 'ink';
import {useKeys} from '../../hooks/use-keys.js';
import type {ProviderId} from '../../../core/schemas.js';
import {Frame} from '../../components/frame.js';
import {KeyHints} from '../../components/key-hints.js';
import {SelectList, useSelectList, type SelectItem} from '../../components/select-list.js';
import {isBack, LIST_HINTS} from '../../keymap.js';
import {useTheme} from '../../theme.js';

const ITEMS: readonly SelectItem<ProviderId>[] = [
	{value: 'openai', label: 'OpenAI', description: 'A ChatGPT Plus or Pro plan (Continue with ChatGPT) or an OpenAI API key'},
	{value: 'claude', label: 'Claude', description: 'Claude plans through Claude Code, or an Anthropic API key'},
];

export function ProviderStep({isActive, initial, onChosen, onBack}: {readonly isActive: boolean; readonly initial?: ProviderId; readonly onChosen: (provider: ProviderId) => void; readonly onBack: () => void}) {
	const theme = useTheme();
	const list = useSelectList(ITEMS, Math.max(0, ITEMS.findIndex((item) => item.value === initial)));
	useKeys(
		(input, key) => {
			if (isBack(input, key)) return onBack();
			const result = list.handleKey(input, key);
			if (result.chosen) onChosen(result.chosen);
		},
		{isActive},
	);
	return (
		<Frame title="Which provider first?" step="2/7" footer={<KeyHints hints={LIST_HINTS} />}>
			<SelectList items={ITEMS} highlighted={list.highlighted} />
			<Text color={theme.muted}>You can add the other one at the fallback step.</Text>
		</Frame>
	);
}
