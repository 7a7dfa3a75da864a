// The shared request loop of the two usage fetchers: one GET, a 401 refreshed once through the injected hook
// and retried once, every failure one line. No message holds a token or the provider's body.
import {TuiError} from '../core/errors.js';
import type {NormalizedUsage} from '../core/quota.js';

export const USAGE_TIMEOUT_MS = 10_000;

/** Called after a 401: refresh the credential (under the auth-file lock) and return the new access token. */
export type UsageRefreshHook = () => Promise<string>;

export type UsageFetchOptions = {
	/** The OAuth access token. */
	readonly access: string;
	readonly fetch?: typeof fetch;
	readonly refresh?: UsageRefreshHook;
	readonly now?: () => number;
	readonly signal?: AbortSignal;
	readonly timeoutMs?: number;
};

export type UsageResult = NormalizedUsage & {
	/** Epoch ms of the response. */
	readonly observedAt: number;
	/** True when a 401 made us refresh the token first. */
	readonly refreshed: boolean;
};

type Spec = {
	readonly name: string;
	readonly url: string;
	readonly headers: (access: string) => Record<string, string>;
	readonly normalize: (json: unknown, now: number) => NormalizedUsage;
};

export async function fetchUsage(spec: Spec, options: UsageFetchOptions): Promise<UsageResult> {
	const doFetch = options.fetch ?? globalThis.fetch;
	const now = options.now ?? Date.now;
	let access = options.access;
	let refreshed = false;
	for (;;) {
		const response = await request(spec, doFetch, access, options);
		if (response.status === 401 && options.refresh && !refreshed) {
			await response.body?.cancel().catch(() => {});
			try {
				access = await options.refresh();
			} catch (error) {
				const reason = error instanceof TuiError ? error.message : 'the refresh failed';
				throw new TuiError(`${spec.name} usage: the token was rejected and ${reason.replace(/\.$/, '')}`);
			}
			refreshed = true;
			continue;
		}
		if (!response.ok) {
			await response.body?.cancel().catch(() => {});
			throw new TuiError(statusMessage(spec.name, response.status, refreshed));
		}
		let json: unknown;
		try {
			json = await response.json();
		} catch {
			throw new TuiError(`${spec.name} usage response is malformed: not JSON`);
		}
		const observedAt = now();
		return {...spec.normalize(json, observedAt), observedAt, refreshed};
	}
}

async function request(
	spec: Spec,
	doFetch: typeof fetch,
	access: string,
	options: UsageFetchOptions,
): Promise<Response> {
	const timeout = AbortSignal.timeout(options.timeoutMs ?? USAGE_TIMEOUT_MS);
	const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
	try {
		return await doFetch(spec.url, {
			method: 'GET',
			headers: {accept: 'application/json', ...spec.headers(access)},
			signal,
			redirect: 'error',
		});
	} catch (error) {
		if (options.signal?.aborted) throw new TuiError(`${spec.name} usage: cancelled`);
		if (timeout.aborted)
			throw new TuiError(
				`${spec.name} usage: no answer within ${Math.round((options.timeoutMs ?? USAGE_TIMEOUT_MS) / 1000)} s`,
			);
		const code = (error as {cause?: {code?: string}}).cause?.code;
		throw new TuiError(
			`${spec.name} usage: cannot reach ${new URL(spec.url).host} (${code ?? 'network error'}); offline?`,
		);
	}
}

function statusMessage(name: string, status: number, refreshed: boolean): string {
	if (status === 401)
		return refreshed
			? `${name} usage: still not authorized after a token refresh (HTTP 401); log in again`
			: `${name} usage: not authorized (HTTP 401); log in again`;
	if (status === 403) return `${name} usage: forbidden (HTTP 403); the login may lack the scope for usage`;
	if (status === 429) return `${name} usage: rate limited (HTTP 429); try later`;
	if (status >= 500) return `${name} usage endpoint failed (HTTP ${status}); try later`;
	return `${name} usage: unexpected HTTP ${status}`;
}
