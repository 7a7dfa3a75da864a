// Reading provider overrides from the environment: one place for the checks, so a bad value is one clear line.
import {UsageError} from '../core/errors.js';

import type {Env} from '../core/env.js';

export type {Env};

/** A set, non-blank variable, trimmed; undefined otherwise. */
export function envValue(env: Env, name: string): string | undefined {
	const value = env[name]?.trim();
	return value ? value : undefined;
}

/** An http(s) URL without a trailing slash; the variable name is in the error, never a credential. */
export function envUrl(env: Env, name: string, fallback: string): string {
	const value = envValue(env, name);
	if (value === undefined) return fallback;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new UsageError(`${name} is not a URL`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`${name} must be an http(s) URL`);
	if (url.username || url.password) throw new UsageError(`${name} must not carry credentials`);
	return url.href.replace(/\/+$/, '');
}

/** A TCP port, 0 meaning "any free port". */
export function envPort(env: Env, name: string, fallback: number): number {
	const value = envValue(env, name);
	if (value === undefined) return fallback;
	if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535)
		throw new UsageError(`${name} must be a port number (0-65535)`);
	return Number(value);
}

/** Space- or comma-separated list. */
export function envList(env: Env, name: string, fallback: readonly string[]): readonly string[] {
	const value = envValue(env, name);
	if (value === undefined) return fallback;
	const items = value.split(/[\s,]+/).filter(Boolean);
	return items.length > 0 ? items : fallback;
}

/** True for http(s) URLs on a loopback host: the only place plain http is acceptable. */
export function isLoopbackUrl(url: string): boolean {
	try {
		const {hostname} = new URL(url);
		return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname === '::1';
	} catch {
		return false;
	}
}
