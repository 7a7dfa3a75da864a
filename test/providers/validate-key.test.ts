import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {until} from '../helpers/wait.js';
import {UsageError} from '../../source/core/errors.js';
import type {ProviderId} from '../../source/core/schemas.js';
import {assertApiKeyShape, normalizeApiKey, validateApiKey} from '../../source/providers/validate-key.js';
import {closedPortUrl, startProviderStub, type ProviderStub} from '../helpers/provider-stub.js';

const GOOD = {openai: 'sk-test-good-0123456789abcdef', claude: 'sk-ant-test-good-0123456789abcdef'} as const;
const BAD = {openai: 'sk-test-BAD-KEY-zyxwvutsrq9876', claude: 'sk-ant-test-BAD-KEY-zyxwvutsrq9876'} as const;

let stub: ProviderStub;
beforeAll(async () => {
	stub = await startProviderStub();
});
afterAll(async () => {
	await stub.close();
});

function envFor(): Record<string, string> {
	return {...stub.env};
}

describe.each(['openai', 'claude'] as const)('validateApiKey(%s)', (provider: ProviderId) => {
	const reset = () => stub.set(provider, {goodKeys: [GOOD[provider]]});

	it('accepts the good key with one GET /v1/models carrying it', async () => {
		reset();
		const before = stub.requests.length;
		await expect(validateApiKey(provider, GOOD[provider], {env: envFor()})).resolves.toEqual({ok: true});
		const sent = stub.requests.slice(before);
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({provider, method: 'GET', path: '/v1/models', key: GOOD[provider]});
	});

	it('maps 401 to invalid, without echoing the key the provider sent back', async () => {
		reset();
		const before = stub.requests.length;
		const result = await validateApiKey(provider, BAD[provider], {env: envFor()});
		expect(result).toMatchObject({ok: false, reason: 'invalid'});
		expect(result.ok === false && result.message).toMatch(/invalid key/);
		expect(JSON.stringify(result)).not.toContain('BAD-KEY');
		// maxRetries 0: one request, not a retry storm.
		expect(stub.requests.length - before).toBe(1);
	});

	it('maps 429 to rate-limited, with no retry', async () => {
		stub.set(provider, {goodKeys: [GOOD[provider]], forceStatus: 429});
		const before = stub.requests.length;
		const result = await validateApiKey(provider, GOOD[provider], {env: envFor()});
		expect(result).toMatchObject({ok: false, reason: 'rate-limited'});
		expect(result.ok === false && result.message).toMatch(/rate limited.*try later/);
		expect(stub.requests.length - before).toBe(1);
	});

	it.each([500, 503])('maps %i to provider-error', async (status) => {
		stub.set(provider, {goodKeys: [GOOD[provider]], forceStatus: status});
		const result = await validateApiKey(provider, GOOD[provider], {env: envFor()});
		expect(result).toMatchObject({ok: false, reason: 'provider-error'});
		expect(result.ok === false && result.message).toMatch(/having issues, try later/);
		expect(JSON.stringify(result)).not.toContain(GOOD[provider]);
	});

	it('maps a closed port to offline, naming the host', async () => {
		const base = await closedPortUrl();
		const env = provider === 'openai' ? {OPENAI_BASE_URL: `${base}/v1`} : {ANTHROPIC_BASE_URL: base};
		const result = await validateApiKey(provider, GOOD[provider], {env});
		expect(result).toMatchObject({ok: false, reason: 'offline'});
		expect(result.ok === false && result.message).toContain(`offline? could not reach ${new URL(base).host}`);
	});

	it('maps a silent server to offline after the timeout', async () => {
		stub.set(provider, {goodKeys: [GOOD[provider]], hang: true});
		const started = Date.now();
		const result = await validateApiKey(provider, GOOD[provider], {env: envFor(), timeoutMs: 300});
		expect(result).toMatchObject({ok: false, reason: 'offline'});
		expect(Date.now() - started).toBeLessThan(5000);
		reset();
	});

	it('uses the injected fetch', async () => {
		reset();
		let calls = 0;
		const counting: typeof fetch = (input, init) => {
			calls++;
			return fetch(input, init);
		};
		await expect(validateApiKey(provider, GOOD[provider], {env: envFor(), fetch: counting})).resolves.toEqual({
			ok: true,
		});
		expect(calls).toBe(1);
	});

	it('trims surrounding spaces, tabs, CR and LF (as a typed key is): the key validates', async () => {
		reset();
		await expect(validateApiKey(provider, ` \t${GOOD[provider]}\r\n`, {env: envFor()})).resolves.toEqual({ok: true});
		expect(normalizeApiKey(`\n${GOOD[provider]} \r\n`)).toBe(GOOD[provider]);
	});

	it.each([
		['empty', ''],
		['whitespace only', ' \r\n'],
		['whitespace', `${GOOD[provider]} extra`],
		['newline inside', `${GOOD[provider].slice(0, 10)}\n${GOOD[provider].slice(10)}`],
		['control', `${GOOD[provider]}\u0007`],
		['non-ascii', `${GOOD[provider]}é`],
		['absurd length', 'k'.repeat(5000)],
	])('rejects a key with %s locally, before any request', async (_name, key) => {
		reset();
		const before = stub.requests.length;
		const failure = await validateApiKey(provider, key, {env: envFor()}).then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(UsageError);
		expect((failure as Error).message).not.toContain(GOOD[provider]);
		expect((failure as Error).message).not.toContain('\n');
		expect(stub.requests.length).toBe(before);
	});
});

