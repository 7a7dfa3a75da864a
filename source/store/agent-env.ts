// What a child agent process needs in its environment to talk to the selected account, and a spawn that
// passes it there only (never in argv). Same resolution (discovery.ts) and selection (core/selection.ts)
// as the host; a seat that is full (sessions.ts) or over quota (cached figures, no network) is passed over.
//
// Variables:
//   TUI_PROVIDER      openai | claude
//   TUI_ACCOUNT       the account label; "env:NAME" for a key from the environment, "explicit" for a flag
//   TUI_AUTH_KIND     api-key | chatgpt-plan | oauth | delegated
//   OPENAI_API_KEY / ANTHROPIC_API_KEY   only for API keys (what the SDKs read)
//   TUI_CHATGPT_ACCESS_TOKEN  for a ChatGPT sign-in: a plan token. Deliberately NOT OPENAI_API_KEY: it is not
//                     an API key (no organization or project, POST /responses with store:false and stream:true
//                     and GET /models only), so an SDK must not pick it up as one.
//   TUI_CHATGPT_BASE_URL      where plan requests go (https://api.openai.com/v1)
//   TUI_ACCESS_TOKEN  for other OAuth logins (a Claude client the host registered)
//   TUI_ACCESS_TOKEN_EXPIRES_AT   ISO time the access token expires (OAuth, ChatGPT too)
//   TUI_DELEGATED_TOOL  for delegated accounts (e.g. claude-code): that tool holds the login, no secret is given
import {spawn, type ChildProcess, type SpawnOptions} from 'node:child_process';
import {TuiError} from '../core/errors.js';
import {selectProvider, summarizeDecision, type Decision, type ProviderState} from '../core/selection.js';
import {DEFAULT_PREFERENCES, PROVIDER_IDS, PROVIDER_NAMES, type Preferences, type ProviderId} from '../core/schemas.js';
import {windowStillCounts} from '../core/status-line.js';
import {safeLine} from '../core/text.js';
import type {Env} from '../providers/config-env.js';
import {API_KEY_ENV_VARS, resolveCredential, type RefreshOAuthAccount, type ResolvedCredential} from './discovery.js';
import type {ReportedErrors} from '../core/provider-errors.js';
import {readPreferences} from './preferences.js';
import {readReportedErrorsOrNone, reportedState} from './provider-errors.js';
import {budgetKey, sessionState} from './sessions.js';

export type AgentEnvContext = {
	readonly home: string;
	/** The host's environment: resolution reads API keys from it. */
	readonly env: Env;
	/** Only this provider (no fallback to the other). */
	readonly provider?: ProviderId;
	readonly now?: number | (() => number);
	readonly refresh?: RefreshOAuthAccount;
	/** Default: read from <home>/config.json. */
	readonly preferences?: Preferences;
	/** Consider cached quota figures and rate-limit snapshots (default true; never calls the network). */
	readonly quota?: boolean;
};

export type AgentEnvironment = Readonly<Record<string, string>>;

/** Every variable agentEnvironment may set; spawnWithAgentEnvironment clears them from the inherited env first. */
export const AGENT_ENV_VARS = [
	'TUI_PROVIDER',
	'TUI_ACCOUNT',
	'TUI_AUTH_KIND',
	'TUI_ACCESS_TOKEN',
	'TUI_CHATGPT_ACCESS_TOKEN',
	'TUI_CHATGPT_BASE_URL',
	// No longer set (the ChatGPT-Account-Id header belonged to the retired flow); still cleared from inherited envs.
	'TUI_ACCOUNT_ID',
	'TUI_ACCESS_TOKEN_EXPIRES_AT',
	'TUI_DELEGATED_TOOL',
] as const;

const KEY_VARIABLE: Readonly<Record<ProviderId, string>> = {openai: 'OPENAI_API_KEY', claude: 'ANTHROPIC_API_KEY'};

function clock(now: AgentEnvContext['now']): number {
	return typeof now === 'function' ? now() : (now ?? Date.now());
}

