// The shapes of the quota picture (per provider, account and window) that the screens, `quota --json` and
// hosts read, and the options of gathering it. Types only.
import type {AlertLevel, QuotaWindow, UsageCredits} from '../core/quota.js';
import type {Decision} from '../core/selection.js';
import type {Account, OAuthAccount, Preferences, ProviderId} from '../core/schemas.js';
import type {Env} from '../providers/config-env.js';
import type {AccountRateLimitSnapshot, UsageTotals} from './usage-ledger.js';

export type WindowView = QuotaWindow & {
	/** Older than 15 minutes (a status-line window: older than the window), or the last good value shown after a failed fetch. */
	readonly stale: boolean;
	readonly level: AlertLevel;
	readonly ageMs: number;
};

export type SpendView = {
	/** Local calendar day, YYYY-MM-DD. */
	readonly day: string;
	readonly today: UsageTotals;
	readonly maxCostPerDay?: number;
	/** Spend as a percent of maxCostPerDay. */
	readonly percent?: number;
	readonly level: AlertLevel;
	readonly alertPercents: readonly number[];
};

export type AccountStatus =
	/** Windows fetched or read just now. */
	| 'fresh'
	/** Showing last known values: the fetch failed, or the snapshot is old. */
	| 'stale'
	/** Nothing known yet (no fetch possible, no headers recorded). */
	| 'none'
	/** Claude Code holds the login and no windows came from its status line yet; its quota is shown there. */
	| 'delegated'
	/** A ChatGPT sign-in: no figures exist for apps; see `chatgpt`. */
	| 'plan';

/** What is known of a ChatGPT sign-in's plan usage. OpenAI gives apps no usage numbers: the limits live in ChatGPT settings. */
export type ChatGPTPlanView = {
	/** Plan usage was granted at sign-in (chatgpt.tokens.use.direct). */
	readonly planEnabled: boolean;
	readonly plan?: string;
	/** The plan is one apps may use (Plus, Pro); undefined when the plan is not known. */
	readonly eligible?: boolean;
	/** The last usage limit the host reported (epoch ms), and whether plan use is held back for it now. */
	readonly lastLimitAt?: number;
	readonly lastLimitMidStream?: boolean;
	readonly limited: boolean;
	/** The host got "not eligible" for this account (epoch ms). */
	readonly notEligibleAt?: number;
	/** The last transient "unavailable" (epoch ms). */
	readonly unavailableAt?: number;
	readonly terms: readonly string[];
	readonly manageUsageUrl: string;
};

export type AccountQuota = {
	readonly provider: ProviderId;
	/** The id in the auth file, or "env" for a key from the environment. */
	readonly id: string;
	readonly label: string;
	readonly kind: Account['kind'];
	/** Where the account comes from: the auth file, or the environment variable's name. */
	readonly origin: 'file' | string;
	readonly active: boolean;
	readonly plan?: string;
	readonly status: AccountStatus;
	readonly windows: readonly WindowView[];
	readonly credits?: UsageCredits;
	/** The last rate-limit snapshot from response headers (API keys mostly). */
	readonly rateLimits?: AccountRateLimitSnapshot;
	/** One line: why the figures are stale or missing ("OpenAI usage endpoint failed (HTTP 500); try later"). */
	readonly error?: string;
	/** For delegated accounts: "managed by Claude Code — run /usage there". */
	readonly note?: string;
	/** ChatGPT sign-ins only. */
	readonly chatgpt?: ChatGPTPlanView;
	readonly spend: SpendView;
};

export type ProviderQuota = {
	readonly provider: ProviderId;
	readonly name: string;
	readonly accounts: readonly AccountQuota[];
	/** The auth file could not be read (e.g. moved aside as corrupt). */
	readonly error?: string;
};

export type QuotaAlert = {
	readonly provider: ProviderId;
	readonly account: string;
	readonly label: string;
	readonly kind: 'window' | 'budget';
	/** The window name ("5h", "weekly") or "daily spend". */
	readonly name: string;
	readonly percent: number;
	readonly level: Exclude<AlertLevel, 'ok'>;
	/** The alert percent crossed (100 when exhausted). */
	readonly threshold: number;
	readonly message: string;
};

export type SelectionView = {
	readonly ok: boolean;
	readonly provider?: ProviderId;
	/** The provider preferred: the saved one, else the first usable in the fallback order. */
	readonly preferred?: ProviderId;
	readonly account?: string;
	/** summarizeDecision's line. */
	readonly summary: string;
	readonly decision: Decision;
};

export type QuotaReport = {
	/** Epoch ms. */
	readonly generatedAt: number;
	readonly providers: readonly ProviderQuota[];
	readonly alerts: readonly QuotaAlert[];
	readonly selection?: SelectionView;
	/** Problems that are not any one account's (a corrupt ledger, unreadable preferences). */
	readonly notes: readonly string[];
	readonly thresholdPercent: number;
};

/** A RefreshOAuthAccount (store/resolve-credential.ts) that is also told why; 'rejected' means the server answered 401. */
export type QuotaRefresh = (
	account: OAuthAccount,
	context: {
		readonly provider: ProviderId;
		readonly home: string;
		readonly env: Env;
		readonly reason?: 'expiring' | 'rejected';
	},
) => Promise<OAuthAccount>;

export type GatherOptions = {
	readonly home: string;
	readonly env: Env;
	/** Epoch ms, or a clock. */
	readonly now?: number | (() => number);
	readonly fetch?: typeof fetch;
	/** Refreshes an OAuth account's tokens (under the auth-file lock) near expiry, and once after a 401 (`reason: 'rejected'`: refresh even if not expiring). */
	readonly refresh?: QuotaRefresh;
	readonly signal?: AbortSignal;
	/** Do not call the usage endpoints: cached values and header snapshots only (fast, for status bars). */
	readonly offline?: boolean;
	/** Skip the usage endpoint when the cached fetch is younger than this (status bars poll often). */
	readonly reuseCacheMs?: number;
	/** Per-request timeout of the usage endpoints; default 10 s. */
	readonly timeoutMs?: number;
	/** Preferences the caller already read (config.json is then not read again). */
	readonly preferences?: Preferences;
};
