// Opening the authorize URL: only https to the provider's host (http to loopback in the sandbox), never through a shell.
import {TuiError} from '../core/errors.js';

import type {Env} from '../providers/config-env.js';

export type {Env};
export type Opener = (url: string) => Promise<unknown>;

export type OpenBrowserOptions = {
	/** Host names (no port) the URL may point at, e.g. ["auth.openai.com"]. */
	readonly allowedHosts: readonly string[];
	/** Only for the sandbox: plain http to 127.0.0.1/localhost/[::1]. */
	readonly allowLoopbackHttp?: boolean;
	/** Defaults to the `open` package, which passes the URL as one argument to the platform opener. */
	readonly opener?: Opener;
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Throws a TuiError saying why the URL may not be opened. Never echoes the URL itself (it carries state). */
export function assertSafeBrowserUrl(url: string, options: Omit<OpenBrowserOptions, 'opener'>): URL {
	if (url.startsWith('-')) throw new TuiError('refusing to open a URL that starts with "-"');
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001F\u007F\s`]|\$\(/.test(url)) throw new TuiError('refusing to open a URL with spaces, control characters, backticks or "$("');
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new TuiError('refusing to open a malformed URL');
	}
	if (parsed.username || parsed.password) throw new TuiError('refusing to open a URL with credentials in it');
	const host = parsed.hostname.toLowerCase();
	const allowed = options.allowedHosts.some((h) => h.toLowerCase() === host);
	if (!allowed) throw new TuiError(`refusing to open a URL on an unexpected host (${host})`);
	if (parsed.protocol === 'https:') return parsed;
	if (parsed.protocol === 'http:' && options.allowLoopbackHttp && LOOPBACK_HOSTS.has(host)) return parsed;
	throw new TuiError(`refusing to open a ${parsed.protocol.replace(':', '')} URL; only https is allowed`);
}

/** True when the URL was handed to a browser; false when it could not be (the caller prints it instead). */
export async function openBrowserSafely(url: string, options: OpenBrowserOptions): Promise<boolean> {
	const parsed = assertSafeBrowserUrl(url, options);
	const opener = options.opener ?? (await defaultOpener());
	try {
		await opener(parsed.href);
		return true;
	} catch {
		return false;
	}
}

async function defaultOpener(): Promise<Opener> {
	const {default: open} = await import('open');
	return async (url) => {
		const child = await open(url, {wait: false});
		// `open` resolves once spawned; a missing opener binary shows up as an 'error' event.
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(resolve, 300);
			child.once('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
		});
		child.unref();
	};
}

/** `--no-browser`, a Linux session without a display, or an SSH session: print the URL rather than open it. */
export function shouldPrintInsteadOfOpen(env: Env, platform: NodeJS.Platform, noBrowserFlag = false): boolean {
	if (noBrowserFlag) return true;
	if (env.SSH_CONNECTION || env.SSH_TTY) return true;
	if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return true;
	return false;
}