/** Quota windows and rate limits as the quota screen last saw them; offline, best effort. */
async function cachedBlocks(context: AgentEnvContext, now: number): Promise<Partial<Record<ProviderId, Pick<ProviderState, 'quota' | 'rateLimitedUntil'> & {accountId?: string}>>> {
	try {
		const {gatherQuota} = await import('./quota.js');
		const report = await gatherQuota({home: context.home, env: context.env, now, offline: true});
		const out: Partial<Record<ProviderId, Pick<ProviderState, 'quota' | 'rateLimitedUntil'> & {accountId?: string}>> = {};
		for (const p of report.providers) {
			const active = p.accounts.find((a) => a.active);
			if (!active) continue;
			const until = active.rateLimits?.rateLimitedUntil;
			out[p.provider] = {
				accountId: active.id,
				quota: active.windows.filter((w) => windowStillCounts(w, now)).map((w) => ({usedPercent: w.usedPercent, name: w.name, ...(w.resetsAt !== undefined ? {resetsAt: w.resetsAt} : {})})),
				...(until !== undefined && until > now ? {rateLimitedUntil: until} : {}),
			};
		}
		return out;
	} catch {
		return {};
	}
}

async function stateOf(
	context: AgentEnvContext,
	provider: ProviderId,
	resolved: ResolvedCredential,
	prefs: Preferences,
	blocks: Awaited<ReturnType<typeof cachedBlocks>>,
	reported: Readonly<Record<string, ReportedErrors>>,
): Promise<ProviderState> {
	const accountId = resolved.source === 'file' ? resolved.account?.id : undefined;
	const label = resolved.account?.label ?? resolved.envVar;
	const cached = blocks[provider];
	const cachedFits = cached && (cached.accountId === accountId || (resolved.source === 'env' && cached.accountId === 'env'));
	return {
		usable: resolved.usable,
		source: resolved.source,
		...(accountId ? {accountId} : {}),
		...(label ? {accountLabel: label} : {}),
		...(!resolved.usable ? {reason: resolved.reason} : {}),
		...(cachedFits && cached.quota ? {quota: cached.quota} : {}),
		...(cachedFits && cached.rateLimitedUntil !== undefined ? {rateLimitedUntil: cached.rateLimitedUntil} : {}),
		...reportedState(reported, provider, accountId ?? (resolved.source === 'env' ? 'env' : undefined), resolved),
		// Counting cleans the sessions file (a write), so only seats with a limit are counted.
		...(accountId && prefs.budgets[budgetKey(provider, accountId)]?.maxConcurrentSessions !== undefined ? {sessions: await sessionState(context.home, prefs, provider, accountId)} : {}),
	};
}

function environmentFor(provider: ProviderId, resolved: ResolvedCredential): Record<string, string> {
	const account = resolved.source === 'file' ? (resolved.account?.label ?? 'unknown') : resolved.source === 'env' ? `env:${resolved.envVar ?? KEY_VARIABLE[provider]}` : 'explicit';
	const out: Record<string, string> = {TUI_PROVIDER: provider, TUI_ACCOUNT: account, TUI_AUTH_KIND: resolved.kind ?? 'api-key'};
	if (resolved.kind === 'delegated') {
		out.TUI_DELEGATED_TOOL = resolved.account?.tool ?? 'unknown';
		return out;
	}
	if (!resolved.secret) throw new TuiError(`${PROVIDER_NAMES[provider]}: ${resolved.reason}`);
	if (resolved.kind === 'chatgpt-plan') {
		out.TUI_CHATGPT_ACCESS_TOKEN = resolved.secret;
		if (resolved.baseURL) out.TUI_CHATGPT_BASE_URL = resolved.baseURL;
		if (resolved.account?.expiresAt) out.TUI_ACCESS_TOKEN_EXPIRES_AT = resolved.account.expiresAt;
	} else if (resolved.kind === 'oauth') {
		out.TUI_ACCESS_TOKEN = resolved.secret;
		if (resolved.account?.expiresAt) out.TUI_ACCESS_TOKEN_EXPIRES_AT = resolved.account.expiresAt;
	} else {
		out[KEY_VARIABLE[provider]] = resolved.secret;
	}
	return out;
}

