// A light entry for hosts that need credentials and selection but no screens: it loads no ink or react.
export {
	resolveCredential,
	selectProvider,
	recordUsage,
	recordRateLimitHeaders,
	recordProviderError,
	clearProviderErrors,
	type HostOptions,
	type UsageReport,
} from './library.js';
export type {ProviderErrorReport} from './core/provider-errors.js';
export type {ResolvedCredential} from './store/resolve-credential.js';
export type {CurrentSelection} from './app/selection.js';
export {agentEnvironment, spawnWithAgentEnvironment} from './app/agent-env.js';
export {beginSession, endSession, countSessions} from './store/sessions.js';
export {onProviderError, summarizeDecision, type Decision} from './core/selection.js';
