// Step 2: OpenAI or Claude.
import {Text} from 'ink';
import {PROVIDER_NAMES, type ProviderId} from '../../../core/schemas.js';
import {Frame} from '../../components/frame.js';
import {KeyHints} from '../../components/key-hints.js';
import {SelectList, useListStep, type ListStepProps, type SelectItem} from '../../components/select-list.js';
import {LIST_HINTS} from '../../keymap.js';
import {useTheme} from '../../theme.js';

const ITEMS: readonly SelectItem<ProviderId>[] = [
	{
		value: 'openai',
		label: PROVIDER_NAMES.openai,
		description: 'A ChatGPT Plus or Pro plan (Continue with ChatGPT) or an OpenAI API key',
	},
	{
		value: 'claude',
		label: PROVIDER_NAMES.claude,
		description: 'Claude plans through Claude Code, or an Anthropic API key',
	},
];

export function ProviderStep({
	isActive,
	initial,
	onChosen,
	onBack,
}: ListStepProps<ProviderId> & {readonly initial?: ProviderId}) {
	const theme = useTheme();
	const list = useListStep(
		ITEMS,
		Math.max(
			0,
			ITEMS.findIndex((item) => item.value === initial),
		),
		{isActive, onChosen, onBack},
	);
	return (
		<Frame title="Which provider first?" step="2/7" footer={<KeyHints hints={LIST_HINTS} />}>
			<SelectList items={ITEMS} highlighted={list.highlighted} />
			<Text color={theme.muted}>You can add the other one at the fallback step.</Text>
		</Frame>
	);
}
