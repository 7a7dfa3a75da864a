// GET api.anthropic.com/api/oauth/usage (undocumented; docs/providers.md): the subscription's 5h and weekly windows.
// Only for an OAuth client the host registered; delegated Claude Code logins are never read.
import {normalizeClaudeUsage} from '../core/quota.js';
import type {Env} from './config-env.js';
import {CLAUDE_HEADERS, CLAUDE_NAME, claudeConfig} from './claude.js';
import {fetchUsage, type UsageFetchOptions, type UsageResult} from './usage-fetch.js';

export type ClaudeUsageOptions = UsageFetchOptions & {readonly env: Env};

export async function fetchClaudeUsage(options: ClaudeUsageOptions): Promise<UsageResult> {
	const {usageUrl} = claudeConfig(options.env);
	return fetchUsage(
		{
			name: CLAUDE_NAME,
			url: usageUrl,
			headers: (access) => ({authorization: `Bearer ${access}`, [CLAUDE_HEADERS.beta]: CLAUDE_HEADERS.oauthBeta}),
			normalize: normalizeClaudeUsage,
		},
		options,
	);
}
