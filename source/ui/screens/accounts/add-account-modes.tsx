// Adding an account from the switcher: which provider, then which kind; the login step does the rest.
import {Box, Text} from 'ink';
import {withArticle} from '../../../core/text.js';
import {PROVIDER_IDS, PROVIDER_NAMES, type ProviderId} from '../../../core/schemas.js';
import {SelectList, useListStep, type ListStepProps, type SelectItem} from '../../components/select-list.js';
import {LIST_HINTS} from '../../keymap.js';
import type {Need} from '../onboarding/state.js';
import {SwitcherFrame, type SwitcherShell} from './switcher-frame.js';

const PROVIDERS: readonly SelectItem<ProviderId>[] = PROVIDER_IDS.map((provider) => ({
	value: provider,
	label: PROVIDER_NAMES[provider],
}));

const NEEDS: Readonly<Record<ProviderId, readonly SelectItem<Need>[]>> = {
	openai: [
		{value: 'subscription', label: 'Continue with ChatGPT (Plus or Pro plan)'},
		{value: 'api', label: 'API key'},
	],
	claude: [
		{value: 'subscription', label: 'Claude subscription (through Claude Code)'},
		{value: 'api', label: 'API key'},
	],
};

/** Where the cursor starts: the choice made before, else the first item. */
function indexOf<T>(items: readonly SelectItem<T>[], value: T | undefined): number {
	return Math.max(
		0,
		items.findIndex((item) => item.value === value),
	);
}

export function AddProvider({
	isActive,
	shell,
	initial,
	onChosen,
	onBack,
}: ListStepProps<ProviderId> & {readonly shell: SwitcherShell; readonly initial?: ProviderId}) {
	// No change is saved while these show, so their keys need not wait for one.
	const list = useListStep(PROVIDERS, indexOf(PROVIDERS, initial), {isActive, onChosen, onBack});
	return (
		<SwitcherFrame shell={shell} title="Add an account" hints={LIST_HINTS}>
			<Box flexDirection="column">
				<Text>Which provider?</Text>
				<SelectList items={PROVIDERS} highlighted={list.highlighted} />
			</Box>
		</SwitcherFrame>
	);
}

export function AddNeed({
	isActive,
	shell,
	provider,
	initial,
	onChosen,
	onBack,
}: ListStepProps<Need> & {readonly shell: SwitcherShell; readonly provider: ProviderId; readonly initial?: Need}) {
	const list = useListStep(NEEDS[provider], indexOf(NEEDS[provider], initial), {isActive, onChosen, onBack});
	return (
		<SwitcherFrame shell={shell} title={`Add ${withArticle(PROVIDER_NAMES[provider])} account`} hints={LIST_HINTS}>
			<Box flexDirection="column">
				<Text>Which kind?</Text>
				<SelectList items={NEEDS[provider]} highlighted={list.highlighted} />
			</Box>
		</SwitcherFrame>
	);
}
