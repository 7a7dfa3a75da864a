// The wizard as an element, for commands written in plain .ts (no JSX, no direct React import).
import type {ReactElement} from 'react';
import {OnboardingWizard, type OnboardingWizardProps} from './onboarding-wizard.js';

export function onboardingWizardElement(props: OnboardingWizardProps): ReactElement {
	return <OnboardingWizard {...props} />;
}
