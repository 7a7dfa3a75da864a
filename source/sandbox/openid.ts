// The OpenAI-shaped authorization server: a real oidc-provider, mounted like auth.openai.com.
import {generateKeyPair, randomBytes, type JsonWebKey} from 'node:crypto';
import {IncomingMessage, type ServerResponse} from 'node:http';
import {promisify} from 'node:util';
import type ProviderClass from 'oidc-provider';
import {sandboxAccount, type SandboxAccount} from './accounts.js';
import {OPENAI_AUTH_CLAIM, SANDBOX_BANNER, SANDBOX_OPENAI_CLIENT_ID} from './constants.js';
import {escapeHtml, parseBody, readBody, sendJson} from './http.js';
import {createAdapterFactory} from './memory-adapter.js';
import type {SandboxFaults, SandboxStats} from './types.js';

export const OPENID_ROUTES = {
	authorization: '/oauth/authorize',
	token: '/oauth/token',
	revocation: '/oauth/revoke',
	device_authorization: '/oauth/device/code',
	code_verification: '/device',
	jwks: '/.well-known/jwks.json',
	userinfo: '/userinfo',
	end_session: '/oauth/logout',
} as const;

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

// Notices oidc-provider prints for a development setup; the sandbox is one on purpose.
const KNOWN_NOTICES = ['Unsupported runtime', 'a quick start development-only feature devInteractions'];

async function quietly<T>(work: () => T | Promise<T>): Promise<T> {
	const original = console.warn;
	console.warn = (...args: unknown[]) => {
		const text = typeof args[0] === 'string' ? args[0] : '';
		if (text.includes('oidc-provider WARNING') && KNOWN_NOTICES.some((notice) => text.includes(notice))) return;
		original(...args);
	};
	try {
		return await work();
	} finally {
		console.warn = original;
	}
}

let providerModule: Promise<typeof ProviderClass> | undefined;
function loadProvider(): Promise<typeof ProviderClass> {
	providerModule ??= quietly(async () => (await import('oidc-provider')).default);
	return providerModule;
}

// One signing key per process: RSA generation is the slowest part of startup.
let signingKey: Promise<JsonWebKey> | undefined;
function loadSigningKey(): Promise<JsonWebKey> {
	signingKey ??= promisify(generateKeyPair)('rsa', {modulusLength: 2048}).then(({privateKey}) => ({
		...privateKey.export({format: 'jwk'}),
		kid: `sandbox-${randomBytes(4).toString('hex')}`,
		use: 'sig',
		alg: 'RS256',
	}));
	return signingKey;
}

export type OpenIdOptions = {
	readonly issuer: string;
	readonly accessTokenTtl: number;
	readonly planType: string;
	/** Seconds between device polls, announced in the device authorization response. */
	readonly deviceInterval: number;
	readonly stats: SandboxStats;
	readonly faults: SandboxFaults;
};

export type OpenIdServer = {
	readonly provider: ProviderClass;
	handle(request: IncomingMessage, response: ServerResponse): void;
	/** The account behind a valid, unexpired access token of this provider. */
	accountForAccessToken(token: string): Promise<SandboxAccount | undefined>;
};

function sandboxPage(title: string, body: string): string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · ${SANDBOX_BANNER}</title>
<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:2rem auto;padding:0 1rem}.sandbox{background:#fff4c2;border:1px solid #e0c050;padding:.5rem .75rem;border-radius:4px}</style></head>
<body><p class="sandbox"><strong>${SANDBOX_BANNER}</strong>: a local test provider on 127.0.0.1. No real account is used.</p><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

// The dev interaction views are oidc-provider's own; mark them as the sandbox's and keep them offline.
function brandInteractionPage(html: string): string {
	return html
		.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);/g, '')
		.replace('<title>Sign-in</title>', `<title>${SANDBOX_BANNER} · Sign-in</title>`)
		.replace(
			'<div class="login-card">',
			`<div class="login-card"><p class="sandbox" style="background:#fff4c2;border:1px solid #e0c050;padding:.5rem;border-radius:4px"><strong>${SANDBOX_BANNER}</strong>: a local, OpenAI-shaped test provider. Any email and password work; nothing leaves 127.0.0.1.</p>`,
		)
		.replace('placeholder="Enter any login"', 'placeholder="Email (any address)"');
}

/** A copy of a consumed request with a new body, so oidc-provider can parse it as its own. */
function replayRequest(original: IncomingMessage, body: Buffer, contentType: string): IncomingMessage {
	const copy = new IncomingMessage(original.socket);
	copy.method = original.method;
	copy.url = original.url;
	copy.httpVersion = original.httpVersion;
	copy.httpVersionMajor = original.httpVersionMajor;
	copy.httpVersionMinor = original.httpVersionMinor;
	copy.headers = {...original.headers, 'content-length': String(body.length)};
	delete copy.headers['transfer-encoding'];
	if (contentType) copy.headers['content-type'] = contentType;
	// Marked complete, or destroying the copy after it is read would destroy the socket too.
	copy.complete = true;
	copy.push(body);
	copy.push(null);
	return copy;
}