export type CurrentSelection = {
	readonly decision: Decision;
	readonly resolved: Partial<Record<ProviderId, ResolvedCredential>>;
};

/**
 * Which provider and account to use now, with its trail: the library's `selectProvider`. Gathers the inputs
 * (credentials, cached quota and rate limits, seats, preferences) from the home, then runs the pure flowchart.
 */
export async function currentSelection(context: AgentEnvContext): Promise<CurrentSelection> {
	const now = clock(context.now);
	let prefs = context.preferences;
	if (!prefs) {
		try {
			prefs = await readPreferences(context.home);
		} catch {
			// A bad config.json must not keep an agent from starting on the defaults.
			prefs = structuredClone(DEFAULT_PREFERENCES);
		}
	}
	const providers = context.provider ? [context.provider] : [...PROVIDER_IDS];
	const resolveOptions = {home: context.home, env: context.env, now, ...(context.refresh ? {refresh: context.refresh} : {})};
	const resolved = Object.fromEntries(await Promise.all(providers.map(async (p) => [p, await resolveCredential(p, resolveOptions)] as const))) as Partial<Record<ProviderId, ResolvedCredential>>;
	const blocks = context.quota === false ? {} : await cachedBlocks(context, now);
	const reported = await readReportedErrorsOrNone(context.home);
	const states: Partial<Record<ProviderId, ProviderState>> = {};
	for (const p of providers) states[p] = await stateOf(context, p, resolved[p]!, prefs, blocks, reported);
	// No preferred provider set (a login does not set one): the first usable in the fallback order, as `auth token` does.
	const order = [...prefs.fallback.order, ...PROVIDER_IDS.filter((p) => !prefs.fallback.order.includes(p))];
	const preferred = context.provider ?? prefs.activeProvider ?? order.find((p) => resolved[p]?.usable);
	const preferences = {
		...(preferred ? {activeProvider: preferred} : {}),
		fallback: context.provider ? {...prefs.fallback, enabled: false} : prefs.fallback,
	};
	return {decision: selectProvider({now, preferences, providers: states}), resolved};
}

/**
 * The environment a child agent needs for the selected account (see the variable list at the top).
 * Throws a one-line TuiError (no secret in it) when no account is usable, with selection's reasons.
 */
export async function agentEnvironment(context: AgentEnvContext): Promise<AgentEnvironment> {
	const {decision, resolved} = await currentSelection(context);
	if (!decision.ok) {
		const only = context.provider ? resolved[context.provider] : undefined;
		// One provider asked for and not usable: its own reason says more than selection's summary.
		throw new TuiError(safeLine(only && !only.usable ? `${PROVIDER_NAMES[only.provider]}: ${only.reason}` : summarizeDecision(decision), 500));
	}
	return environmentFor(decision.provider, resolved[decision.provider]!);
}

/**
 * Spawns `command args` with the agent environment merged over `base` (default: the context's env).
 * Secrets travel in the child's environment only, never in argv. Other API-key variables of the
 * providers are removed, so the child cannot pick up a different credential than the one selected.
 */
export async function spawnWithAgentEnvironment(command: string, args: readonly string[], context: AgentEnvContext & {readonly spawnOptions?: Omit<SpawnOptions, 'env'>; readonly base?: Env}): Promise<ChildProcess> {
	const agent = await agentEnvironment(context);
	const env: Record<string, string> = {};
	for (const [name, value] of Object.entries(context.base ?? context.env)) if (value !== undefined) env[name] = value;
	for (const name of [...AGENT_ENV_VARS, ...Object.values(API_KEY_ENV_VARS).flat()]) delete env[name];
	Object.assign(env, agent);
	return spawn(command, [...args], {...context.spawnOptions, env});
}
