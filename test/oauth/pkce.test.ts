import {createHash} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {
	codeChallengeS256,
	createCodeVerifier,
	createPkce,
	createState,
	isValidCodeVerifier,
	stateMatches,
} from '../../source/oauth/pkce.js';

describe('PKCE', () => {
	it('matches the RFC 7636 Appendix B vector', () => {
		expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
			'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
		);
	});

	it('makes 10,000 distinct verifiers of 43-128 unreserved characters', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 10_000; i++) {
			const verifier = createCodeVerifier(i % 2 === 0 ? 32 : 64);
			expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
			expect(verifier.length).toBe(i % 2 === 0 ? 43 : 86);
			seen.add(verifier);
		}
		expect(seen.size).toBe(10_000);
	});

	it('makes 10,000 distinct states of at least 128 bits, never equal to the verifier', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 10_000; i++) {
			const pair = createPkce({verifierBytes: 64, stateBytes: 16});
			// 16 bytes base64url = 22 chars = 128 bits.
			expect(pair.state.length).toBeGreaterThanOrEqual(22);
			expect(pair.state).toMatch(/^[A-Za-z0-9_-]+$/);
			expect(pair.state).not.toBe(pair.verifier);
			expect(pair.verifier).not.toContain(pair.state);
			seen.add(pair.state);
		}
		expect(seen.size).toBe(10_000);
		expect(() => createState(15)).toThrow();
	});

	it('uses S256 only: the challenge is the SHA-256 of the verifier, never the verifier', () => {
		const pair = createPkce();
		expect(pair.method).toBe('S256');
		expect(pair.challenge).toBe(createHash('sha256').update(pair.verifier).digest('base64url'));
		expect(pair.challenge).not.toBe(pair.verifier);
		expect(() => codeChallengeS256('short')).toThrow();
		expect(isValidCodeVerifier('a'.repeat(42))).toBe(false);
		expect(isValidCodeVerifier('a'.repeat(129))).toBe(false);
		expect(isValidCodeVerifier('a'.repeat(43))).toBe(true);
	});

	it('compares state exactly: missing, shorter, longer or changed values never match', () => {
		const state = createState();
		expect(stateMatches(state, state)).toBe(true);
		expect(stateMatches(state, `${state}`.slice(0, -1))).toBe(false);
		expect(stateMatches(state, `${state}x`)).toBe(false);
		expect(stateMatches(state, null)).toBe(false);
		expect(stateMatches(state, undefined)).toBe(false);
		expect(stateMatches(state, '')).toBe(false);
		expect(stateMatches('', '')).toBe(false);
		const flipped = (state[0] === 'A' ? 'B' : 'A') + state.slice(1);
		expect(stateMatches(state, flipped)).toBe(false);
	});
});
