// The authorize step of the OpenAI-shaped sandbox: what a request must carry, the pending request it becomes,
// and the consent page. Pure apart from the client lookup it is given.
import {timingSafeEqual} from 'node:crypto';
import {SANDBOX_BANNER} from './constants.js';
import {escapeHtml, page} from './http.js';

const REDIRECT = /^http:\/\/127\.0\.0\.1:(\d{1,5})\/auth\/callback$/;
const HOST_ID =
	/^(urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|urn:ietf:params:oauth:jwk-thumbprint:\S+|did:key:\S+)$/;
export const REGISTRATION_CLIENT_ID = 'dynamic_agent_client';
export const RESOURCE = 'https://api.openai.com/v1';

export type Pending = {
	readonly clientId: string;
	readonly registration: boolean;
	readonly redirectUri: string;
	readonly state: string;
	readonly nonce: string;
	readonly challenge: string;
	readonly scope: readonly string[];
	readonly agentName?: string;
	readonly hostId: string;
	readonly prompt?: string;
	readonly expiresAt: number;
};

type Query = Readonly<Record<string, string>>;

export function safeEqual(a: string, b: string): boolean {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}

/** Every parameter at most once, as a record; undefined on a repeat. */
export function single(params: URLSearchParams): Record<string, string> | undefined {
	const out: Record<string, string> = {};
	for (const [key, value] of params) {
		if (key in out) return undefined;
		out[key] = value;
	}
	return out;
}

const validPort = (redirectUri: string | undefined): boolean => {
	const port = REDIRECT.exec(redirectUri ?? '')?.[1];
	return Boolean(port) && Number(port) >= 1 && Number(port) <= 65535;
};

/** In the order they are checked: the first failing one is the page's message. */
const AUTHORIZE_RULES: ReadonlyArray<
	readonly [(query: Query, knownClient: (id: string) => boolean) => boolean, string]
> = [
	[(q) => validPort(q.redirect_uri), 'redirect_uri must be http://127.0.0.1:<port>/auth/callback.'],
	[(q) => q.response_type === 'code', 'response_type must be code.'],
	[
		(q) => q.code_challenge_method === 'S256' && /^[A-Za-z0-9_-]{43}$/.test(q.code_challenge ?? ''),
		'S256 PKCE is required.',
	],
	[(q) => Boolean(q.state && q.nonce), 'state and nonce are required.'],
	[(q) => q.resource === RESOURCE, `resource must be ${RESOURCE}.`],
	[(q) => HOST_ID.test(q.ext_agent_host_id ?? ''), 'ext_agent_host_id is missing or not a supported host id.'],
	[(q) => scopeOf(q).includes('openid'), 'scope must include openid.'],
	[
		(q) => q.client_id !== REGISTRATION_CLIENT_ID || Boolean(q.agent_name_hint),
		'agent_name_hint is required to register an app.',
	],
	[(q, knownClient) => q.client_id === REGISTRATION_CLIENT_ID || knownClient(q.client_id ?? ''), 'Unknown client_id.'],
];

const scopeOf = (query: Query): string[] => (query.scope ?? '').split(' ').filter(Boolean);

/** Why the authorize request is refused, or undefined when it may go on to consent. */
export function authorizeProblem(query: Query, knownClient: (id: string) => boolean): string | undefined {
	return AUTHORIZE_RULES.find(([ok]) => !ok(query, knownClient))?.[1];
}

/** The request a checked authorize query becomes while the user decides. */
export function pendingFrom(query: Query, expiresAt: number): Pending {
	const clientId = query.client_id ?? '';
	const registration = clientId === REGISTRATION_CLIENT_ID;
	return {
		clientId,
		registration,
		redirectUri: query.redirect_uri ?? '',
		state: query.state!,
		nonce: query.nonce!,
		challenge: query.code_challenge!,
		scope: scopeOf(query),
		hostId: query.ext_agent_host_id!,
		...(registration ? {agentName: query.agent_name_hint} : {}),
		...(query.prompt ? {prompt: query.prompt} : {}),
		expiresAt,
	};
}

export function consentPage(form: {
	readonly id: string;
	readonly action: string;
	readonly registration: boolean;
	readonly email: string;
	readonly agentName: string;
}): string {
	const {registration} = form;
	return page(
		registration ? 'Continue with ChatGPT' : 'Sign in to ChatGPT',
		`<p>${registration ? 'An app asks to sign in with your ChatGPT account and use your ChatGPT plan.' : 'An app you connected before asks you to sign in again.'} This is the ${SANDBOX_BANNER}: any email works, no password.</p>
<form method="post" action="${form.action}">
<input type="hidden" name="request" value="${form.id}">
<label>Email <input type="email" name="email" value="${escapeHtml(form.email)}"></label>
${registration ? `<label>App name <input type="text" name="agent_name" value="${escapeHtml(form.agentName)}"></label>` : ''}
<label><input type="checkbox" name="plan" value="on" checked> Allow this app to use my ChatGPT plan</label>
<button type="submit" name="decision" value="approve" autofocus>Continue</button>
<button type="submit" name="decision" value="deny">Cancel</button>
</form>`,
	);
}
