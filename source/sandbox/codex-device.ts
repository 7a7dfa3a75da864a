// Codex's own device-code login (not RFC 8628; PROVIDERS.md): user code endpoints under
// /api/accounts/deviceauth, the page at /codex/device, and the callback that hands the
// resulting authorization code and PKCE verifier to the polling device.
import {createHash, randomBytes, randomInt} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {SANDBOX_OPENAI_CLIENT_ID, SANDBOX_OPENAI_SCOPES} from './constants.js';
import {escapeHtml, page, parseBody, readBody, sendHtml, sendJson} from './http.js';
import type {SandboxFaults, SandboxStats} from './types.js';

export const CODEX_DEVICE_ROUTES = {
	userCode: '/api/accounts/deviceauth/usercode',
	token: '/api/accounts/deviceauth/token',
	page: '/codex/device',
	callback: '/deviceauth/callback',
} as const;

const TTL_MS = 15 * 60 * 1000;

type DeviceAuthorization = {
	readonly userCode: string;
	readonly expiresAt: number;
	approved?: {authorizationCode: string; verifier: string; challenge: string};
};

function newUserCode(): string {
	const letters = 'BCDFGHJKLMNPQRSTVWXZ';
	const pick = () => letters[randomInt(letters.length)]!;
	return `${Array.from({length: 4}, pick).join('')}-${String(randomInt(10_000)).padStart(4, '0')}`;
}

export function createCodexDeviceServer(options: {
	readonly issuer: string;
	readonly interval: number;
	readonly stats: SandboxStats;
	readonly faults: SandboxFaults;
}) {
	const {stats, faults} = options;
	const byId = new Map<string, DeviceAuthorization>();
	// state of the authorization request the sandbox started for a device → its id and verifier
	const inFlight = new Map<string, {deviceAuthId: string; verifier: string; challenge: string}>();

	const findByUserCode = (code: string) => {
		const normalized = code.trim().toUpperCase();
		for (const [id, entry] of byId) if (entry.userCode === normalized && entry.expiresAt > Date.now() && !entry.approved) return id;
		return undefined;
	};

	const form = (prefill: string, message: string) =>
		page(
			'Codex device sign-in',
			`${message}<form id="codex-device-form" method="post" action="${CODEX_DEVICE_ROUTES.page}">
<label>Code <input type="text" name="user_code" value="${escapeHtml(prefill)}" autocomplete="off" autofocus></label>
<button type="submit">Continue</button></form>
<p>Device codes are a common phishing target. Never share this code.</p>`,
		);

	async function userCode(request: IncomingMessage, response: ServerResponse) {
		stats.codexDeviceRequests++;
		const body = parseBody(request, await readBody(request));
		if (faults.codexDeviceDisabled) return sendJson(response, 404, {error: {message: 'Device code login is not enabled for this account.', code: 'not_found'}});
		if (body?.client_id !== SANDBOX_OPENAI_CLIENT_ID) return sendJson(response, 400, {error: {message: 'unknown client_id', code: 'invalid_client'}});
		const id = `deviceauth_${randomBytes(12).toString('hex')}`;
		const code = newUserCode();
		byId.set(id, {userCode: code, expiresAt: Date.now() + TTL_MS});
		sendJson(response, 200, {device_auth_id: id, user_code: code, interval: String(options.interval)});
	}

	async function poll(request: IncomingMessage, response: ServerResponse) {
		stats.codexDevicePolls++;
		const body = parseBody(request, await readBody(request)) ?? {};
		const entry = byId.get(String(body.device_auth_id ?? ''));
		if (!entry || entry.userCode !== String(body.user_code ?? '') || entry.expiresAt < Date.now()) {
			return sendJson(response, 404, {error: {message: 'Device authorization not found.', code: 'deviceauth_not_found'}});
		}
		if (!entry.approved) return sendJson(response, 403, {error: {message: 'Device authorization is pending.', code: 'deviceauth_authorization_pending'}});
		byId.delete(String(body.device_auth_id));
		const {authorizationCode, verifier, challenge} = entry.approved;
		sendJson(response, 200, {authorization_code: authorizationCode, code_verifier: verifier, code_challenge: challenge});
	}

	async function submitCode(request: IncomingMessage, response: ServerResponse) {
		const body = parseBody(request, await readBody(request)) ?? {};
		const code = String(body.user_code ?? '');
		const deviceAuthId = findByUserCode(code);
		if (!deviceAuthId) return sendHtml(response, 400, form(code, '<p style="color:#b00">That code did not work. Check it and try again.</p>'));
		// The sandbox starts a code + PKCE request on its own provider; its callback completes the device.
		const verifier = randomBytes(64).toString('base64url');
		const challenge = createHash('sha256').update(verifier).digest('base64url');
		const state = randomBytes(32).toString('base64url');
		inFlight.set(state, {deviceAuthId, verifier, challenge});
		const authorize = new URL('/oauth/authorize', options.issuer);
		authorize.search = new URLSearchParams({
			client_id: SANDBOX_OPENAI_CLIENT_ID,
			response_type: 'code',
			redirect_uri: `${options.issuer}${CODEX_DEVICE_ROUTES.callback}`,
			scope: SANDBOX_OPENAI_SCOPES,
			code_challenge: challenge,
			code_challenge_method: 'S256',
			state,
		}).toString();
		response.writeHead(302, {location: authorize.href, 'cache-control': 'no-store'});
		response.end();
	}

	function callback(response: ServerResponse, url: URL) {
		const state = url.searchParams.get('state') ?? '';
		const started = inFlight.get(state);
		inFlight.delete(state);
		const code = url.searchParams.get('code');
		const entry = started && byId.get(started.deviceAuthId);
		if (!started || !entry || !code) {
			return sendHtml(response, 400, page('Device sign-in failed', `<p>${escapeHtml(url.searchParams.get('error') ?? 'This sign-in is unknown or expired.')}</p>`));
		}
		entry.approved = {authorizationCode: code, verifier: started.verifier, challenge: started.challenge};
		sendHtml(response, 200, page('Device signed in', '<p>The device is signed in. Return to your terminal.</p>'));
	}

	return {
		async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
			const route = `${request.method} ${url.pathname}`;
			if (route === `POST ${CODEX_DEVICE_ROUTES.userCode}`) await userCode(request, response);
			else if (route === `POST ${CODEX_DEVICE_ROUTES.token}`) await poll(request, response);
			else if (route === `GET ${CODEX_DEVICE_ROUTES.page}`) sendHtml(response, 200, form(url.searchParams.get('user_code') ?? '', '<p>Enter the code shown in your terminal.</p>'));
			else if (route === `POST ${CODEX_DEVICE_ROUTES.page}`) await submitCode(request, response);
			else if (route === `GET ${CODEX_DEVICE_ROUTES.callback}`) callback(response, url);
			else return false;
			return true;
		},
	};
}
