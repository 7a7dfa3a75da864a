// The onboarding wizard: welcome → provider → tier → comparison → login → fallback → done.
// Esc goes back a step; Ctrl+C unmounts the current step (aborting its work) before onExit, so a
// half-done step never writes. Each completed step has already saved its part.
import {useEffect, useReducer, useState} from 'react';
import {Text} from 'ink';
import {useKeys} from '../../hooks/use-keys.js';
import type {ProviderId} from '../../../core/schemas.js';
import {isQuit} from '../../keymap.js';
import {useTask} from '../../hooks/use-task.js';
import {useServices, type SavedAccount} from '../../services.js';
import {FrameNotice} from '../../components/frame.js';
import {ComparisonStep} from './comparison-step.js';
import {DoneStep} from './done-step.js';
import {FallbackStep} from './fallback-step.js';
import {LoginStep} from './login-step.js';
import {ProviderStep} from './provider-step.js';
import {initialWizardState, wizardReducer, type WizardState} from './state.js';
import {stateFiles, type OnboardingSummary} from './summary.js';
import {TierStep} from './tier-step.js';
import {WelcomeStep} from './welcome-step.js';

export type OnboardingWizardProps = {
	readonly onDone: (summary: OnboardingSummary) => void;
	readonly onExit: () => void;
	/** Start somewhere other than the welcome step (tests, the host app). */
	readonly initialState?: WizardState;
	/** The user kept the home's accounts as they are (onboarding is marked complete first). */
	readonly onKept?: () => void;
};

function preferredProvider(state: WizardState): ProviderId | undefined {
	if (state.picked?.provider) return state.picked.provider;
	if (state.uses.envKeys[0]) return state.uses.envKeys[0];
	if (state.uses.codex) return 'openai';
	if (state.uses.claudeCli) return 'claude';
	return undefined;
}

/** The plan picked before, else the one the Codex login the user chose to reuse says. */
function preferredTier(state: WizardState, provider: ProviderId): string | undefined {
	const codexPlan = provider === 'openai' && state.uses.codex ? state.detected?.codexLogin?.plan : undefined;
	return state.picked?.tiers?.[provider] ?? codexPlan;
}

/** The detected env key for this provider, when the user chose to use it. */
function usedEnvKey(state: WizardState, provider: ProviderId): string | undefined {
	if (!state.uses.envKeys.includes(provider)) return undefined;
	return state.detected?.envKeys.find((found) => found.provider === provider)?.key;
}

export function summarize(state: WizardState, home: string): OnboardingSummary | undefined {
	const primary = state.primary;
	if (!primary) return undefined;
	const providers = [primary.provider, ...(state.secondary ? [state.secondary.provider] : [])];
	return {
		provider: primary.provider,
		tier: primary.tier,
		mode: primary.mode,
		account: primary.accounts[0],
		accounts: [...primary.accounts, ...(state.secondary?.accounts ?? [])],
		fallback: state.fallback,
		home,
		files: stateFiles(home, providers),
	};
}

export function OnboardingWizard({onDone, onExit, initialState, onKept}: OnboardingWizardProps) {
	const services = useServices();
	const [state, dispatch] = useReducer(wizardReducer, initialState ?? initialWizardState);
	const [quitting, setQuitting] = useState(false);
	const [handedOver, setHandedOver] = useState(false);
	const back = () => dispatch({type: 'back'});
	const keep = useTask(async (_signal: AbortSignal, accounts: readonly SavedAccount[]) => {
		await services.savePreferences((preferences) => ({
			...preferences,
			activeProvider: preferences.activeProvider ?? accounts[0]?.provider,
			onboardingCompletedAt: preferences.onboardingCompletedAt ?? new Date(services.now()).toISOString(),
		}));
		return accounts.length;
	});
	useEffect(() => {
		if (keep.state.status === 'done') onKept?.();
	}, [keep.state.status, onKept]);

	useKeys(
		(input, key) => {
			if (isQuit(input, key)) setQuitting(true);
		},
		{isActive: !quitting && !handedOver},
	);
	useEffect(() => {
		if (quitting) onExit();
	}, [quitting, onExit]);

	if (quitting)
		return (
			<Text>Onboarding cancelled: finished steps are saved, nothing else was written. `tui onboard` starts again.</Text>
		);
	if (keep.state.status === 'done')
		return (
			<Text>{`Kept your ${keep.state.value} account(s) as they are; onboarding is complete. \`tui\` opens the home screen.`}</Text>
		);
	if (keep.state.status === 'failed') return <Text>{`✗ ${keep.state.error}`}</Text>;

	return <FrameNotice notice={state.notice}>{renderStep()}</FrameNotice>;

	function renderStep() {
		const active = !quitting;
		const {step} = state;
		switch (step.kind) {
			case 'welcome':
				return (
					<WelcomeStep
						isActive={active && keep.state.status === 'idle'}
						onDone={(detected, uses) => dispatch({type: 'welcome-done', detected, uses})}
						{...(onKept ? {onKeep: (accounts: readonly SavedAccount[]) => void keep.run(accounts)} : {})}
					/>
				);
			case 'provider':
				return (
					<ProviderStep
						isActive={active}
						initial={preferredProvider(state)}
						onChosen={(provider) => dispatch({type: 'provider-chosen', provider})}
						onBack={back}
					/>
				);
			case 'tier':
				return (
					<TierStep
						key={`${step.provider}-${step.purpose}`}
						isActive={active}
						provider={step.provider}
						initial={preferredTier(state, step.provider)}
						onChosen={(tier) => dispatch({type: 'tier-chosen', tier})}
						onBack={back}
					/>
				);
			case 'comparison':
				return (
					<ComparisonStep
						key={`${step.provider}-${step.tier}-${step.purpose}`}
						isActive={active}
						provider={step.provider}
						tier={step.tier}
						purpose={step.purpose}
						onChosen={(mode) => dispatch({type: 'mode-chosen', mode})}
						onBack={back}
					/>
				);
			case 'login': {
				const envKey = usedEnvKey(state, step.provider);
				return (
					<LoginStep
						key={`${step.provider}-${step.need}-${step.purpose}`}
						isActive={active}
						provider={step.provider}
						need={step.need}
						detected={state.detected}
						prefillKey={envKey}
						onDone={(account) => dispatch({type: 'login-done', account})}
						onBack={back}
						onHandover={setHandedOver}
						step="5/7"
						backLabel="Back to the comparison"
					/>
				);
			}
			case 'fallback':
				return (
					<FallbackStep
						isActive={active}
						primary={state.primary?.provider ?? 'openai'}
						secondaryReady={(state.secondary?.accounts.length ?? 0) > 0}
						onAddOther={() => dispatch({type: 'add-fallback-provider'})}
						onDone={(fallback) => dispatch({type: 'fallback-done', fallback})}
						onBack={back}
					/>
				);
			case 'done': {
				const summary = summarize(state, services.home);
				if (!summary) return <Text>Nothing to summarize: no provider was set up.</Text>;
				return <DoneStep isActive={active} summary={summary} onDone={onDone} onBack={back} />;
			}
			default: {
				const unreachable: never = step;
				return unreachable;
			}
		}
	}
}
