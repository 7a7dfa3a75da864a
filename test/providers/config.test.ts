import {describe, expect, it} from 'vitest';
import {UsageError} from '../../source/core/errors.js';
import {claudeConfig, claudeRedirectUri, CLAUDE_OAUTH_NOT_CONFIGURED} from '../../source/providers/claude.js';
import {providerConfig} from '../../source/providers/index.js';
import {OPENAI_PATHS, OPENAI_SIWC, openaiConfig, openaiRedirectUri} from '../../source/providers/openai.js';

describe('openaiConfig', () => {
	it('defaults to the documented ChatGPT sign-in for open-source apps', () => {
		const config = openaiConfig({});
		expect(config).toMatchObject({
			issuer: 'https://auth.openai.com',
			production: true,
			redirectHost: '127.0.0.1',
			redirectPath: '/auth/callback',
			scopes: ['openid', 'profile', 'email', 'offline_access', 'resource.invoke', 'chatgpt.tokens.use.direct'],
			apiBaseUrl: 'https://api.openai.com/v1',
			apiKeyEnv: ['OPENAI_API_KEY'],
		});
		expect(OPENAI_SIWC).toMatchObject({
			registrationClientId: 'dynamic_agent_client',
			resource: 'https://api.openai.com/v1',
			agentName: 'tui',
		});
		expect(OPENAI_PATHS).toMatchObject({authorize: '/api/accounts/authorize', token: '/api/accounts/oauth/token'});
		// Never localhost and never a fixed port: 1455 stays free for Codex.
		expect(openaiRedirectUri(54321)).toBe('http://127.0.0.1:54321/auth/callback');
		expect(JSON.stringify(config)).not.toContain('app_EMoamEEZ73f0CkXaXp7hrann');
	});

	it('applies every override; an overriding issuer is not production', () => {
		const config = openaiConfig({
			TUI_OPENAI_ISSUER: 'http://127.0.0.1:4000/',
			OPENAI_BASE_URL: 'http://127.0.0.1:4001/v1/',
		});
		expect(config).toMatchObject({
			issuer: 'http://127.0.0.1:4000',
			production: false,
			apiBaseUrl: 'http://127.0.0.1:4001/v1',
		});
	});

	it.each([
		['TUI_OPENAI_ISSUER', 'not a url'],
		['OPENAI_BASE_URL', 'ftp://example.com'],
	])('a malformed %s is a one-line usage error naming it', (name, value) => {
		expect(() => openaiConfig({[name]: value})).toThrow(UsageError);
		expect(() => openaiConfig({[name]: value})).toThrow(name);
	});
});

describe('claudeConfig', () => {
	it('ships no client id: OAuth is not configured, with the reason', () => {
		const config = claudeConfig({});
		expect(config.oauth).toEqual({configured: false, reason: CLAUDE_OAUTH_NOT_CONFIGURED});
		expect(CLAUDE_OAUTH_NOT_CONFIGURED).toContain('TUI_CLAUDE_OAUTH_CLIENT_ID');
		expect(config.apiBaseUrl).toBe('https://api.anthropic.com');
		expect(config.usageUrl).toBe('https://api.anthropic.com/api/oauth/usage');
		expect(config.apiKeyEnv).toEqual(['ANTHROPIC_API_KEY', 'CLAUDE_API_KEY']);
	});

	it('a host-registered client turns OAuth on with the documented endpoints and overrides', () => {
		const defaults = claudeConfig({TUI_CLAUDE_OAUTH_CLIENT_ID: 'host-client'});
		expect(defaults.oauth).toMatchObject({
			configured: true,
			clientId: 'host-client',
			authorizeUrl: 'https://claude.ai/oauth/authorize',
			tokenUrl: 'https://platform.claude.com/v1/oauth/token',
			authorizeParams: {code: 'true'},
			redirectPort: 0,
		});
		const config = claudeConfig({
			TUI_CLAUDE_OAUTH_CLIENT_ID: 'host-client',
			TUI_CLAUDE_OAUTH_AUTHORIZE_URL: 'http://127.0.0.1:5000/oauth/authorize',
			TUI_CLAUDE_OAUTH_TOKEN_URL: 'http://127.0.0.1:5000/v1/oauth/token',
			TUI_CLAUDE_OAUTH_REDIRECT_PORT: '5055',
			TUI_CLAUDE_OAUTH_SCOPES: 'user:profile,user:inference org:x',
			ANTHROPIC_BASE_URL: 'http://127.0.0.1:5001',
			TUI_CLAUDE_USAGE_URL: 'http://127.0.0.1:5001/api/oauth/usage',
		});
		expect(config).toMatchObject({
			oauth: {
				authorizeUrl: 'http://127.0.0.1:5000/oauth/authorize',
				tokenUrl: 'http://127.0.0.1:5000/v1/oauth/token',
				redirectPort: 5055,
				scopes: ['user:profile', 'user:inference', 'org:x'],
			},
			apiBaseUrl: 'http://127.0.0.1:5001',
			usageUrl: 'http://127.0.0.1:5001/api/oauth/usage',
		});
		if (config.oauth.configured) expect(claudeRedirectUri(config.oauth, 5055)).toBe('http://localhost:5055/callback');
	});
});

describe('providerConfig', () => {
	it('switches by provider', () => {
		expect(providerConfig('openai', {}).provider).toBe('openai');
		expect(providerConfig('claude', {}).provider).toBe('claude');
	});
});
