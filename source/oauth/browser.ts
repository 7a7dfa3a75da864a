// Opening the authorize URL: only https to the provider's host (http to loopback in the sandbox), never through a shell.
import {withoutSecrets} from '../core/child-env.js';
import {TuiError} from '../core/errors.js';

import type {Env} from '../providers/config-env.js';

export type {Env};
export type Opener = (url: string) => Promise<unknown>;

export type OpenBrowserOptions = {
	/** Host names (no port) the URL may point at, e.g. ["auth.openai.com"]. */
	readonly allowedHosts: readonly string[];
	/** Only for the sandbox: plain http to 127.0.0.1/localhost/[::1]. */
	readonly allowLoopbackHttp?: boolean;
	/** Defaults to the platform opener (xdg-open, open, rundll32), the URL as one argument, without secrets in its environment. */
	readonly opener?: Opener;
	/** The environment the default opener starts from (secrets are removed). Default process.env. */
	readonly env?: Env;
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Throws a TuiError saying why the URL may not be opened. Never echoes the URL itself (it carries state). */
export function assertSafeBrowserUrl(url: string, options: Omit<OpenBrowserOptions, 'opener'>): URL {
	if (url.startsWith('-')) throw new TuiError('refusing to open a URL that starts with "-"');
	if (/[\u0000-\u001F\u007F\s`]|\$\(/.test(url))
		throw new TuiError('refusing to open a URL with spaces, control characters, backticks or "$("');
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
	const opener = options.opener ?? (await defaultOpener(options.env));
	try {
		await opener(parsed.href);
		return true;
	} catch {
		return false;
	}
}

/**
 * The platform opener, started with the environment minus every secret (API keys, tokens, TUI_*): the browser
 * and whatever it starts never see them. The URL is one argument, never through a shell.
 */
async function defaultOpener(env: Env = process.env): Promise<Opener> {
	const clean = withoutSecrets(env);
	// rundll32's URL handler takes the URL as data (cmd's `start` would parse & and ^); elsewhere the desktop's opener.
	const [command, args]: [string, string[]] =
		process.platform === 'darwin'
			? ['open', []]
			: process.platform === 'win32'
				? ['rundll32', ['url.dll,FileProtocolHandler']]
				: ['xdg-open', []];
	const {spawn} = await import('node:child_process');
	return async (url) =>
		settle(
			spawn(command, [...args, url], {
				env: clean,
				stdio: 'ignore',
				detached: process.platform !== 'win32',
				shell: false,
				windowsHide: true,
			}),
		);
}

// Spawning resolves at once; a missing opener binary shows up as an 'error' event shortly after.
async function settle(child: import('node:child_process').ChildProcess): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(resolve, 300);
		child.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
	});
	child.unref();
}

/** `--no-browser`, a Linux session without a display, or an SSH session: print the URL rather than open it. */
export function shouldPrintInsteadOfOpen(env: Env, platform: NodeJS.Platform, noBrowserFlag = false): boolean {
	if (noBrowserFlag) return true;
	if (env.SSH_CONNECTION || env.SSH_TTY) return true;
	if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return true;
	return false;
}
