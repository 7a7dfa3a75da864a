// What a child agent process needs in its environment to talk to the selected account, and a spawn that
// passes it there only (never in argv). Same resolution (store/resolve-credential.ts) and selection (core/selection.ts)
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
import {summarizeDecision} from '../core/selection.js';
import {PROVIDER_NAMES, type ProviderId} from '../core/schemas.js';
import {safeLine} from '../core/text.js';
import type {Env} from '../providers/config-env.js';
import {API_KEY_ENV_VARS} from '../core/provider-registry.js';
import type {ResolvedCredential} from '../store/resolve-credential.js';
import {currentSelection, type SelectionOptions} from './selection.js';

export type AgentEnvContext = SelectionOptions;

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

/** The variable an SDK reads: the first of the provider's list (OPENAI_API_KEY, ANTHROPIC_API_KEY). */
const keyVariable = (provider: ProviderId): string => API_KEY_ENV_VARS[provider][0]!;

function environmentFor(provider: ProviderId, resolved: ResolvedCredential): Record<string, string> {
	const account =
		resolved.source === 'file'
			? (resolved.account?.label ?? 'unknown')
			: resolved.source === 'env'
				? `env:${resolved.envVar ?? keyVariable(provider)}`
				: 'explicit';
	const out: Record<string, string> = {
		TUI_PROVIDER: provider,
		TUI_ACCOUNT: account,
		TUI_AUTH_KIND: resolved.kind ?? 'api-key',
	};
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
		out[keyVariable(provider)] = resolved.secret;
	}
	return out;
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
		throw new TuiError(
			safeLine(
				only && !only.usable ? `${PROVIDER_NAMES[only.provider]}: ${only.reason}` : summarizeDecision(decision),
				500,
			),
		);
	}
	return environmentFor(decision.provider, resolved[decision.provider]!);
}

/**
 * Spawns `command args` with the agent environment merged over `base` (default: the context's env).
 * Secrets travel in the child's environment only, never in argv. Other API-key variables of the
 * providers are removed, so the child cannot pick up a different credential than the one selected.
 */
export async function spawnWithAgentEnvironment(
	command: string,
	args: readonly string[],
	context: AgentEnvContext & {readonly spawnOptions?: Omit<SpawnOptions, 'env'>; readonly base?: Env},
): Promise<ChildProcess> {
	const agent = await agentEnvironment(context);
	const env: Record<string, string> = {};
	for (const [name, value] of Object.entries(context.base ?? context.env)) if (value !== undefined) env[name] = value;
	for (const name of [...AGENT_ENV_VARS, ...Object.values(API_KEY_ENV_VARS).flat()]) delete env[name];
	Object.assign(env, agent);
	return spawn(command, [...args], {...context.spawnOptions, env});
}
