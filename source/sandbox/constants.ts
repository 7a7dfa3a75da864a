// Fixed identities of the sandbox. Nothing here is a real credential.

/** A Claude OAuth client as a host app would register it. */
export const SANDBOX_CLAUDE_CLIENT_ID = 'sandbox-claude-client-0000';

/** API keys with this prefix are valid at the sandbox's /v1/models endpoints. */
export const SANDBOX_API_KEY_PREFIX = 'sk-sandbox-';

export const SANDBOX_CLAUDE_SCOPES = 'org:create_api_key user:profile user:inference';

/** Text every sandbox page shows, so nobody mistakes it for a real sign-in. */
export const SANDBOX_BANNER = 'tui-auth sandbox';
