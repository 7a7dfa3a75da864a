// Step 3: the plan of that provider, with its monthly price, plus "API only".
import {Text} from 'ink';
import {PROVIDER_NAMES, type ProviderId} from '../../../core/schemas.js';
import {findTier, tiersFor} from '../../../core/tiers.js';
import {Frame} from '../../components/frame.js';
import {KeyHints} from '../../components/key-hints.js';
import {SelectList, useListStep, type ListStepProps, type SelectItem} from '../../components/select-list.js';
import {LIST_HINTS} from '../../keymap.js';
import {useTheme} from '../../theme.js';

export function tierItems(provider: ProviderId): SelectItem<string>[] {
	const tiers = tiersFor(provider);
	const width = Math.max(...tiers.map((tier) => tier.name.length));
	return tiers.map((tier) => ({
		value: tier.id,
		label: `${tier.name.padEnd(width)}  ${tier.priceLabel}`,
		description: tier.id.endsWith('-api')
			? 'No subscription: pay per token with an API key'
			: tier.planUsage === false && tier.hasSubscription
				? 'Apps cannot use this plan (Plus and Pro only): an API key'
				: undefined,
	}));
}

export function TierStep({
	isActive,
	provider,
	initial,
	onChosen,
	onBack,
}: ListStepProps<string> & {readonly provider: ProviderId; readonly initial?: string}) {
	const theme = useTheme();
	const items = tierItems(provider);
	const start = initial ? items.findIndex((item) => item.value === findTier(provider, initial)?.id) : -1;
	const list = useListStep(items, Math.max(0, start), {isActive, onChosen, onBack});
	return (
		<Frame title={`Your ${PROVIDER_NAMES[provider]} plan`} step="3/7" footer={<KeyHints hints={LIST_HINTS} />}>
			<SelectList items={items} highlighted={list.highlighted} />
			<Text color={theme.muted}>Monthly prices; the next screen compares the ways to use the plan.</Text>
		</Frame>
	);
}