describe('provider-specific outcomes', () => {
	it('OpenAI 429 insufficient_quota says out of quota, still rate-limited', async () => {
		stub.set('openai', {goodKeys: [GOOD.openai], forceStatus: 429, rateLimitCode: 'insufficient_quota'});
		const result = await validateApiKey('openai', GOOD.openai, {env: envFor()});
		expect(result).toMatchObject({ok: false, reason: 'rate-limited'});
		expect(result.ok === false && result.message).toMatch(/out of quota/);
	});

	it('Anthropic 529 overloaded is a provider error, named Claude as everywhere else', async () => {
		stub.set('claude', {goodKeys: [GOOD.claude], forceStatus: 529});
		const result = await validateApiKey('claude', GOOD.claude, {env: envFor()});
		expect(result).toMatchObject({
			ok: false,
			reason: 'provider-error',
			message: expect.stringMatching(/^Claude is having issues/),
		});
	});

	it('Anthropic gets the key and anthropic-version, never ANTHROPIC_AUTH_TOKEN from the environment', async () => {
		stub.set('claude', {goodKeys: [GOOD.claude]});
		const saved = process.env.ANTHROPIC_AUTH_TOKEN;
		process.env.ANTHROPIC_AUTH_TOKEN = 'tok-should-not-be-sent';
		try {
			const before = stub.requests.length;
			await expect(validateApiKey('claude', GOOD.claude, {env: envFor()})).resolves.toEqual({ok: true});
			const [sent] = stub.requests.slice(before);
			expect(sent?.headers['anthropic-version']).toBeTruthy();
			expect(sent?.key).toBe(GOOD.claude);
			expect(JSON.stringify(sent?.headers)).not.toContain('tok-should-not-be-sent');
		} finally {
			if (saved === undefined) delete process.env.ANTHROPIC_AUTH_TOKEN;
			else process.env.ANTHROPIC_AUTH_TOKEN = saved;
		}
	});

	it('a Claude key rejected by OpenAI gets a hint to switch provider', async () => {
		stub.set('openai', {goodKeys: []});
		const result = await validateApiKey('openai', BAD.claude, {env: envFor()});
		expect(result.ok === false && result.message).toMatch(/looks like a Claude key.*--provider claude/);
	});

	it('a cancelled signal throws instead of reporting a reason', async () => {
		stub.set('openai', {goodKeys: [GOOD.openai], hang: true});
		const controller = new AbortController();
		const pending = validateApiKey('openai', GOOD.openai, {env: envFor(), signal: controller.signal});
		// Wait until the request reached the stub, then cancel.
		const before = stub.requests.length;
		await until(() => stub.requests.length > before, 'the request to reach the stub');
		controller.abort();
		await expect(pending).rejects.toThrow(/cancelled/);
		stub.set('openai', {goodKeys: [GOOD.openai]});
	});
});

describe('assertApiKeyShape', () => {
	it('accepts real-looking keys', () => {
		expect(() => assertApiKeyShape('sk-test-abcdefghijklmnop_QRSTUV-1234')).not.toThrow();
		expect(() => assertApiKeyShape('sk-ant-test-abcdefghijklmnop_QRSTUV-1234AA')).not.toThrow();
	});
	it('never quotes the key', () => {
		const key = 'sk-secret-canary value';
		// Caught outside the assertion, so a key that passes (no throw) fails the test.
		let caught: unknown;
		try {
			assertApiKeyShape(key);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(Error);
		expect((caught as Error).message).not.toContain('canary');
	});
});
