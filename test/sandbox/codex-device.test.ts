// Codex's own device-code login (PROVIDERS.md), completed through the sandbox's real provider.
import * as oauth from 'oauth4webapi';
import {expect, it} from 'vitest';
import {OPENAI_AUTH_CLAIM, SANDBOX_OPENAI_CLIENT_ID} from '../../source/sandbox/constants.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {startTestSandbox} from '../helpers/sandbox.js';

const postJson = (url: string, body: unknown) => fetch(url, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});

it('usercode → pending polls → user signs in at /codex/device → code + verifier → token exchange', async () => {
	const box = await startTestSandbox({deviceInterval: 1});
	const start = await postJson(`${box.issuer}/api/accounts/deviceauth/usercode`, {client_id: SANDBOX_OPENAI_CLIENT_ID});
	expect(start.status).toBe(200);
	const device = (await start.json()) as {device_auth_id: string; user_code: string; interval: string};
	expect(device.interval).toBe('1');
	expect(device.user_code).toMatch(/^[A-Z]{4}-\d{4}$/);

	const poll = () => postJson(`${box.issuer}/api/accounts/deviceauth/token`, {device_auth_id: device.device_auth_id, user_code: device.user_code});
	expect((await poll()).status).toBe(403);

	const page = await completeSandboxLoginWithoutBrowser(`${box.issuer}/codex/device`, {userCode: device.user_code, email: 'headless@example.test'});
	expect(page.body).toContain('The device is signed in');

	const approved = await poll();
	expect(approved.status).toBe(200);
	const grant = (await approved.json()) as {authorization_code: string; code_verifier: string; code_challenge: string};
	expect(await oauth.calculatePKCECodeChallenge(grant.code_verifier)).toBe(grant.code_challenge);
	expect((await poll()).status).toBe(404);

	// The exchange is the ordinary code exchange, with redirect_uri={issuer}/deviceauth/callback.
	const token = await fetch(`${box.issuer}/oauth/token`, {
		method: 'POST',
		headers: {'content-type': 'application/x-www-form-urlencoded'},
		body: new URLSearchParams({
			grant_type: 'authorization_code',
			code: grant.authorization_code,
			redirect_uri: `${box.issuer}/deviceauth/callback`,
			client_id: SANDBOX_OPENAI_CLIENT_ID,
			code_verifier: grant.code_verifier,
		}),
	});
	expect(token.status).toBe(200);
	const tokens = (await token.json()) as {id_token: string; refresh_token: string};
	expect(tokens.refresh_token).toBeTruthy();
	const payload = JSON.parse(Buffer.from(tokens.id_token.split('.')[1]!, 'base64url').toString()) as Record<string, any>;
	expect(payload.email).toBe('headless@example.test');
	expect(payload[OPENAI_AUTH_CLAIM].chatgpt_plan_type).toBe('plus');
	expect(box.stats.codexDeviceRequests).toBe(1);
	expect(box.stats.codexDevicePolls).toBe(3);
});

it('answers 404 when device login is switched off, and refuses a wrong code on the page', async () => {
	const box = await startTestSandbox();
	box.faults.codexDeviceDisabled = true;
	expect((await postJson(`${box.issuer}/api/accounts/deviceauth/usercode`, {client_id: SANDBOX_OPENAI_CLIENT_ID})).status).toBe(404);
	box.faults.codexDeviceDisabled = false;
	expect((await postJson(`${box.issuer}/api/accounts/deviceauth/usercode`, {client_id: SANDBOX_OPENAI_CLIENT_ID})).status).toBe(200);
	await expect(completeSandboxLoginWithoutBrowser(`${box.issuer}/codex/device`, {userCode: 'ZZZZ-0000'})).rejects.toThrow(/HTTP 400/);
});
