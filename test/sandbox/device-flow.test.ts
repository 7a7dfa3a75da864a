// RFC 8628 device authorization against the sandbox, with oauth4webapi as the device.
import * as oauth from 'oauth4webapi';
import {expect, it} from 'vitest';
import {OPENAI_AUTH_CLAIM, SANDBOX_OPENAI_CLIENT_ID} from '../../source/sandbox/constants.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {startTestSandbox} from '../helpers/sandbox.js';

const client: oauth.Client = {client_id: SANDBOX_OPENAI_CLIENT_ID, token_endpoint_auth_method: 'none'};
const insecure = {[oauth.allowInsecureRequests]: true};

it('runs the device flow: pending until the user approves in the browser, then tokens with the OpenAI claims', async () => {
	const box = await startTestSandbox({deviceInterval: 1});
	const issuer = new URL(box.issuer);
	const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
	const device = await oauth.processDeviceAuthorizationResponse(
		as,
		client,
		await oauth.deviceAuthorizationRequest(as, client, oauth.None(), {scope: 'openid profile email offline_access'}, insecure),
	);
	expect(device.interval).toBe(1);
	expect(device.user_code).toMatch(/^[A-Z]{4}-?[A-Z]{4}$/);
	expect(device.verification_uri).toBe(`${box.issuer}/device`);
	expect(box.stats.deviceRequests).toBe(1);

	// Before approval the device is told to keep polling.
	const early = oauth.processDeviceCodeResponse(as, client, await oauth.deviceCodeGrantRequest(as, client, oauth.None(), device.device_code, insecure));
	await expect(early).rejects.toMatchObject({error: 'authorization_pending'});

	// The user types the code on the verification page, signs in and consents.
	const done = await completeSandboxLoginWithoutBrowser(device.verification_uri, {userCode: device.user_code, email: 'device@example.test'});
	expect(done.leftSandbox).toBe(false);
	expect(done.body).toContain('tui-auth sandbox');
	expect(done.body).toContain('The device is signed in');

	const tokens = await oauth.processDeviceCodeResponse(as, client, await oauth.deviceCodeGrantRequest(as, client, oauth.None(), device.device_code, insecure));
	expect(tokens.refresh_token).toBeTruthy();
	const claims = oauth.getValidatedIdTokenClaims(tokens)!;
	expect(claims.email).toBe('device@example.test');
	expect(claims[OPENAI_AUTH_CLAIM]).toMatchObject({chatgpt_plan_type: 'plus'});
	expect(box.stats.devicePolls).toBe(2);

	// A device code is good for one exchange.
	const again = oauth.processDeviceCodeResponse(as, client, await oauth.deviceCodeGrantRequest(as, client, oauth.None(), device.device_code, insecure));
	await expect(again).rejects.toMatchObject({error: 'invalid_grant'});
});

it('accepts the complete verification URI with the code prefilled', async () => {
	const box = await startTestSandbox({planType: 'pro'});
	const issuer = new URL(box.issuer);
	const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
	const device = await oauth.processDeviceAuthorizationResponse(as, client, await oauth.deviceAuthorizationRequest(as, client, oauth.None(), {scope: 'openid email'}, insecure));
	await completeSandboxLoginWithoutBrowser(device.verification_uri_complete!);
	const tokens = await oauth.processDeviceCodeResponse(as, client, await oauth.deviceCodeGrantRequest(as, client, oauth.None(), device.device_code, insecure));
	expect(oauth.getValidatedIdTokenClaims(tokens)![OPENAI_AUTH_CLAIM]).toMatchObject({chatgpt_plan_type: 'pro'});
});
