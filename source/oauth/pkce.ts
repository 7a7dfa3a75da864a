// PKCE (RFC 7636, S256 only) and state: random values, and the comparison that does not leak timing.
import {createHash, randomBytes, timingSafeEqual} from 'node:crypto';

const VERIFIER_CHARSET = /^[A-Za-z0-9\-._~]{43,128}$/;

/** base64url of `bytes` random bytes: 32 → 43 chars (RFC 7636's minimum), 64 → 86 chars (Codex). */
export function createCodeVerifier(bytes = 32): string {
	if (!Number.isInteger(bytes) || bytes < 32 || bytes > 96)
		throw new RangeError('verifier must come from 32-96 random bytes');
	return randomBytes(bytes).toString('base64url');
}

export function isValidCodeVerifier(verifier: string): boolean {
	return VERIFIER_CHARSET.test(verifier);
}

/** S256 is the only method: plain would hand the verifier to anyone who sees the authorize URL. */
export function codeChallengeS256(verifier: string): string {
	if (!isValidCodeVerifier(verifier)) throw new RangeError('invalid PKCE code verifier');
	return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export const CODE_CHALLENGE_METHOD = 'S256';

/** At least 128 random bits; generated independently of the verifier, so it can never equal it. */
export function createState(bytes = 32): string {
	if (!Number.isInteger(bytes) || bytes < 16) throw new RangeError('state needs at least 128 random bits');
	return randomBytes(bytes).toString('base64url');
}

/** Constant-time comparison; a missing value never matches. */
export function stateMatches(expected: string, received: string | null | undefined): boolean {
	if (typeof received !== 'string' || received.length === 0 || expected.length === 0) return false;
	// Hash both sides so lengths are equal and the comparison time does not depend on where they differ.
	const a = createHash('sha256').update(expected, 'utf8').digest();
	const b = createHash('sha256').update(received, 'utf8').digest();
	return timingSafeEqual(a, b) && expected.length === received.length;
}

export type PkcePair = {
	readonly verifier: string;
	readonly challenge: string;
	readonly method: 'S256';
	readonly state: string;
};

export function createPkce(options: {verifierBytes?: number; stateBytes?: number} = {}): PkcePair {
	const verifier = createCodeVerifier(options.verifierBytes ?? 32);
	let state = createState(options.stateBytes ?? 32);
	while (state === verifier) state = createState(options.stateBytes ?? 32);
	return {verifier, challenge: codeChallengeS256(verifier), method: 'S256', state};
}
