export {OnboardingWizard, type OnboardingWizardProps} from './onboarding-wizard.js';
export type {OnboardingSummary} from './summary.js';
export {initialWizardState, wizardReducer, type WizardState, type WizardAction, type Step} from './state.js';
export {onboardingWizardElement} from './element.js';
