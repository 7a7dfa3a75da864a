// The provider registry: what several layers show or read about each provider, defined once. Pure data, so
// the screens may read it too; the wire facts (endpoints, ids, headers) stay in providers/.
import type {ProviderId} from './schemas.js';

type ProviderFacts = {
	/** As shown everywhere: "OpenAI", "Claude". */
	readonly name: string;
	/** The environment variables that hold an API key, in precedence order; the first is the one the SDK reads. */
	readonly apiKeyEnv: readonly string[];
};

export const PROVIDERS: Readonly<Record<ProviderId, ProviderFacts>> = {
	openai: {name: 'OpenAI', apiKeyEnv: ['OPENAI_API_KEY']},
	// CLAUDE_API_KEY is accepted as an alias; ANTHROPIC_API_KEY wins when both are set.
	claude: {name: 'Claude', apiKeyEnv: ['ANTHROPIC_API_KEY', 'CLAUDE_API_KEY']},
};

/** Environment variables that hold an API key for the provider, in precedence order. */
export const API_KEY_ENV_VARS: Readonly<Record<ProviderId, readonly string[]>> = {
	openai: PROVIDERS.openai.apiKeyEnv,
	claude: PROVIDERS.claude.apiKeyEnv,
};

/** The official CLI the Claude subscription is delegated to, as shown, and its first version with `claude auth`. */
export const CLAUDE_CODE_NAME = 'Claude Code';
export const CLAUDE_CODE_MIN_AUTH_VERSION = '2.1.41';

/** A delegated account's tool as shown: "Claude Code" for claude-code, else the stored name. */
export function toolName(tool: string): string {
	return tool === 'claude-code' ? CLAUDE_CODE_NAME : tool;
}
