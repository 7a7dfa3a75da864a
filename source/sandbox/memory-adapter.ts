// An unbounded in-memory adapter for oidc-provider, one store per sandbox.
// The library's own memory adapter is an LRU shared by the process and warns on use.

type Payload = Record<string, unknown> & {grantId?: string; userCode?: string; uid?: string; consumed?: number};
type Entry = {payload: Payload; expiresAt: number};

const grantable = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest', 'PreAuthorizedCode']);

export function createAdapterFactory(): (model: string) => object {
	const entries = new Map<string, Entry>();
	const byGrant = new Map<string, Set<string>>();
	const byUserCode = new Map<string, string>();
	const bySessionUid = new Map<string, string>();

	const get = (key: string): Payload | undefined => {
		const entry = entries.get(key);
		if (!entry) return undefined;
		if (entry.expiresAt <= Date.now()) {
			entries.delete(key);
			return undefined;
		}
		return entry.payload;
	};

	return (model: string) => {
		const keyOf = (id: string) => `${model}:${id}`;
		return {
			async upsert(id: string, payload: Payload, expiresIn?: number) {
				const key = keyOf(id);
				entries.set(key, {payload, expiresAt: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY});
				if (grantable.has(model) && payload.grantId) {
					const members = byGrant.get(payload.grantId) ?? new Set<string>();
					members.add(key);
					byGrant.set(payload.grantId, members);
				}
				if (payload.userCode) byUserCode.set(payload.userCode, id);
				if (model === 'Session' && payload.uid) bySessionUid.set(payload.uid, id);
			},
			async find(id: string) {
				return get(keyOf(id));
			},
			async findByUserCode(userCode: string) {
				const id = byUserCode.get(userCode);
				return id === undefined ? undefined : get(keyOf(id));
			},
			async findByUid(uid: string) {
				const id = bySessionUid.get(uid);
				return id === undefined ? undefined : get(keyOf(id));
			},
			async consume(id: string) {
				const payload = get(keyOf(id));
				if (payload) payload.consumed = Math.floor(Date.now() / 1000);
			},
			async destroy(id: string) {
				entries.delete(keyOf(id));
			},
			async revokeByGrantId(grantId: string) {
				for (const key of byGrant.get(grantId) ?? []) entries.delete(key);
				byGrant.delete(grantId);
			},
		};
	};
}
