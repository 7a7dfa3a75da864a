// ID-token checks for the ChatGPT sign-in: RS256 signature against the issuer's JWKS (fetched again once on an
// unknown kid), exact iss, aud = the issued client (a string or a one-element array), nonce, exp, non-empty sub.
import {createPublicKey, verify, type JsonWebKey, type KeyObject} from 'node:crypto';
import {TuiError} from '../core/errors.js';
import {OPENAI_ID_TOKEN} from '../providers/openai.js';

export type IdTokenClaims = {
	readonly sub: string;
	readonly email?: string;
	readonly name?: string;
	readonly [claim: string]: unknown;
};

export type JwksSource = {
	readonly uri: string;
	readonly fetch: typeof fetch;
	readonly signal?: AbortSignal;
};

/** A JWKS outage: retryable, unlike a token that fails a check. */
export class VerificationUnavailableError extends TuiError {
	constructor() {
		super('the sign-in could not be verified right now (the key set did not load); try again shortly');
		this.name = 'VerificationUnavailableError';
	}
}

// Per process: keys by kid for each JWKS URI.
const cache = new Map<string, Map<string, KeyObject>>();

async function loadKeys(source: JwksSource): Promise<Map<string, KeyObject>> {
	let body: {keys?: unknown};
	try {
		const response = await source.fetch(source.uri, {
			headers: {accept: 'application/json'},
			signal: source.signal ?? AbortSignal.timeout(20_000),
		});
		if (!response.ok) throw new Error(`HTTP ${response.status}`);
		body = (await response.json()) as {keys?: unknown};
	} catch {
		throw new VerificationUnavailableError();
	}
	const keys = new Map<string, KeyObject>();
	for (const jwk of Array.isArray(body.keys)
		? (body.keys as Array<JsonWebKey & {kid?: unknown; use?: unknown; alg?: unknown}>)
		: []) {
		if (typeof jwk.kid !== 'string' || jwk.kty !== 'RSA' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
		try {
			keys.set(jwk.kid, createPublicKey({key: {kty: 'RSA', n: jwk.n, e: jwk.e}, format: 'jwk'}));
		} catch {
			// A malformed key is skipped; a token signed with it then fails as unknown.
		}
	}
	if (keys.size === 0) throw new VerificationUnavailableError();
	cache.set(source.uri, keys);
	return keys;
}

async function keyFor(kid: string, source: JwksSource): Promise<KeyObject> {
	const known = cache.get(source.uri)?.get(kid);
	if (known) return known;
	// An unknown kid: the issuer may have rotated its keys; fetch the set again, once.
	const key = (await loadKeys(source)).get(kid);
	if (!key) throw new TuiError('the sign-in was refused: the ID token is signed with an unknown key');
	return key;
}

function decodePart(part: string | undefined): Record<string, unknown> {
	if (!part) throw new TuiError('the sign-in was refused: the ID token is malformed');
	try {
		const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
		if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
	} catch {
		// Below.
	}
	throw new TuiError('the sign-in was refused: the ID token is malformed');
}

export type IdTokenExpectations = {
	readonly issuer: string;
	readonly clientId: string;
	/** The nonce of this attempt; undefined after a refresh (no nonce is sent then). */
	readonly nonce?: string;
	readonly nowMs: number;
};

const refused = (why: string) => new TuiError(`the sign-in was refused: ${why}`);

export async function verifyIdToken(
	token: string,
	expect: IdTokenExpectations,
	source: JwksSource,
): Promise<IdTokenClaims> {
	const parts = token.split('.');
	if (parts.length !== 3) throw refused('the ID token is malformed');
	const header = decodePart(parts[0]);
	const claims = decodePart(parts[1]);
	if (header.alg !== OPENAI_ID_TOKEN.alg) throw refused('the ID token is not signed with RS256');
	if (typeof header.kid !== 'string' || header.kid.length === 0) throw refused('the ID token names no key');
	const key = await keyFor(header.kid, source);
	const signed = Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii');
	if (!verify('sha256', signed, key, Buffer.from(parts[2]!, 'base64url')))
		throw refused('the ID token signature does not verify');
	if (claims.iss !== expect.issuer) throw refused('the ID token comes from another issuer');
	const aud = claims.aud;
	const audOk = aud === expect.clientId || (Array.isArray(aud) && aud.length === 1 && aud[0] === expect.clientId);
	if (!audOk) throw refused('the ID token was issued to another client');
	if (claims.azp !== undefined && claims.azp !== expect.clientId)
		throw refused('the ID token was issued to another client');
	const skew = OPENAI_ID_TOKEN.skewSeconds;
	if (typeof claims.exp !== 'number' || claims.exp + skew <= expect.nowMs / 1000)
		throw refused('the ID token has expired');
	if (expect.nonce !== undefined && claims.nonce !== expect.nonce)
		throw refused('the ID token does not belong to this sign-in (nonce)');
	if (typeof claims.sub !== 'string' || claims.sub.length === 0 || claims.sub.length > 256)
		throw refused('the ID token names no account');
	return claims as IdTokenClaims;
}

/** The claims of a token already verified and stored (id_token_hint handling, display); no checks. */
export function unverifiedClaims(token: string | undefined): Record<string, unknown> | undefined {
	try {
		return token ? decodePart(token.split('.')[1]) : undefined;
	} catch {
		return undefined;
	}
}
