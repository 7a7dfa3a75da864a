// The library face: what host apps import. The screenless entry's exports (credentials.ts) first, then the screens.
export * from './credentials.js';
export {gatherQuota, quotaReportToJson} from './app/quota.js';
export {createQuotaMonitor, type QuotaMonitor} from './app/quota-monitor.js';
export type {QuotaReport} from './store/quota.js';

// Pure decision logic, for hosts that gather their own inputs.
export {selectProvider as decideProvider, type SelectionContext, type TrailStep} from './core/selection.js';
export {estimateCost, MODEL_PRICES, PRICES_AS_OF} from './core/prices.js';
export {recommendMode, countLinesOfCode, categorize, estimateTokens, defaultModeForTier} from './core/strategy.js';
export {parseRateLimitHeaders} from './core/rate-limit-headers.js';
export {recommendForTier, compareModes, chatgptPlanEligible, CHATGPT_MANAGE_USAGE_URL} from './core/tiers.js';
export {classifyProviderError, PLAN_ERROR_CODES, type ProviderErrorClass} from './core/provider-errors.js';
export * from './core/schemas.js';
export {TuiError, UsageError, CorruptFileError} from './core/errors.js';

// Screens (Ink components). Wrap them in <ServicesProvider value={createServices(...)}> (and, for the account
// screens, <AccountsProvider>) so they get their clock, files, browser opener and network from the host.
export {OnboardingWizard, type OnboardingWizardProps, type OnboardingSummary} from './ui/screens/onboarding/index.js';
export {
	AccountSwitcher,
	AccountsProvider,
	type AccountSwitcherProps,
	type AccountsApi,
} from './ui/screens/accounts/index.js';
export {createAccountsApi} from './app/accounts.js';
export {FallbackPreferences, type FallbackPreferencesProps} from './ui/screens/fallback/index.js';
export {HomeScreen, type HomeScreenProps} from './ui/screens/home/index.js';
export {QuotaPanel, type QuotaPanelProps} from './ui/screens/quota/quota-panel.js';
export {ServicesProvider, useServices, type Services} from './ui/services.js';
export {createRealServices as createServices} from './app/services.js';
