// The OpenAI sandbox's signing keys, issued clients and grants, and the RS256 JWTs signed with them. With a state
// folder they live in `<stateDir>/openai.json`, so another sandbox process on the same folder accepts them.
import {
	createHash,
	createPrivateKey,
	createPublicKey,
	generateKeyPairSync,
	randomBytes,
	sign,
	verify,
	type JsonWebKey,
} from 'node:crypto';
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

export type Client = {
	readonly sub: string;
	readonly email: string;
	readonly workspace: string;
	readonly agentName: string;
	hostIds: string[];
};
export type RefreshRecord = {
	readonly family: string;
	readonly clientId: string;
	readonly sub: string;
	readonly email: string;
	readonly scope: string;
	readonly issuedAt: number;
	consumed: boolean;
};
type Family = {revoked: boolean};
export type OpenIdState = {
	version: 1;
	keys: Array<{kid: string; jwk: JsonWebKey}>;
	clients: Record<string, Client>;
	/** By sha256 of the token. */
	refresh: Record<string, RefreshRecord>;
	families: Record<string, Family>;
	/** Access-token jti → its grant. */
	access: Record<string, {family: string; email: string}>;
};

export type OpenIdStore = {
	load(): OpenIdState;
	save(state: OpenIdState): void;
	signJwt(claims: Record<string, unknown>): string;
	/** The claims of a JWT signed by one of the store's keys; undefined for anything else. */
	verifyJwt(token: string): Record<string, unknown> | undefined;
};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
export const hash = (text: string) => createHash('sha256').update(text).digest('hex');
export const random = (bytes = 24) => randomBytes(bytes).toString('base64url');

// RSA generation is the slowest part of startup: one key per process unless a state folder keeps its own.
let processKey: {kid: string; jwk: JsonWebKey} | undefined;
function newKey(): {kid: string; jwk: JsonWebKey} {
	processKey ??= (() => {
		const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
		return {kid: `sandbox-${randomBytes(4).toString('hex')}`, jwk: privateKey.export({format: 'jwk'})};
	})();
	return processKey;
}

export function createOpenIdStore(stateDir: string | undefined): OpenIdStore {
	const file = stateDir ? join(stateDir, 'openai.json') : undefined;
	let memory: OpenIdState | undefined;
	// Read afresh on every use when shared, so a second process sees the first one's grants.
	const load = (): OpenIdState => {
		if (file) {
			try {
				return JSON.parse(readFileSync(file, 'utf8')) as OpenIdState;
			} catch {
				// First use: created below.
			}
		}
		memory ??= {version: 1, keys: [newKey()], clients: {}, refresh: {}, families: {}, access: {}};
		return memory;
	};
	const save = (state: OpenIdState): void => {
		memory = state;
		if (!file) return;
		mkdirSync(stateDir!, {recursive: true, mode: 0o700});
		const temp = `${file}.${process.pid}.tmp`;
		writeFileSync(temp, JSON.stringify(state), {mode: 0o600});
		renameSync(temp, file);
	};
	save(load());

	function signJwt(claims: Record<string, unknown>): string {
		const key = load().keys.at(-1)!;
		const input = `${b64({alg: 'RS256', typ: 'JWT', kid: key.kid})}.${b64(claims)}`;
		return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey({key: key.jwk, format: 'jwk'})).toString('base64url')}`;
	}

	function verifyJwt(token: string): Record<string, unknown> | undefined {
		const [header, payload, signature] = token.split('.');
		if (!header || !payload || !signature) return undefined;
		try {
			const {kid, alg} = JSON.parse(Buffer.from(header, 'base64url').toString()) as {kid?: string; alg?: string};
			const key = load().keys.find((k) => k.kid === kid);
			if (!key || alg !== 'RS256') return undefined;
			const publicKey = createPublicKey({key: {kty: 'RSA', n: key.jwk.n, e: key.jwk.e}, format: 'jwk'});
			if (!verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url')))
				return undefined;
			return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
		} catch {
			return undefined;
		}
	}

	return {load, save, signJwt, verifyJwt};
}
