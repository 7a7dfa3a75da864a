// Sandbox identities, derived from whatever login the user types so tests are deterministic.
import {createHash} from 'node:crypto';

export type SandboxAccount = {
	readonly email: string;
	readonly accountId: string;
	readonly userId: string;
	readonly organizationId: string;
};

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

export function sandboxAccount(login: string): SandboxAccount {
	const trimmed = login.trim().toLowerCase() || 'user';
	const email = trimmed.includes('@') ? trimmed : `${trimmed}@sandbox.test`;
	const hash = shortHash(email);
	return {
		email,
		accountId: `acct_sandbox_${hash}`,
		userId: `user_sandbox_${hash}`,
		organizationId: `org_sandbox_${hash}`,
	};
}

/** A UUID-shaped id (Claude uses UUIDs) derived from a seed. */
export function sandboxUuid(seed: string): string {
	const hex = createHash('sha256').update(seed).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
