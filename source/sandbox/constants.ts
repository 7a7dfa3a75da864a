// Fixed identities of the sandbox. Nothing here is a real credential.

/** The OpenAI-shaped public client (shaped like the Codex CLI's). */
export const SANDBOX_OPENAI_CLIENT_ID = 'app_sandbox_0000000000000000';

/** A Claude OAuth client as a host app would register it. */
export const SANDBOX_CLAUDE_CLIENT_ID = 'sandbox-claude-client-0000';

/** API keys with this prefix are valid at the sandbox's /v1/models endpoints. */
export const SANDBOX_API_KEY_PREFIX = 'sk-sandbox-';

export const SANDBOX_OPENAI_SCOPES = 'openid profile email offline_access';
export const SANDBOX_CLAUDE_SCOPES = 'org:create_api_key user:profile user:inference';

/** The claim OpenAI puts the ChatGPT plan and account id in. */
export const OPENAI_AUTH_CLAIM = 'https://api.openai.com/auth';

/** Text every sandbox page shows, so nobody mistakes it for a real sign-in. */
export const SANDBOX_BANNER = 'tui-auth sandbox';
