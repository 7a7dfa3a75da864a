// ChatGPT sign-in for open-source apps against the faithful sandbox: the wire, the returning sign-in, every knob
// with the message a user sees, refresh failures (terminal vs transient), a full disk, sign-out and old logins.
import {readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {tempDir, tempHome} from '../helpers/temp-home.js';
import {failure} from './fixtures/failure.js';
import {authFileSchema, type AuthFile, type OAuthAccount} from '../../source/core/schemas.js';
import {parseShape} from '../../source/core/shape.js';
import {startLogin, type LoginDeps} from '../../source/oauth/login.js';
import {needsRefresh, refreshIfNeeded} from '../../source/oauth/refresh.js';
import {earliestRefresh} from '../../source/oauth/siwc.js';
import {revokeHookImpl} from '../../source/oauth/hooks.js';
import {readAuthFile, updateAuthFile, writeAuthFileLocked} from '../../source/store/auth-file.js';
import {hostIdPath, keptClientsPath, pendingClientPath} from '../../source/store/host-id.js';
import {startSandbox} from '../../source/sandbox/server.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {startTestSandbox, useSandbox, type Sandbox} from '../helpers/sandbox.js';

const sandbox = useSandbox();

/** One sign-in by the paste method, the sandbox's page driven like a user would (email typed, Continue clicked). */
async function signIn(
	sb: Sandbox,
	home: string,
	extra: Partial<LoginDeps> = {},
	email?: string,
): Promise<OAuthAccount> {
	const handle = await startLogin('openai', {method: 'paste', env: sb.env, home, ...extra});
	const result = await completeSandboxLoginWithoutBrowser(handle.authUrl!, {land: false, email});
	await handle.submitPaste!(result.finalUrl);
	return handle.done;
}

/** A sign-in expected to fail: the message it ends with. */
async function signInFails(sb: Sandbox, home: string, extra: Partial<LoginDeps> = {}): Promise<string> {
	const handle = await startLogin('openai', {method: 'paste', env: sb.env, home, ...extra});
	const result = await completeSandboxLoginWithoutBrowser(handle.authUrl!, {land: false});
	const pasted = await failure(handle.submitPaste!(result.finalUrl));
	const ended = await failure(handle.done);
	expect(ended.message).toBe(pasted.message);
	return ended.message;
}

async function storedFile(home: string): Promise<AuthFile> {
	return parseShape(authFileSchema, JSON.parse(await readFile(join(home, 'auth', 'openai.json'), 'utf8')));
}

async function firstOAuth(home: string): Promise<OAuthAccount> {
	return (await storedFile(home)).accounts[0] as OAuthAccount;
}

async function setTokens(
	home: string,
	id: string,
	tokens: Partial<OAuthAccount['tokens']>,
	extra: Partial<OAuthAccount> = {},
): Promise<void> {
	await updateAuthFile(home, 'openai', (file) => ({
		file: {
			...file,
			accounts: file.accounts.map((a) =>
				a.id === id && a.kind === 'oauth' ? {...a, ...extra, tokens: {...a.tokens, ...tokens}} : a,
			),
		},
		result: undefined,
	}));
}

const exists = (path: string) =>
	stat(path).then(
		() => true,
		() => false,
	);

describe('first registration and the wire', () => {
	it('sends the exact registration parameter set, keeps the issued client, exchanges and refreshes with it only', async () => {
		const sb = sandbox();
		const home = await tempHome();
		const from = sb.openaiWire.length;
		const account = await signIn(sb, home, {agentName: 'my-host-app'});
		const wire = sb.openaiWire.slice(from);
		const authorize = wire.find((w) => w.endpoint === 'authorize')!.params;
		expect(Object.keys(authorize).sort()).toEqual(
			[
				'agent_name_hint',
				'client_id',
				'code_challenge',
				'code_challenge_method',
				'ext_agent_host_id',
				'nonce',
				'redirect_uri',
				'resource',
				'response_type',
				'scope',
				'state',
			].sort(),
		);
		expect(authorize).toMatchObject({
			client_id: 'dynamic_agent_client',
			agent_name_hint: 'my-host-app',
			response_type: 'code',
			code_challenge_method: 'S256',
			resource: 'https://api.openai.com/v1',
			scope: 'openid profile email offline_access resource.invoke chatgpt.tokens.use.direct',
		});
		expect(authorize.redirect_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/callback$/);
		expect(authorize.redirect_uri).not.toMatch(/:1455\//);
		expect(authorize.ext_agent_host_id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
		expect(authorize.state).not.toBe(authorize.nonce);

		const exchange = wire.find((w) => w.endpoint === 'token')!.params;
		expect(Object.keys(exchange).sort()).toEqual([
			'client_id',
			'code',
			'code_verifier',
			'grant_type',
			'redirect_uri',
			'resource',
		]);
		expect(exchange).toMatchObject({
			grant_type: 'authorization_code',
			client_id: account.clientId,
			redirect_uri: authorize.redirect_uri,
			resource: 'https://api.openai.com/v1',
		});
		expect(account.clientId).toMatch(/^oaiapp_/);
		expect(account).toMatchObject({kind: 'oauth', planEnabled: true, email: 'user@sandbox.test', issuer: sb.issuer});
		expect(account.scopes).toContain('chatgpt.tokens.use.direct');
		expect(account.subject).toBeTruthy();
		expect(account.tokens.idToken).toBeTruthy();

		await refreshIfNeeded('openai', account.id, {home, env: sb.env, force: true});
		const refresh = sb.openaiWire.slice(from).filter((w) => w.endpoint === 'token')[1]!.params;
		expect(Object.keys(refresh).sort()).toEqual(['client_id', 'grant_type', 'refresh_token', 'resource']);
		expect(refresh).toMatchObject({
			grant_type: 'refresh_token',
			client_id: account.clientId,
			refresh_token: account.tokens.refresh,
			resource: 'https://api.openai.com/v1',
		});
		// dynamic_agent_client is the registration entry point and nothing else.
		expect(
			sb.openaiWire
				.slice(from)
				.filter((w) => w.endpoint !== 'authorize')
				.some((w) => Object.values(w.params).includes('dynamic_agent_client')),
		).toBe(false);

		// The host id is a 0600 file beside the auth files; the pending registration is gone once stored.
		expect((await stat(hostIdPath(home))).mode & 0o777).toBe(0o600);
		expect(JSON.parse(await readFile(hostIdPath(home), 'utf8')).hostId).toBe(authorize.ext_agent_host_id);
		expect(await exists(pendingClientPath(home))).toBe(false);
		expect(JSON.stringify(await storedFile(home))).not.toContain('dynamic_agent_client');
	});

	it('a returning sign-in re-authorizes with the issued client, id_token_hint and login_hint, without agent_name_hint, and keeps the host id', async () => {
		const sb = sandbox();
		const home = await tempHome();
		const first = await signIn(sb, home);
		const hostId = JSON.parse(await readFile(hostIdPath(home), 'utf8')).hostId as string;
		await setTokens(
			home,
			first.id,
			{},
			{needsLogin: 'OpenAI account: the sign-in is no longer valid (refresh_token_expired); sign in again'},
		);
		const registrations = sb.stats.openaiRegistrations;
		const from = sb.openaiWire.length;
		let opened = '';
		const handle = await startLogin('openai', {
			method: 'browser',
			env: sb.env,
			home,
			openBrowser: async (url) => {
				opened = url;
				// The hint skips the account page: the sandbox redirects to the listener at once.
				void completeSandboxLoginWithoutBrowser(url);
				return true;
			},
		});
		const again = await handle.done;
		// The URL shown to the user never carries the id_token_hint; only the browser gets it.
		expect(handle.authUrl).not.toContain('id_token_hint');
		expect(handle.authUrl).not.toContain(first.tokens.idToken!);
		expect(new URL(opened).searchParams.get('id_token_hint')).toBe(first.tokens.idToken);
		const authorize = sb.openaiWire.slice(from).find((w) => w.endpoint === 'authorize')!.params;
		expect(authorize).toMatchObject({
			client_id: first.clientId,
			login_hint: 'user@sandbox.test',
			ext_agent_host_id: hostId,
			id_token_hint: first.tokens.idToken,
		});
		expect(authorize).not.toHaveProperty('agent_name_hint');
		expect(sb.stats.openaiRegistrations).toBe(registrations);
		expect(sb.stats.openaiAgentNameOnReauth).toBe(0);
		expect(again.id).toBe(first.id);
		expect(again.clientId).toBe(first.clientId);
		expect(again.needsLogin).toBeUndefined();
		expect(again.tokens.access).not.toBe(first.tokens.access);
		expect(JSON.parse(await readFile(hostIdPath(home), 'utf8')).hostId).toBe(hostId);
		expect((await storedFile(home)).accounts).toHaveLength(1);
	});

	it('adding another account registers again and leaves the first account untouched', async () => {
		const sb = sandbox();
		const home = await tempHome();
		const first = await signIn(sb, home);
		const registrations = sb.stats.openaiRegistrations;
		const second = await signIn(sb, home, {label: 'work'}, 'work@sandbox.test');
		expect(sb.stats.openaiRegistrations).toBe(registrations + 1);
		expect(second.clientId).not.toBe(first.clientId);
		const file = await storedFile(home);
		expect(file.accounts).toHaveLength(2);
		expect(file.accounts.find((a) => a.id === first.id)).toEqual(first);
		expect(file.active).toBe(second.id);
	});

	it('accepts an ID token whose aud is a one-element array', async () => {
		const sb = await startTestSandbox();
		sb.faults.openaiAudArray = true;
		const account = await signIn(sb, await tempHome());
		expect(account.clientId).toMatch(/^oaiapp_/);
	});
});

describe('knobs: what the user sees, and that nothing else changes', () => {
	it('identity-only grant: a valid sign-in with plan usage off', async () => {
		const sb = await startTestSandbox();
		sb.faults.openaiIdentityOnly = true;
		const account = await signIn(sb, await tempHome());
		expect(account.planEnabled).toBe(false);
		expect(account.scopes).not.toContain('chatgpt.tokens.use.direct');
	});

	it('declined consent ends cleanly and writes nothing', async () => {
		const sb = await startTestSandbox();
		const home = await tempHome();
		sb.faults.openaiDeclineConsent = true;
		const before = sb.stats.tokenRequests;
		expect(await signInFails(sb, home)).toBe(
			'ChatGPT sign-in was declined in the browser (access_denied); nothing was saved',
		);
		expect(sb.stats.tokenRequests).toBe(before);
		expect(await exists(join(home, 'auth', 'openai.json'))).toBe(false);
		expect(await exists(pendingClientPath(home))).toBe(false);
	});

	it('a registration callback without client_id is "registration incomplete"', async () => {
		const sb = await startTestSandbox();
		const home = await tempHome();
		sb.faults.openaiOmitClientId = true;
		expect(await signInFails(sb, home)).toBe(
			'ChatGPT registration incomplete: the callback carries no client_id; start the sign-in again',
		);
		expect(await exists(join(home, 'auth', 'openai.json'))).toBe(false);
	});

	it('a different client_id on re-authorization is refused', async () => {
		const sb = await startTestSandbox();
		const home = await tempHome();
		const first = await signIn(sb, home);
		sb.faults.openaiReauthClientId = 'oaiapp_someoneelse';
		const message = await signInFails(sb, home, {label: first.label});
		expect(message).toBe('the callback names a different app registration than this account uses; sign-in refused');
		expect((await storedFile(home)).accounts[0]).toEqual(first);
	});

	it('a different sub on re-authorization is an account mismatch; the stored account and the active one stay', async () => {
		const sb = await startTestSandbox();
		const home = await tempHome();
		const first = await signIn(sb, home);
		sb.faults.openaiOtherSub = true;
		const message = await signInFails(sb, home, {label: first.label});
		expect(message).toMatch(
			/^account mismatch: the ChatGPT account that signed in is not the one saved as "user@sandbox\.test"; nothing was changed/,
		);
		const file = await storedFile(home);
		expect(file.accounts).toEqual([first]);
		expect(file.active).toBe(first.id);
	});

	it('a discovery document naming another issuer is refused before anything is sent', async () => {
		const sb = await startTestSandbox();
		sb.faults.openaiIssuerMismatch = true;
		const error = await failure(startLogin('openai', {method: 'paste', env: sb.env, home: await tempHome()}));
		expect(error.message).toBe('the OpenAI discovery document names another issuer; sign-in refused');
	});

	it('a JWKS outage is "try again", not an invalid identity, and stores nothing', async () => {
		const sb = await startTestSandbox();
		const home = await tempHome();
		sb.faults.openaiJwksStatus = 500;
		expect(await signInFails(sb, home)).toBe(
			'the sign-in could not be verified right now (the key set did not load); try again shortly',
		);
		expect(await exists(join(home, 'auth', 'openai.json'))).toBe(false);
	});
});

describe('refresh over time', () => {
	it('a 503 on refresh keeps the tokens: the still-valid token is returned, an expired one says "will retry", and the next call refreshes', async () => {
		const sb = await startTestSandbox();
		const home = await tempHome();
		const account = await signIn(sb, home);
		let now = Date.now();
		const deps = {home, env: sb.env, now: () => now};
		// Inside the refresh window but still valid.
		await setTokens(home, account.id, {expiresAt: now + 60_000, earliestRefreshAt: undefined});
		sb.faults.openaiRefreshStatus = 503;
		const kept = await refreshIfNeeded('openai', account.id, deps);
		expect(kept.tokens.access).toBe(account.tokens.access);
		expect((await storedFile(home)).accounts[0]).toMatchObject({
			tokens: {access: account.tokens.access, refresh: account.tokens.refresh},
		});
		expect((await firstOAuth(home)).needsLogin).toBeUndefined();
		// Expired meanwhile, and the service still down (an HTML page this time): a transient message, nothing lost.
		sb.faults.openaiRefreshHtml = true;
		now += 5 * 60_000;
		const error = await failure(refreshIfNeeded('openai', account.id, deps));
		expect(error.message).toBe('OpenAI sign-in service unavailable, will retry (HTTP 503)');
		expect((await firstOAuth(home)).needsLogin).toBeUndefined();
		// Back: the next call (after the bounded backoff) refreshes with the same, unspent refresh token.
		sb.faults.openaiRefreshStatus = undefined;
		now += 60_000;
		const before = sb.stats.refreshReuse;
		const fresh = await refreshIfNeeded('openai', account.id, deps);
		expect(fresh.tokens.access).not.toBe(account.tokens.access);
		expect(sb.stats.refreshReuse).toBe(before);
	});

	it('terminal codes end the login with "sign in again": reuse, expiry after 30 days, revocation, 401', async () => {
		const sb = await startTestSandbox();
		const home = await tempHome();
		const account = await signIn(sb, home);
		const rotated = await refreshIfNeeded('openai', account.id, {home, env: sb.env, force: true});
		// An old copy of the file (a restored backup) presents the spent refresh token: the family is revoked.
		await setTokens(home, account.id, {refresh: account.tokens.refresh});
		const reused = await failure(refreshIfNeeded('openai', account.id, {home, env: sb.env, force: true}));
		expect(reused.message).toBe(
			`OpenAI account "${account.label}": the sign-in is no longer valid (refresh_token_reused); sign in again: tui auth login --provider openai`,
		);
		expect((await firstOAuth(home)).needsLogin).toBe(reused.message);
		void rotated;

		const second = await tempHome();
		const other = await signIn(sb, second);
		sb.faults.openaiClockOffsetMs = 31 * 24 * 3600 * 1000;
		const expired = await failure(refreshIfNeeded('openai', other.id, {home: second, env: sb.env, force: true}));
		expect(expired.message).toContain('(refresh_token_expired); sign in again');
		sb.faults.openaiClockOffsetMs = undefined;

		const third = await tempHome();
		const revoked = await signIn(sb, third);
		await revokeHookImpl(revoked, {provider: 'openai', home: third, env: sb.env, signal: new AbortController().signal});
		const invalidated = await failure(refreshIfNeeded('openai', revoked.id, {home: third, env: sb.env, force: true}));
		expect(invalidated.message).toContain('(refresh_token_invalidated); sign in again');

		const fourth = await tempHome();
		const unauthorized = await signIn(sb, fourth);
		sb.faults.openaiRefreshStatus = 401;
		const status401 = await failure(
			refreshIfNeeded('openai', unauthorized.id, {home: fourth, env: sb.env, force: true}),
		);
		expect(status401.message).toContain('(server_error); sign in again');
	});

	it('a full disk during a refresh keeps the rotated tokens in memory, says so, and never re-sends the spent token', async () => {
		const sb = await startTestSandbox();
		const home = await tempHome();
		const account = await signIn(sb, home);
		const warnings: string[] = [];
		let full = true;
		const writeAuthFile = async (h: string, provider: 'openai' | 'claude', data: AuthFile) => {
			if (full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'});
			return writeAuthFileLocked(h, provider, data);
		};
		const deps = {home, env: sb.env, writeAuthFile, onWarning: (line: string) => warnings.push(line)};
		const before = {refresh: sb.stats.refreshRequests, reuse: sb.stats.refreshReuse};
		const first = await refreshIfNeeded('openai', account.id, {...deps, force: true});
		expect(first.tokens.access).not.toBe(account.tokens.access);
		expect(warnings).toEqual([
			`OpenAI account "${account.label}": the refreshed sign-in could not be saved: the disk is full (ENOSPC). It is kept in memory for now; free some space so it can be saved`,
		]);
		expect(warnings.join()).not.toMatch(/log in again|sign in again/);
		// The disk still holds the spent token; the next calls use the rotated one.
		expect((await firstOAuth(home)).tokens.refresh).toBe(account.tokens.refresh);
		const second = await refreshIfNeeded('openai', account.id, {...deps, force: true});
		expect(second.tokens.access).not.toBe(first.tokens.access);
		expect(sb.stats.refreshRequests - before.refresh).toBe(2);
		expect(sb.stats.refreshReuse).toBe(before.reuse);
		expect(
			sb.openaiWire.filter((w) => w.endpoint === 'token' && w.params.refresh_token === account.tokens.refresh),
		).toHaveLength(1);
		// Space again: the next call saves what memory holds, without another request.
		full = false;
		const saved = await refreshIfNeeded('openai', account.id, deps);
		expect(saved.tokens.access).toBe(second.tokens.access);
		expect((await firstOAuth(home)).tokens.refresh).toBe(second.tokens.refresh);
		expect(sb.stats.refreshRequests - before.refresh).toBe(2);
		expect((await firstOAuth(home)).needsLogin).toBeUndefined();
	});
});

describe('the issued client is kept before the exchange', () => {
	it('an exchange that gets no answer keeps the registration; the next sign-in re-authorizes with it instead of registering again', async () => {
		const sb = await startTestSandbox();
		const home = await tempHome();
		// The network drops the first code exchange (the only request this wrapper touches).
		let dropped = false;
		const flaky: typeof fetch = async (input, init) => {
			if (!dropped && String(input).endsWith('/api/accounts/oauth/token')) {
				dropped = true;
				throw new TypeError('fetch failed');
			}
			return fetch(input, init);
		};
		expect(await signInFails(sb, home, {fetch: flaky})).toBe(
			'the code exchange failed (could not reach OpenAI; offline?)',
		);
		expect(await exists(join(home, 'auth', 'openai.json'))).toBe(false);
		const pending = JSON.parse(await readFile(pendingClientPath(home), 'utf8')) as {clientId: string};
		expect(pending.clientId).toMatch(/^oaiapp_/);
		const registrations = sb.stats.openaiRegistrations;
		const from = sb.openaiWire.length;
		const account = await signIn(sb, home);
		const authorize = sb.openaiWire.slice(from).find((w) => w.endpoint === 'authorize')!.params;
		expect(authorize.client_id).toBe(pending.clientId);
		expect(authorize).not.toHaveProperty('agent_name_hint');
		expect(sb.stats.openaiRegistrations).toBe(registrations);
		expect(account.clientId).toBe(pending.clientId);
		expect(await exists(pendingClientPath(home))).toBe(false);
	});
});

describe("Claude's configured client: the same terminal/transient split", () => {
	it('no answer keeps the login ("will retry"); a reused token ends it with "sign in again"', async () => {
		const sb = await startTestSandbox();
		const home = await tempHome();
		const handle = await startLogin('claude', {
			method: 'browser',
			env: sb.env,
			home,
			openBrowser: async (url) => (void completeSandboxLoginWithoutBrowser(url), true),
		});
		const account = await handle.done;
		await updateAuthFile(home, 'claude', (file) => ({
			file: {
				...file,
				accounts: file.accounts.map((a) =>
					a.kind === 'oauth' ? {...a, tokens: {...a.tokens, expiresAt: Date.now() - 1000}} : a,
				),
			},
			result: undefined,
		}));
		sb.faults.dropConnectionAfterRefresh = true;
		const dropped = await failure(refreshIfNeeded('claude', account.id, {home, env: sb.env, force: true}));
		sb.faults.dropConnectionAfterRefresh = false;
		expect(dropped.message).toBe('Claude sign-in service unavailable, will retry (no answer)');
		const kept = (await readAuthFile(home, 'claude')).accounts[0] as OAuthAccount;
		expect(kept.needsLogin).toBeUndefined();
		expect(kept.tokens.refresh).toBe(account.tokens.refresh);
		// The sandbox had rotated it: the retry presents a spent token.
		const reused = await failure(refreshIfNeeded('claude', account.id, {home, env: sb.env, force: true}));
		expect(reused.message).toBe(
			`Claude account "${account.label}": the sign-in is no longer valid (invalid_grant); sign in again: tui auth login --provider claude`,
		);
	});
});

describe('earliest_refresh_at', () => {
	it('is honoured while the token still works, ignored when it is not before expiry, and parsed from seconds, milliseconds or a date', () => {
		const now = 1_800_000_000_000;
		const expiresAt = now + 3_600_000;
		expect(earliestRefresh(now / 1000 + 600, now, expiresAt)).toBe(now + 600_000);
		expect(earliestRefresh(now + 600_000, now, expiresAt)).toBe(now + 600_000);
		expect(earliestRefresh(new Date(now + 600_000).toISOString(), now, expiresAt)).toBe(now + 600_000);
		expect(earliestRefresh(String(now / 1000 + 600), now, expiresAt)).toBe(now + 600_000);
		expect(earliestRefresh(now / 1000 + 7200, now, expiresAt)).toBeUndefined();
		expect(earliestRefresh('soon', now, expiresAt)).toBeUndefined();
		const account = {tokens: {access: 'a', expiresAt: now + 60_000, earliestRefreshAt: now + 120_000}} as OAuthAccount;
		// In the refresh window, but asked to wait: wait while it still works.
		expect(needsRefresh(account, now)).toBe(false);
		expect(needsRefresh({...account, tokens: {...account.tokens, earliestRefreshAt: now - 1}}, now)).toBe(true);
		// Expired: refresh whatever was asked.
		expect(needsRefresh({...account, tokens: {...account.tokens, expiresAt: now - 1}}, now)).toBe(true);
	});
});

describe('sign-out', () => {
	it('revokes the refresh token with the issued client, keeps the client mapping and the host id', async () => {
		const sb = await startTestSandbox();
		const home = await tempHome();
		const account = await signIn(sb, home);
		const hostId = await readFile(hostIdPath(home), 'utf8');
		const from = sb.openaiWire.length;
		await revokeHookImpl(account, {provider: 'openai', home, env: sb.env, signal: new AbortController().signal});
		expect(sb.openaiWire.slice(from)).toEqual([
			{
				endpoint: 'revoke',
				params: {token: account.tokens.refresh, token_type_hint: 'refresh_token', client_id: account.clientId},
			},
		]);
		expect(await readFile(hostIdPath(home), 'utf8')).toBe(hostId);
		expect(JSON.parse(await readFile(keptClientsPath(home), 'utf8')).clients).toEqual([
			{
				issuer: sb.issuer,
				clientId: account.clientId,
				subject: account.subject,
				label: account.label,
				email: 'user@sandbox.test',
			},
		]);
		// Signing in again under the label re-uses the kept registration.
		await updateAuthFile(home, 'openai', () => ({file: {version: 1, active: null, accounts: []}, result: undefined}));
		const registrations = sb.stats.openaiRegistrations;
		const again = await signIn(sb, home, {label: account.label});
		expect(again.clientId).toBe(account.clientId);
		expect(sb.stats.openaiRegistrations).toBe(registrations);
	});

	it('unconfirmed revocation says so and points to ChatGPT settings', async () => {
		const sb = await startTestSandbox();
		const home = await tempHome();
		const account = await signIn(sb, home);
		sb.faults.openaiNoRevocation = true;
		const missing = await failure(
			revokeHookImpl(account, {provider: 'openai', home, env: sb.env, signal: new AbortController().signal}),
		);
		expect(missing.message).toBe(
			'signed out here, but OpenAI did not confirm the sign-out (OpenAI lists no revocation endpoint); to be sure, disconnect the app in ChatGPT Settings',
		);
		sb.faults.openaiNoRevocation = false;
		sb.faults.openaiRevocationStatus = 503;
		const down = await failure(
			revokeHookImpl(account, {provider: 'openai', home, env: sb.env, signal: new AbortController().signal}),
		);
		expect(down.message).toBe(
			'signed out here, but OpenAI did not confirm the sign-out (OpenAI did not answer); to be sure, disconnect the app in ChatGPT Settings',
		);
	});
});

describe('old logins and the paste method', () => {
	it('a login stored by the Codex-client flow reads as needing a new sign-in, and signing in again keeps its label and id', async () => {
		const sb = sandbox();
		const home = await tempHome();
		const legacy = {
			kind: 'oauth',
			id: 'legacy-1',
			label: 'my-chatgpt',
			createdAt: '2026-01-01T00:00:00.000Z',
			tokens: {access: 'legacy-access', refresh: 'legacy-refresh', expiresAt: Date.now() + 3_600_000},
			plan: 'plus',
			email: 'user@sandbox.test',
			accountId: 'acct_legacy',
		};
		await updateAuthFile(home, 'openai', () => ({
			file: {version: 1, active: 'legacy-1', accounts: [legacy as OAuthAccount]},
			result: undefined,
		}));
		const read = (await readAuthFile(home, 'openai')).accounts[0] as OAuthAccount;
		expect(read.needsLogin).toBe(
			'OpenAI account "my-chatgpt" needs a new sign-in (Continue with ChatGPT): tui auth login --provider openai --label "my-chatgpt"',
		);
		expect((await failure(refreshIfNeeded('openai', 'legacy-1', {home, env: sb.env}))).message).toBe(
			'OpenAI account "my-chatgpt" needs a new sign-in (Continue with ChatGPT): tui auth login --provider openai --label "my-chatgpt"',
		);
		const renewed = await signIn(sb, home);
		expect(renewed).toMatchObject({id: 'legacy-1', label: 'my-chatgpt'});
		expect(renewed.clientId).toMatch(/^oaiapp_/);
		expect(renewed.accountId).toBeUndefined();
		expect((await storedFile(home)).accounts).toHaveLength(1);
	});

	it("a pasted callback must be this sign-in's redirect exactly, every parameter once, with the right state", async () => {
		const sb = sandbox();
		const home = await tempHome();
		const handle = await startLogin('openai', {method: 'paste', env: sb.env, home});
		const result = await completeSandboxLoginWithoutBrowser(handle.authUrl!, {land: false});
		const good = new URL(result.finalUrl);
		const otherPort = new URL(good);
		otherPort.port = String(Number(good.port) === 65535 ? 1024 : Number(good.port) + 1);
		expect((await failure(handle.submitPaste!(otherPort.href))).message).toMatch(
			/^that address is not this sign-in's callback/,
		);
		expect((await failure(handle.submitPaste!(good.href.replace('/auth/callback', '/callback')))).message).toMatch(
			/^that address is not this sign-in's callback/,
		);
		expect((await failure(handle.submitPaste!(good.href.replace(/state=[^&]+/, 'state=forged')))).message).toMatch(
			/^that does not belong to this login/,
		);
		expect((await failure(handle.submitPaste!(`${good.href}&code=again`))).message).toBe(
			'the callback repeats the parameter "code"; sign-in refused',
		);
		expect((await failure(handle.done)).message).toBe('the callback repeats the parameter "code"; sign-in refused');
		expect(await exists(join(home, 'auth', 'openai.json'))).toBe(false);
	});

	it('the paste attempt window is 10 minutes at most', async () => {
		const sb = sandbox();
		const now = Date.now();
		const handle = await startLogin('openai', {
			method: 'paste',
			env: sb.env,
			home: await tempHome(),
			timeoutMs: 60 * 60_000,
			now: () => now,
		});
		expect(handle.expiresAt - now).toBe(10 * 60_000);
		handle.cancel();
		await failure(handle.done);
	});
});

describe('sandbox state folder', () => {
	it("a second sandbox process on the same stateDir accepts the first one's tokens", async () => {
		const stateDir = await tempDir('tui-siwc-state-');
		const first = await startSandbox({stateDir});
		const home = await tempHome();
		let account: OAuthAccount;
		try {
			account = await signIn(first, home);
		} finally {
			await first.close();
		}
		expect((await stat(join(stateDir, 'openai.json'))).mode & 0o777).toBe(0o600);
		const second = await startSandbox({stateDir, port: 0});
		try {
			const models = await fetch(`${second.url}/v1/models`, {
				headers: {authorization: `Bearer ${account.tokens.access}`},
			});
			expect(models.status).toBe(200);
			expect(((await models.json()) as {models: unknown[]}).models.length).toBeGreaterThan(0);
			const refreshed = await fetch(`${second.url}/api/accounts/oauth/token`, {
				method: 'POST',
				headers: {'content-type': 'application/x-www-form-urlencoded'},
				body: new URLSearchParams({
					grant_type: 'refresh_token',
					client_id: account.clientId!,
					refresh_token: account.tokens.refresh!,
					resource: 'https://api.openai.com/v1',
				}),
			});
			expect(refreshed.status).toBe(200);
		} finally {
			await second.close();
		}
	});
});
