// Usage endpoints and both /v1/models, in the providers' wire formats.
import Anthropic from '@anthropic-ai/sdk';
import * as oauth from 'oauth4webapi';
import OpenAI from 'openai';
import {beforeAll, describe, expect, it} from 'vitest';
import {SANDBOX_CLAUDE_CLIENT_ID} from '../../source/sandbox/constants.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {useSandbox, type Sandbox} from '../helpers/sandbox.js';

const sandbox = useSandbox();
const insecure = {[oauth.allowInsecureRequests]: true};

async function claudeLogin(box: Sandbox, scope = 'user:profile user:inference') {
	const verifier = oauth.generateRandomCodeVerifier();
	const redirectUri = box.env.TUI_CLAUDE_OAUTH_PASTE_REDIRECT_URI!;
	const url = new URL(box.env.TUI_CLAUDE_OAUTH_AUTHORIZE_URL!);
	url.search = new URLSearchParams({
		code: 'true',
		client_id: SANDBOX_CLAUDE_CLIENT_ID,
		response_type: 'code',
		redirect_uri: redirectUri,
		scope,
		code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
		code_challenge_method: 'S256',
		state: 'claude-state',
	}).toString();
	const page = await completeSandboxLoginWithoutBrowser(url.href);
	const code = /<pre id="code">([^#<]+)#/.exec(page.body!)![1]!;
	const response = await fetch(box.env.TUI_CLAUDE_OAUTH_TOKEN_URL!, {
		method: 'POST',
		headers: {'content-type': 'application/json'},
		body: JSON.stringify({
			grant_type: 'authorization_code',
			code,
			state: 'claude-state',
			client_id: SANDBOX_CLAUDE_CLIENT_ID,
			redirect_uri: redirectUri,
			code_verifier: verifier,
		}),
	});
	return ((await response.json()) as {access_token: string}).access_token;
}

describe('GET /backend-api/wham/usage', () => {
	it('is no place for a ChatGPT plan token: 401 no_matching_rule, as OpenAI answers', async () => {
		const response = await fetch(sandbox().env.TUI_OPENAI_USAGE_URL!, {headers: {authorization: 'Bearer a.b.c'}});
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({detail: 'no_matching_rule'});
	});
});

describe('GET /api/oauth/usage (Claude)', () => {
	let access: string;
	beforeAll(async () => {
		access = await claudeLogin(sandbox());
	});
	const usage = (headers: Record<string, string>) => fetch(sandbox().env.TUI_CLAUDE_USAGE_URL!, {headers});

	it('answers with five_hour, seven_day, seven_day_opus and extra_usage', async () => {
		const response = await usage({authorization: `Bearer ${access}`, 'anthropic-beta': 'oauth-2025-04-20'});
		expect(response.status).toBe(200);
		const body = (await response.json()) as Record<string, any>;
		expect(body.five_hour).toEqual({
			utilization: expect.any(Number),
			resets_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
		expect(body.seven_day.utilization).toBeGreaterThanOrEqual(0);
		expect(body).toHaveProperty('seven_day_opus');
		expect(body.extra_usage).toMatchObject({is_enabled: false});
	});

	it('needs the oauth beta header, a known token, and scope user:profile', async () => {
		expect((await usage({authorization: `Bearer ${access}`})).status).toBe(401);
		expect(
			(await usage({authorization: 'Bearer sk-ant-test-oat-unknown', 'anthropic-beta': 'oauth-2025-04-20'})).status,
		).toBe(401);
		const inferenceOnly = await claudeLogin(sandbox(), 'user:inference');
		expect((await usage({authorization: `Bearer ${inferenceOnly}`, 'anthropic-beta': 'oauth-2025-04-20'})).status).toBe(
			403,
		);
	});

	it('answers with the fault status or the malformed body a test sets', async () => {
		const box = sandbox();
		const headers = {authorization: `Bearer ${access}`, 'anthropic-beta': 'oauth-2025-04-20'};
		try {
			box.faults.usageStatus = 500;
			expect((await usage(headers)).status).toBe(500);
			box.faults.usageStatus = undefined;
			box.faults.usageBody = 'not json';
			await expect((await usage(headers)).json()).rejects.toThrow();
		} finally {
			box.faults.usageStatus = undefined;
			box.faults.usageBody = undefined;
		}
	});
});

describe('/v1/models', () => {
	it('OpenAI-shaped: sk-sandbox- keys list models with rate-limit headers; other keys get 401', async () => {
		const box = sandbox();
		const ok = await fetch(`${box.env.OPENAI_BASE_URL}/models`, {headers: {authorization: 'Bearer sk-sandbox-valid'}});
		expect(ok.status).toBe(200);
		expect(ok.headers.get('x-ratelimit-limit-requests')).toMatch(/^\d+$/);
		expect(ok.headers.get('x-ratelimit-remaining-tokens')).toMatch(/^\d+$/);
		expect(((await ok.json()) as {object: string}).object).toBe('list');

		const bad = await fetch(`${box.env.OPENAI_BASE_URL}/models`, {
			headers: {authorization: 'Bearer sk-test-live-elsewhere'},
		});
		expect(bad.status).toBe(401);
		expect(await bad.json()).toMatchObject({error: {code: 'invalid_api_key'}});

		// The real SDK against the sandbox, as key validation uses it.
		const models = await new OpenAI({
			apiKey: 'sk-sandbox-sdk',
			baseURL: box.env.OPENAI_BASE_URL,
			maxRetries: 0,
		}).models.list();
		expect(models.data.length).toBeGreaterThan(0);
		await expect(
			new OpenAI({apiKey: 'sk-wrong', baseURL: box.env.OPENAI_BASE_URL, maxRetries: 0}).models.list(),
		).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
		await expect(
			new OpenAI({apiKey: 'sk-sandbox-429', baseURL: box.env.OPENAI_BASE_URL, maxRetries: 0}).models.list(),
		).rejects.toBeInstanceOf(OpenAI.RateLimitError);
	});

	it('Anthropic-shaped under ANTHROPIC_BASE_URL: x-api-key checked, anthropic-ratelimit-* headers sent', async () => {
		const box = sandbox();
		const ok = await fetch(`${box.env.ANTHROPIC_BASE_URL}/v1/models`, {
			headers: {'x-api-key': 'sk-sandbox-valid', 'anthropic-version': '2023-06-01'},
		});
		expect(ok.status).toBe(200);
		expect(ok.headers.get('anthropic-ratelimit-requests-limit')).toMatch(/^\d+$/);
		expect(Date.parse(ok.headers.get('anthropic-ratelimit-tokens-reset')!)).toBeGreaterThan(Date.now());
		expect(await ok.json()).toMatchObject({
			has_more: false,
			data: expect.arrayContaining([expect.objectContaining({type: 'model'})]),
		});

		const bad = await fetch(`${box.env.ANTHROPIC_BASE_URL}/v1/models`, {
			headers: {'x-api-key': 'sk-ant-test-real-looking'},
		});
		expect(bad.status).toBe(401);
		expect(await bad.json()).toMatchObject({type: 'error', error: {type: 'authentication_error'}});

		const models = await new Anthropic({
			apiKey: 'sk-sandbox-sdk',
			baseURL: box.env.ANTHROPIC_BASE_URL,
			maxRetries: 0,
		}).models.list();
		expect(models.data.length).toBeGreaterThan(0);
		await expect(
			new Anthropic({apiKey: 'nope', baseURL: box.env.ANTHROPIC_BASE_URL, maxRetries: 0}).models.list(),
		).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
		await expect(
			new Anthropic({apiKey: 'sk-sandbox-500', baseURL: box.env.ANTHROPIC_BASE_URL, maxRetries: 0}).models.list(),
		).rejects.toBeInstanceOf(Anthropic.InternalServerError);
	});

	it('answers with the models fault status a test sets', async () => {
		const box = sandbox();
		box.faults.modelsStatus = 429;
		try {
			const response = await fetch(`${box.env.OPENAI_BASE_URL}/models`, {
				headers: {authorization: 'Bearer sk-sandbox-valid'},
			});
			expect(response.status).toBe(429);
			expect(response.headers.get('retry-after')).toBe('20');
		} finally {
			box.faults.modelsStatus = undefined;
		}
	});
});
