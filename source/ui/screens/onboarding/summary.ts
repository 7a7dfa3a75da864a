// What the wizard hands back, and where the files live (paths only; no I/O).
import type {AuthMode, FallbackPreferences, ProviderId} from '../../../core/schemas.js';
import type {SavedAccount} from '../../services.js';

export type OnboardingSummary = {
	readonly provider: ProviderId;
	readonly tier: string;
	readonly mode: AuthMode;
	/** The first account added for the active provider. */
	readonly account?: SavedAccount;
	readonly accounts: readonly SavedAccount[];
	readonly fallback?: FallbackPreferences;
	readonly home: string;
	readonly files: readonly string[];
	/** Set once the last save succeeded. */
	readonly completedAt?: string;
};

/** Home-relative file names joined with "/" (the UI layer keeps away from node:path). */
export function stateFiles(home: string, providers: readonly ProviderId[]): string[] {
	const base = home.endsWith('/') || home.endsWith('\\') ? home.slice(0, -1) : home;
	const separator = base.includes('\\') && !base.includes('/') ? '\\' : '/';
	return [
		`${base}${separator}config.json`,
		...providers.map((provider) => `${base}${separator}auth${separator}${provider}.json`),
	];
}
