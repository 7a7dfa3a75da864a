// The one context screens get everything from. Screens never read process.env or the disk while
// rendering: the command builds real services, tests build services over temp homes and stubs.
import {createContext, useContext, type ReactNode} from 'react';
import type {AccountView} from '../core/account-view.js';
import type {Preferences, ProviderId} from '../core/schemas.js';

import type {AccountsApi} from '../app/accounts.js';
import type {HomeSummary} from '../app/home-summary.js';
import type {LoginEvent, LoginHandle as OAuthLoginHandle, LoginMethod} from '../oauth/login-types.js';
import type {Env} from '../providers/config-env.js';

export type {Env};

export type DetectedEnvKey = {
	readonly provider: ProviderId;
	/** One of the provider's API_KEY_ENV_VARS (core/provider-registry.ts). */
	readonly variable: string;
	/** The value, kept for "use it"; never rendered (only lastFour). */
	readonly key: string;
};

export type Detected = {
	readonly envKeys: readonly DetectedEnvKey[];
	/** An existing Codex login ($CODEX_HOME/auth.json, default ~/.codex/auth.json). */
	readonly codexLogin?: {readonly path: string; readonly plan?: string};
	/** An installed official `claude` CLI; supportsAuth is false before CLAUDE_CODE_MIN_AUTH_VERSION (no `claude auth`). */
	readonly claudeCli?: {readonly version: string; readonly supportsAuth: boolean};
	/** Accounts this home already holds; whatever the wizard does, they stay. */
	readonly accounts?: readonly SavedAccount[];
};

/** One-line outcome of checking a key against the provider: "invalid key", "rate limited, try later", "offline?". */
export type KeyValidation = {readonly ok: true} | {readonly ok: false; readonly reason: string};

/** What the wizard needs to know about a stored account (never the secret): its core view. */
export type SavedAccount = AccountView;

export type TerminalSize = {readonly columns: number; readonly rows: number};

export type {LoginEvent, LoginMethod} from '../oauth/login-types.js';

/** A running OAuth login, as the engine's handle with the account as the screens see it. */
export type LoginHandle = OAuthLoginHandle<SavedAccount>;

export type StartLoginOptions = {
	readonly method: LoginMethod;
	readonly label?: string;
	readonly onEvent?: (event: LoginEvent) => void;
	readonly signal?: AbortSignal;
};

/** The exact change to Claude Code's settings.json, shown before consent; install() writes what was shown. */
export type StatusLineOffer = {
	readonly lines: readonly string[];
	install(): Promise<string>;
};

export type Services = {
	readonly home: string;
	readonly env: Env;
	readonly now: () => number;
	/** False under NO_COLOR (decided once by the command, not during render). */
	readonly color: boolean;
	readonly columns: number;
	/** Terminal height; screens fit within it (undefined: no limit, e.g. tests that do not care). */
	readonly rows?: number;
	/** Calls back with the new size when the terminal is resized; returns the unsubscribe. */
	readonly onResize?: (listener: (size: TerminalSize) => void) => () => void;
	/** The terminal shows OSC 8 links (decided once by the command). */
	readonly links?: boolean;
	/** Puts text on the user's clipboard (OSC 52: works over SSH too). */
	readonly copyToClipboard?: (text: string) => void;
	/** Opens a sign-in URL of this provider in the browser again; resolves false when none could be opened. */
	readonly openUrl?: (provider: ProviderId, url: string) => Promise<boolean>;
	/** Spinners and countdowns tick; tests turn it off for stable frames. */
	readonly animate?: boolean;
	/** Set under --sandbox: every screen says so. `home` as shown (relative to the working folder when inside it). */
	readonly sandbox?: {
		readonly home: string;
		readonly throwaway: boolean;
		/** API keys the sandbox accepts start with it. */ readonly keyPrefix: string;
	};
	/** A Claude OAuth client registered by the host app is configured (docs/providers.md "Policy"). */
	readonly claudeOAuthConfigured?: boolean;
	/** The stored accounts: list, switch, remove, rename. */
	readonly accounts: AccountsApi;
	/** What the home screen shows (offline: cached figures only). */
	loadHomeSummary(): Promise<HomeSummary>;
	detect(): Promise<Detected>;
	validateApiKey(provider: ProviderId, key: string, signal: AbortSignal): Promise<KeyValidation>;
	saveApiKeyAccount(provider: ProviderId, key: string, label?: string): Promise<SavedAccount>;
	startLogin(provider: ProviderId, options: StartLoginOptions): Promise<LoginHandle>;
	/** Hands sign-in to the official `claude` CLI and records a delegated account. */
	delegateToClaudeCode(signal: AbortSignal): Promise<SavedAccount>;
	/** After a Claude Code sign-in: the status-line install to offer, or undefined (already there, or none possible). */
	offerClaudeStatusLine?(): Promise<StatusLineOffer | undefined>;
	savePreferences(mutate: (preferences: Preferences) => Preferences): Promise<Preferences>;
	readPreferences(): Promise<Preferences>;
};

const ServicesContext = createContext<Services | undefined>(undefined);

export function ServicesProvider({services, children}: {readonly services: Services; readonly children?: ReactNode}) {
	return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
	const services = useContext(ServicesContext);
	if (!services) throw new Error('useServices() needs a <ServicesProvider> above it');
	return services;
}
