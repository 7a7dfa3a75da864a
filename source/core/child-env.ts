// The environment of the processes we start (docs/child-processes.md). Pure: takes and returns plain objects.
import type {Env} from './env.js';

// Names that hold a secret by convention: *_API_KEY, *_TOKEN, *_SECRET, *_PASSWORD, … and all of tui's own (TUI_*).
const SECRET_NAME = /(?:^|_)(?:API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSPHRASE|CREDENTIALS?|AUTH)(?:_|$)/i;

export function isSecretName(name: string): boolean {
	return SECRET_NAME.test(name) || name.startsWith('TUI_');
}

/** Everything but secrets: for the browser opener, which needs the desktop session (DISPLAY, DBUS, XDG_*, BROWSER). */
export function withoutSecrets(env: Env): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(env)) if (value !== undefined && !isSecretName(name)) out[name] = value;
	return out;
}

// What `claude --version` and `claude auth login|status` need: where to run and find things, the terminal,
// locale, proxies and certificates, the desktop (to open the browser), and Claude Code's own settings.
const CLAUDE_CODE_NAMES = new Set([
	'PATH',
	'HOME',
	'USER',
	'LOGNAME',
	'SHELL',
	'TERM',
	'COLORTERM',
	'NO_COLOR',
	'FORCE_COLOR',
	'LANG',
	'LANGUAGE',
	'TZ',
	'TMPDIR',
	'DISPLAY',
	'WAYLAND_DISPLAY',
	'DBUS_SESSION_BUS_ADDRESS',
	'BROWSER',
	'SSH_CONNECTION',
	'SSH_TTY',
	'HTTP_PROXY',
	'HTTPS_PROXY',
	'NO_PROXY',
	'http_proxy',
	'https_proxy',
	'no_proxy',
	'NODE_EXTRA_CA_CERTS',
	'SSL_CERT_FILE',
	'SSL_CERT_DIR',
	'APPDATA',
	'LOCALAPPDATA',
	'USERPROFILE',
	'SystemRoot',
	'ComSpec',
	'PATHEXT',
	'WINDIR',
	'CLAUDE_CONFIG_DIR',
]);
const CLAUDE_CODE_PREFIXES = ['LC_', 'XDG_', 'CLAUDE_CODE_'];

/** Only what Claude Code needs, and no secret (not even ANTHROPIC_API_KEY: it would take over Claude Code's login). */
export function claudeCodeEnv(env: Env): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(env)) {
		if (value === undefined || isSecretName(name)) continue;
		if (CLAUDE_CODE_NAMES.has(name) || CLAUDE_CODE_PREFIXES.some((prefix) => name.startsWith(prefix)))
			out[name] = value;
	}
	return out;
}