const grantTypeOf = new WeakMap<IncomingMessage, string>();
const grantErrorDetail = new WeakMap<object, string>();

// oidc-provider's internal reasons for a refused refresh → the codes OpenAI sends (PROVIDERS.md).
const REFRESH_ERROR_CODES: Record<string, string> = {
	'refresh token already used': 'refresh_token_reused',
	'refresh token is expired': 'refresh_token_expired',
	'refresh token not found': 'refresh_token_invalidated',
};

export async function createOpenIdServer(options: OpenIdOptions): Promise<OpenIdServer> {
	const [Provider, jwk] = await Promise.all([loadProvider(), loadSigningKey()]);
	const {stats, faults} = options;
	const ttl = options.accessTokenTtl;

	const configuration = {
		adapter: createAdapterFactory(),
		jwks: {keys: [jwk]},
		clients: [
			{
				client_id: SANDBOX_OPENAI_CLIENT_ID,
				client_name: 'tui-auth sandbox (Codex-shaped client)',
				application_type: 'native',
				token_endpoint_auth_method: 'none',
				grant_types: ['authorization_code', 'refresh_token', DEVICE_GRANT],
				response_types: ['code'],
				// Loopback redirects match any port (RFC 8252); the last one serves Codex's device flow.
				redirect_uris: ['http://localhost/auth/callback', 'http://127.0.0.1/auth/callback', `${options.issuer}/deviceauth/callback`],
			},
		],
		cookies: {keys: [randomBytes(32).toString('base64url')]},
		scopes: ['openid', 'offline_access', 'profile', 'email'],
		claims: {
			openid: ['sub', OPENAI_AUTH_CLAIM],
			email: ['email', 'email_verified', 'https://api.openai.com/profile'],
			profile: ['name'],
		},
		// Scope claims go in the id_token too, where Codex reads plan and account id.
		conformIdTokenClaims: false,
		extraParams: ['id_token_add_organizations', 'codex_cli_simplified_flow', 'originator'],
		async findAccount(_ctx: unknown, sub: string) {
			const account = sandboxAccount(sub);
			return {
				accountId: sub,
				async claims() {
					return {
						sub,
						email: account.email,
						email_verified: true,
						name: account.email.split('@')[0],
						'https://api.openai.com/profile': {email: account.email, email_verified: true},
						[OPENAI_AUTH_CLAIM]: {
							chatgpt_plan_type: options.planType,
							chatgpt_account_id: account.accountId,
							chatgpt_user_id: account.userId,
							user_id: account.userId,
						},
					};
				},
			};
		},
		// OpenAI issues refresh tokens without prompt=consent (which offline_access would need).
		async issueRefreshToken(_ctx: unknown, client: {grantTypeAllowed(type: string): boolean}) {
			return client.grantTypeAllowed('refresh_token');
		},
		async expiresWithSession() {
			return false;
		},
		rotateRefreshToken: true,
		pkce: {required: () => true},
		routes: OPENID_ROUTES,
		ttl: {
			AccessToken: ttl,
			AuthorizationCode: 60,
			BackchannelAuthenticationRequest: 600,
			ClientCredentials: 600,
			DeviceCode: 600,
			Grant: 14 * 24 * 3600,
			IdToken: 3600,
			Interaction: 3600,
			PreAuthorizedCode: 600,
			RefreshToken: 30 * 24 * 3600,
			Session: 14 * 24 * 3600,
		},
		clientBasedCORS: () => false,
		async renderError(ctx: {type: string; body: string}, out: Record<string, string>) {
			ctx.type = 'html';
			const lines = Object.entries(out).map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(String(value))}</p>`);
			ctx.body = sandboxPage('Sign-in error', lines.join(''));
		},
		features: {
			devInteractions: {enabled: true},
			revocation: {
				enabled: true,
				async allowedPolicy(_ctx: unknown, client: {clientId: string}, token: {clientId: string}) {
					return token.clientId === client.clientId;
				},
			},
			deviceFlow: {
				enabled: true,
				async userCodeInputSource(ctx: {body: string}, form: string, _out: unknown, error?: unknown) {
					const message = error ? '<p style="color:#b00">That code did not work. Try again.</p>' : '<p>Enter the code shown in your terminal.</p>';
					ctx.body = sandboxPage('Device sign-in', `${message}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`);
				},
				async userCodeConfirmSource(ctx: {body: string}, form: string, _client: unknown, _info: unknown, userCode: string) {
					ctx.body = sandboxPage(
						'Confirm device',
						`<p>Check that your terminal shows this code:</p><p><code>${escapeHtml(userCode)}</code></p>${form}<button autofocus type="submit" form="op.deviceConfirmForm">Continue</button> <button type="submit" form="op.deviceConfirmForm" value="yes" name="abort">Abort</button>`,
					);
				},
				async successSource(ctx: {body: string}) {
					ctx.body = sandboxPage('Sign-in success', '<p>The device is signed in. You can close this page.</p>');
				},
			},
			rpInitiatedLogout: {
				enabled: true,
				async logoutSource(ctx: {body: string}, form: string) {
					ctx.body = sandboxPage(
						'Sign out',
						`${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button> <button type="submit" form="op.logoutForm">Stay signed in</button>`,
					);
				},
				async postLogoutSuccessSource(ctx: {body: string}) {
					ctx.body = sandboxPage('Signed out', '<p>You are signed out of the sandbox.</p>');
				},
			},
		},
	};

	const provider = await quietly(() => new Provider(options.issuer, configuration));

	provider.use(async (ctx: any, next: () => Promise<void>) => {
		await next();
		if (ctx.path.startsWith('/interaction/') && typeof ctx.body === 'string') ctx.body = brandInteractionPage(ctx.body);
		if (ctx.path === OPENID_ROUTES.device_authorization && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
			// oidc-provider leaves interval out (clients then wait 5 s); tests want it shorter.
			ctx.body = {...ctx.body, interval: options.deviceInterval};
		}
		const detail = grantErrorDetail.get(ctx);
		if (detail && ctx.body && typeof ctx.body === 'object' && ctx.body.error === 'invalid_grant') {
			// OpenAI's refresh failures carry a code that means "log in again"; Codex reads `code` too.
			const code = REFRESH_ERROR_CODES[detail];
			if (code) ctx.body = {...ctx.body, code};
		}
		if (ctx.path === OPENID_ROUTES.token && ctx.method === 'POST' && ctx.status === 200 && faults.dropConnectionAfterRefresh && grantTypeOf.get(ctx.req) === 'refresh_token') {
			// The refresh token is rotated server-side; the client never hears about it.
			ctx.respond = false;
			ctx.req.socket.destroy();
		}
	});

	provider.on('grant.error', (ctx: object, error: {error_detail?: string}) => {
		if (error?.error_detail) grantErrorDetail.set(ctx, error.error_detail);
		if (error?.error_detail === 'refresh token already used') stats.refreshReuse++;
	});

	const callback = await quietly(() => provider.callback());

	async function handleBuffered(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
		const body = await readBody(request);
		const fields = parseBody(request, body);
		if (path === OPENID_ROUTES.revocation) stats.revocations++;
		if (path === OPENID_ROUTES.device_authorization) stats.deviceRequests++;
		if (path === OPENID_ROUTES.token) {
			stats.tokenRequests++;
			const grantType = typeof fields?.grant_type === 'string' ? fields.grant_type : '';
			if (grantType === 'authorization_code') stats.codeExchanges++;
			if (grantType === 'refresh_token') stats.refreshRequests++;
			if (grantType === DEVICE_GRANT) stats.devicePolls++;
		}
		const isJson = (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json');
		let replay: IncomingMessage;
		if (isJson) {
			// OpenAI takes the refresh as JSON; oidc-provider takes forms only.
			if (!fields) {
				sendJson(response, 400, {error: 'invalid_request', error_description: 'the JSON body does not parse'});
				return;
			}
			const form = new URLSearchParams();
			for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== null) form.set(key, String(value));
			replay = replayRequest(request, Buffer.from(form.toString()), 'application/x-www-form-urlencoded');
		} else {
			replay = replayRequest(request, body, request.headers['content-type'] ?? '');
		}
		if (typeof fields?.grant_type === 'string') grantTypeOf.set(replay, fields.grant_type);
		callback(replay, response);
	}

	return {
		provider,
		handle(request, response) {
			const path = new URL(request.url ?? '/', 'http://sandbox').pathname;
			const buffered: string[] = [OPENID_ROUTES.token, OPENID_ROUTES.revocation, OPENID_ROUTES.device_authorization];
			if (request.method === 'POST' && buffered.includes(path)) {
				handleBuffered(request, response, path).catch(() => {
					if (!response.headersSent) sendJson(response, 400, {error: 'invalid_request', error_description: 'the request body could not be read'});
				});
				return;
			}
			callback(request, response);
		},
		async accountForAccessToken(token) {
			const accessToken = await provider.AccessToken.find(token).catch(() => undefined);
			if (!accessToken || accessToken.isExpired) return undefined;
			return sandboxAccount(String(accessToken.accountId));
		},
	};
}
