import {describe, expect, it} from 'vitest';
import {UsageError} from '../../source/core/errors.js';
import {claudeConfig, claudeRedirectUri, CLAUDE_OAUTH_NOT_CONFIGURED} from '../../source/providers/claude.js';
import {providerConfig} from '../../source/providers/index.js';
import {openaiConfig, openaiRedirectUri} from '../../source/providers/openai.js';

describe('openaiConfig', () => {
	it('defaults to the PROVIDERS.md facts', () => {
		const config = openaiConfig({});
		expect(config).toMatchObject({
			issuer: 'https://auth.openai.com',
			authorizeUrl: 'https://auth.openai.com/oauth/authorize',
			tokenUrl: 'https://auth.openai.com/oauth/token',
			revokeUrl: 'https://auth.openai.com/oauth/revoke',
			deviceUserCodeUrl: 'https://auth.openai.com/api/accounts/deviceauth/usercode',
			deviceTokenUrl: 'https://auth.openai.com/api/accounts/deviceauth/token',
			deviceRedirectUri: 'https://auth.openai.com/deviceauth/callback',
			deviceVerificationUrl: 'https://auth.openai.com/codex/device',
			clientId: 'app_EMoamEEZ73f0CkXaXp7hrann',
			redirectPorts: [1455, 1457],
			scopes: ['openid', 'profile', 'email', 'offline_access'],
			authorizeParams: {id_token_add_organizations: 'true', codex_cli_simplified_flow: 'true', originator: 'tui'},
			apiBaseUrl: 'https://api.openai.com/v1',
			apiKeyEnv: ['OPENAI_API_KEY'],
		});
		expect(openaiRedirectUri(config, 1455)).toBe('http://localhost:1455/auth/callback');
	});

	it('applies every override', () => {
		const config = openaiConfig({
			TUI_OPENAI_ISSUER: 'http://127.0.0.1:4000/',
			TUI_OPENAI_CLIENT_ID: 'app_sandbox',
			TUI_OPENAI_REDIRECT_PORT: '0',
			OPENAI_BASE_URL: 'http://127.0.0.1:4001/v1/',
		});
		expect(config).toMatchObject({
			issuer: 'http://127.0.0.1:4000',
			tokenUrl: 'http://127.0.0.1:4000/oauth/token',
			clientId: 'app_sandbox',
			redirectPorts: [0],
			apiBaseUrl: 'http://127.0.0.1:4001/v1',
		});
	});

	it.each([
		['TUI_OPENAI_ISSUER', 'not a url'],
		['OPENAI_BASE_URL', 'ftp://example.com'],
		['TUI_OPENAI_REDIRECT_PORT', '70000'],
		['TUI_OPENAI_REDIRECT_PORT', 'abc'],
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
			oauth: {authorizeUrl: 'http://127.0.0.1:5000/oauth/authorize', tokenUrl: 'http://127.0.0.1:5000/v1/oauth/token', redirectPort: 5055, scopes: ['user:profile', 'user:inference', 'org:x']},
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
