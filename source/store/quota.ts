// Everything the quota screen, `tui quota --json|--line` and the host's status bar show, gathered in one pass:
// the files read once, then per provider each account's view (store/quota-accounts.ts) and the alerts
// (store/quota-alerts.ts). Which account selection would use now is added by app/quota.ts. A failed fetch never
// crashes: the last good value (cached under usage/) is shown, marked stale with the one-line reason.
import {readClock} from '../core/clock.js';
import {errorLine} from '../core/errors.js';
import {
	DEFAULT_PREFERENCES,
	PROVIDER_IDS,
	PROVIDER_NAMES,
	type Account,
	type Preferences,
	type ProviderId,
} from '../core/schemas.js';
import {API_KEY_ENV_VARS} from '../core/provider-registry.js';
import {readAuthFile} from './auth-file.js';
import {readStatusLineRecords} from './claude-status-line.js';
import {readReportedErrors} from './provider-errors.js';
import {
	chatgptAccountQuota,
	delegatedAccountQuota,
	headerAccountQuota,
	oauthAccountQuota,
	type GatherPass,
} from './quota-accounts.js';
import {alertsOf} from './quota-alerts.js';
import {readCache, writeCache} from './quota-cache.js';
import {readPreferences} from './preferences.js';
import {
	dayKey,
	readRateLimitSnapshots,
	readUsageLedger,
	type AccountRateLimitSnapshot,
	type Ledger,
} from './usage-ledger.js';

/** The ledger and header snapshots use this account name for a key taken from the environment. */
export const ENV_ACCOUNT = 'env';

export type {
	WindowView,
	SpendView,
	AccountStatus,
	ChatGPTPlanView,
	AccountQuota,
	ProviderQuota,
	QuotaAlert,
	SelectionView,
	QuotaReport,
	QuotaRefresh,
	GatherOptions,
} from './quota-view.js';
import type {AccountQuota, GatherOptions, ProviderQuota, QuotaReport} from './quota-view.js';

async function providerQuota(provider: ProviderId, shared: GatherPass): Promise<ProviderQuota> {
	const accounts: AccountQuota[] = [];
	let fileError: string | undefined;
	let activeId: string | null = null;
	let stored: readonly Account[] = [];
	try {
		const file = await readAuthFile(shared.options.home, provider);
		activeId = file.active;
		stored = file.accounts;
	} catch (error) {
		fileError = errorLine(error);
	}
	// A key in the environment wins over the stored login (credential resolution), so it is listed first and active.
	const envVar = API_KEY_ENV_VARS[provider].find((name) => shared.options.env[name]?.trim());
	if (envVar) accounts.push(headerAccountQuota(provider, ENV_ACCOUNT, envVar, envVar, true, shared));
	const results = await Promise.all(
		stored.map(async (account) => {
			const active = !envVar && account.id === activeId;
			if (account.kind === 'oauth' && provider === 'openai') return chatgptAccountQuota(account, active, shared);
			if (account.kind === 'oauth') return oauthAccountQuota(provider, account, active, shared);
			if (account.kind === 'delegated') return delegatedAccountQuota(provider, account, active, shared);
			return headerAccountQuota(provider, account.id, account.label, 'file', active, shared);
		}),
	);
	accounts.push(...results);
	return {provider, name: PROVIDER_NAMES[provider], accounts, ...(fileError ? {error: fileError} : {})};
}

/** Gathers every figure (no selection: app/quota.ts adds it). Never throws for provider or file trouble: that lands in `error`/`notes`. */
export async function gatherQuotaFigures(options: GatherOptions): Promise<QuotaReport> {
	const now = readClock(options.now);
	const notes: string[] = [];
	let preferences: Preferences = options.preferences ?? DEFAULT_PREFERENCES;
	if (!options.preferences) {
		try {
			preferences = await readPreferences(options.home);
		} catch (error) {
			notes.push(errorLine(error));
		}
	}
	let ledger: Ledger = {version: 1, days: {}};
	let snapshots: Readonly<Record<string, AccountRateLimitSnapshot>> = {};
	// Read apart: one damaged file must not hide the other.
	const [ledgerRead, snapshotsRead, reportedRead] = await Promise.allSettled([
		readUsageLedger(options.home),
		readRateLimitSnapshots(options.home),
		readReportedErrors(options.home),
	]);
	if (ledgerRead.status === 'fulfilled') ledger = ledgerRead.value;
	else notes.push(errorLine(ledgerRead.reason));
	if (snapshotsRead.status === 'fulfilled') snapshots = snapshotsRead.value;
	else notes.push(errorLine(snapshotsRead.reason));
	const reported = reportedRead.status === 'fulfilled' ? reportedRead.value : {};
	if (reportedRead.status === 'rejected') notes.push(errorLine(reportedRead.reason));
	const [cache, statusLine] = await Promise.all([readCache(options.home), readStatusLineRecords(options.home)]);
	const shared: GatherPass = {
		options,
		now,
		preferences,
		ledger,
		snapshots,
		cache,
		cacheUpdates: {},
		day: dayKey(now),
		reported,
		statusLine,
	};
	const providers = await Promise.all(PROVIDER_IDS.map((provider) => providerQuota(provider, shared)));
	try {
		await writeCache(options.home, shared.cacheUpdates);
	} catch (error) {
		notes.push(`could not cache the usage: ${errorLine(error)}`);
	}
	return {
		generatedAt: now,
		providers,
		alerts: alertsOf(providers),
		notes,
		thresholdPercent: preferences.fallback.thresholdPercent,
	};
}
