// Shapes of what tui-auth persists (plain shapes, core/shape.ts). Pure: nothing from Node.
import {UsageError} from './errors.js';
import {checkShape, shape, type Infer} from './shape.js';
import {PROVIDERS} from './provider-registry.js';
import {safeLine} from './text.js';

export const PROVIDER_IDS = ['openai', 'claude'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const PROVIDER_NAMES: Readonly<Record<ProviderId, string>> = {
	openai: PROVIDERS.openai.name,
	claude: PROVIDERS.claude.name,
};

export function isProviderId(value: unknown): value is ProviderId {
	return typeof value === 'string' && (PROVIDER_IDS as readonly string[]).includes(value);
}

/** The one error for a provider that is not ours; `what` names the argument ("provider", "--provider"). */
export function unknownProvider(value: unknown, what = 'provider'): UsageError {
	return new UsageError(
		`unknown ${what} ${JSON.stringify(safeLine(String(value), 40))}; valid: ${PROVIDER_IDS.join(', ')}`,
	);
}

/** A provider as a user types it: any case. */
export function parseProvider(value: string, what = 'provider'): ProviderId {
	const lower = value.toLowerCase();
	if (isProviderId(lower)) return lower;
	throw unknownProvider(value, what);
}

// Labels become parts of file names in exports and of command arguments, so no separators or controls.
export const LABEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._@+-]{0,63}$/;
const label = shape.string({
	pattern: LABEL_PATTERN,
	patternMessage: 'label: 1-64 letters, digits, space, . _ @ + -; starts with a letter or digit',
});

// The auth file's shapes are plain data (shape.ts), not zod: they are checked on every start.
export const oauthTokensSchema = shape.object({
	access: shape.string({min: 1}),
	refresh: shape.optional(shape.string({min: 1})),
	idToken: shape.optional(shape.string({min: 1})),
	/** Epoch milliseconds. */
	expiresAt: shape.int(),
	/** Epoch ms of the last successful refresh. */
	refreshedAt: shape.optional(shape.int()),
	/** Epoch ms before which the provider asks not to refresh (OpenAI's earliest_refresh_at). */
	earliestRefreshAt: shape.optional(shape.int()),
});
export type OAuthTokens = Infer<typeof oauthTokensSchema>;

const accountBase = {
	id: shape.string({min: 1, max: 64}),
	label,
	createdAt: shape.isoDatetime(),
	lastUsedAt: shape.optional(shape.isoDatetime()),
} as const;

export const oauthAccountSchema = shape.object({
	...accountBase,
	kind: shape.literal('oauth'),
	tokens: oauthTokensSchema,
	plan: shape.optional(shape.string({max: 64})),
	email: shape.optional(shape.string({max: 320})),
	/** Claude: organization uuid. (Older OpenAI logins kept chatgpt_account_id here.) */
	accountId: shape.optional(shape.string({max: 128})),
	/** The issuer that signed this login in (OpenAI: from discovery). */
	issuer: shape.optional(shape.string({max: 2048})),
	/** OpenAI: the client issued to this app for this user and workspace (oaiapp_…); never dynamic_agent_client. */
	clientId: shape.optional(shape.string({pattern: /^[A-Za-z0-9_-]{1,200}$/})),
	/** The id_token `sub`: a returning sign-in must carry the same one. */
	subject: shape.optional(shape.string({min: 1, max: 256})),
	/** Scopes the token response granted (not the ones asked for). */
	scopes: shape.optional(shape.array(shape.string({min: 1, max: 200}), {max: 64})),
	/** OpenAI: ChatGPT plan usage is on (chatgpt.tokens.use.direct was granted). */
	planEnabled: shape.optional(shape.boolean()),
	/** Set when a refresh failed for good; the user must log in again. */
	needsLogin: shape.optional(shape.string({max: 500})),
});

export const apiKeyAccountSchema = shape.object({
	...accountBase,
	kind: shape.literal('api-key'),
	key: shape.string({min: 1, max: 4096}),
	rotatedAt: shape.optional(shape.isoDatetime()),
	needsLogin: shape.optional(shape.string({max: 500})),
});

export const delegatedAccountSchema = shape.object({
	...accountBase,
	kind: shape.literal('delegated'),
	/** The external tool that owns the login, e.g. "claude-code". */
	tool: shape.string({min: 1, max: 64}),
	plan: shape.optional(shape.string({max: 64})),
	email: shape.optional(shape.string({max: 320})),
});

const ACCOUNT_SHAPES = {
	oauth: oauthAccountSchema,
	'api-key': apiKeyAccountSchema,
	delegated: delegatedAccountSchema,
} as const;

export const accountSchema = shape.union('kind', ACCOUNT_SHAPES);
export type Account = Infer<typeof accountSchema>;
export type OAuthAccount = Infer<typeof oauthAccountSchema>;
export type ApiKeyAccount = Infer<typeof apiKeyAccountSchema>;
export type DelegatedAccount = Infer<typeof delegatedAccountSchema>;
export type AccountKind = Account['kind'];

export const authFileSchema = shape.object(
	{
		version: shape.literal(1),
		active: shape.nullable(shape.string()),
		accounts: shape.array(accountSchema),
	},
	(file) => {
		const labels = new Set<string>();
		const ids = new Set<string>();
		for (const account of file.accounts) {
			if (labels.has(account.label.toLowerCase())) return `duplicate label "${account.label}"`;
			if (ids.has(account.id)) return `duplicate id "${account.id}"`;
			labels.add(account.label.toLowerCase());
			ids.add(account.id);
		}
		return file.active !== null && !ids.has(file.active) ? `active account "${file.active}" does not exist` : undefined;
	},
);
/** An account this tui cannot use: kept untouched on disk and reported, while the others keep working. */
export type UnreadableAccount = {
	/** Position in the file's `accounts` array. */
	readonly index: number;
	readonly id?: string;
	/** Only when it is a valid label (it is shown). */
	readonly label?: string;
	/** One line, never quoting a value (it may be a secret). */
	readonly reason: string;
	/** An unknown `kind`: probably written by a newer tui. */
	readonly newer: boolean;
	/** The file's `active` names it. */
	readonly active: boolean;
};

export type AuthFile = Infer<typeof authFileSchema> & {
	/** Accounts kept on disk but not usable by this version (read only; never written from here). */
	readonly unreadable?: readonly UnreadableAccount[];
	/** The file's `version` when a newer tui wrote it: nothing in it is used or changed. */
	readonly newerVersion?: number;
};

export const AUTH_FILE_VERSION = 1;

export const EMPTY_AUTH_FILE: AuthFile = Object.freeze({version: 1, active: null, accounts: []}) as AuthFile;

export const ACCOUNT_KINDS = ['oauth', 'api-key', 'delegated'] as const;

/** The keys this version knows, per account kind and for oauth tokens: anything else is preserved, not interpreted. */
export const KNOWN_KEYS = {
	file: new Set(Object.keys(authFileSchema.shape)),
	tokens: new Set(Object.keys(oauthTokensSchema.shape)),
	account: {
		oauth: new Set(Object.keys(oauthAccountSchema.shape)),
		'api-key': new Set(Object.keys(apiKeyAccountSchema.shape)),
		delegated: new Set(Object.keys(delegatedAccountSchema.shape)),
	},
} as const;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, terminal-safe quote of a value from the file that is not a secret (a kind, an id). */
function quoteShort(value: string): string {
	const clean = value.replace(/[^\x20-\x7E]/g, '?');
	return JSON.stringify(clean.length > 32 ? `${clean.slice(0, 31)}…` : clean);
}

function issueText(error: {issues: ReadonlyArray<{path: ReadonlyArray<PropertyKey>; message: string}>}): string {
	const issue = error.issues[0];
	const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
	const message = issue?.message ?? 'invalid';
	return `${message.startsWith(where) ? '' : where}${message}`.slice(0, 160);
}

export type OutsideTextCleaner = (text: string) => string;

const OUTSIDE_FIELDS = ['plan', 'email', 'accountId', 'tool', 'needsLogin', 'issuer', 'subject'] as const;

/** The same account with its provider-supplied text cleaned (see text.ts); unchanged when already clean. */
export function cleanAccountText<T extends Account>(account: T, clean: OutsideTextCleaner): T {
	let out: T = account;
	for (const field of OUTSIDE_FIELDS) {
		const value = (account as Record<string, unknown>)[field];
		if (typeof value === 'string' && clean(value) !== value) out = {...out, [field]: clean(value)};
	}
	return out;
}

export type AuthFileRead = {readonly ok: true; readonly file: AuthFile} | {readonly ok: false; readonly reason: string};

/**
 * Reads parsed JSON as an auth file, account by account (docs/auth-file-schema.md). Only a top level that
 * cannot be an auth file fails; a bad account becomes unreadable and the others keep working; a newer
 * `version` is reported and nothing in it is used.
 */
export function readAuthFileJson(json: unknown, clean: OutsideTextCleaner): AuthFileRead {
	if (!isRecord(json)) return {ok: false, reason: 'wrong shape: not an object'};
	const {version} = json;
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
		return {ok: false, reason: 'wrong shape: version: expected a whole number from 1'};
	if (version > AUTH_FILE_VERSION)
		return {ok: true, file: {version: AUTH_FILE_VERSION, active: null, accounts: [], newerVersion: version}};
	if (!Array.isArray(json.accounts)) return {ok: false, reason: 'wrong shape: accounts: expected an array'};
	if (json.active !== null && typeof json.active !== 'string')
		return {ok: false, reason: 'wrong shape: active: expected a string or null'};
	const accounts: Account[] = [];
	const unreadable: UnreadableAccount[] = [];
	const seen: SeenAccounts = {ids: new Set<string>(), labels: new Set<string>()};
	for (const [index, raw] of (json.accounts as unknown[]).entries()) {
		const read = readAccount(raw, clean, seen);
		if ('account' in read) {
			seen.ids.add(read.account.id);
			seen.labels.add(read.account.label.toLowerCase());
			accounts.push(cleanAccountText(read.account, clean));
			continue;
		}
		const {id, label} = rawIdentity(raw);
		unreadable.push({
			index,
			...(id === undefined ? {} : {id: clean(id)}),
			...(label === undefined ? {} : {label}),
			reason: read.reason,
			newer: read.newer,
			active: id !== undefined && id === json.active,
		});
	}
	const active = typeof json.active === 'string' && seen.ids.has(json.active) ? json.active : null;
	return {
		ok: true,
		file: {version: AUTH_FILE_VERSION, active, accounts, ...(unreadable.length > 0 ? {unreadable} : {})},
	};
}

type SeenAccounts = {readonly ids: Set<string>; readonly labels: Set<string>};
type AccountRead = {readonly account: Account} | {readonly reason: string; readonly newer: boolean};

/** What an unreadable entry can still be named by: its id and label when they have the right form. */
function rawIdentity(raw: unknown): {id?: string; label?: string} {
	if (!isRecord(raw)) return {};
	const id = typeof raw.id === 'string' && raw.id.length > 0 && raw.id.length <= 64 ? raw.id : undefined;
	const label = typeof raw.label === 'string' && LABEL_PATTERN.test(raw.label) ? raw.label : undefined;
	return {id, label};
}

function readAccount(raw: unknown, clean: OutsideTextCleaner, seen: SeenAccounts): AccountRead {
	const bad = (reason: string, newer = false): AccountRead => ({reason, newer});
	if (!isRecord(raw)) return bad('not an object');
	const kind = raw.kind;
	if (typeof kind !== 'string') return bad('kind: missing');
	if (!(ACCOUNT_KINDS as readonly string[]).includes(kind)) return bad(`unknown kind ${quoteShort(clean(kind))}`, true);
	const parsed = checkShape(ACCOUNT_SHAPES[kind as keyof typeof ACCOUNT_SHAPES], raw);
	if (!parsed.success) return bad(issueText(parsed.error));
	const account = parsed.data as Account;
	// Ids are shown and typed back: one with controls or escapes cannot have come from a tui.
	if (clean(account.id) !== account.id) return bad('id: control characters');
	if (seen.ids.has(account.id)) return bad('duplicate id');
	if (seen.labels.has(account.label.toLowerCase())) return bad(`duplicate label "${account.label}"`);
	return {account};
}

export const AUTH_MODES = ['subscription', 'api', 'auto'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export const FALLBACK_TRIGGERS = ['quota', 'rate-limit', 'auth-error', 'outage'] as const;
export type FallbackTrigger = (typeof FALLBACK_TRIGGERS)[number];

// The preferences are plain shapes too: config.json is read on every start of `auth status`, `auth token` and
// `statusline` once a user has onboarded.
const providerId = shape.enum(PROVIDER_IDS);

export const providerPreferencesShape = shape.object({
	tier: shape.optional(shape.string({min: 1, max: 32})),
	mode: shape.optional(shape.enum(AUTH_MODES)),
});

export const fallbackShape = shape.object({
	enabled: shape.boolean(),
	order: shape.array(providerId, {min: 1, max: PROVIDER_IDS.length}),
	triggers: shape.array(shape.enum(FALLBACK_TRIGGERS)),
	thresholdPercent: shape.number({min: 1, max: 100}),
});
export type FallbackPreferences = Infer<typeof fallbackShape>;

export const routingShape = shape.object(
	{
		smallLines: shape.number({int: true, above: 0}),
		mediumLines: shape.number({int: true, above: 0}),
		tokensPerLine: shape.number({above: 0}),
	},
	(r) => (r.smallLines < r.mediumLines ? undefined : 'routing.smallLines must be below routing.mediumLines'),
);
export type RoutingThresholds = Infer<typeof routingShape>;

/** Spend alerts at these percents of a daily budget, unless the budget names its own. */
export const DEFAULT_ALERT_PERCENTS: readonly number[] = [80, 95];

export const budgetShape = shape.object({
	maxCostPerDay: shape.optional(shape.number({above: 0})),
	alertPercents: shape.withDefault(shape.array(shape.number({min: 1, max: 100})), DEFAULT_ALERT_PERCENTS),
	maxConcurrentSessions: shape.optional(shape.number({int: true, above: 0})),
});
export type Budget = Infer<typeof budgetShape>;

export const preferencesShape = shape.object({
	activeProvider: shape.optional(providerId),
	providers: shape.withDefault(
		shape.object({
			openai: shape.optional(providerPreferencesShape),
			claude: shape.optional(providerPreferencesShape),
		}),
		{},
	),
	fallback: fallbackShape,
	routing: routingShape,
	/** Keyed "provider/accountId". */
	budgets: shape.withDefault(shape.record(budgetShape), {}),
	onboardingCompletedAt: shape.optional(shape.isoDatetime()),
	/** When the user acknowledged the one-time "You're using your ChatGPT plan" notice; it is never shown again. */
	chatgptPlanNoticeAt: shape.optional(shape.isoDatetime()),
	storage: shape.withDefault(shape.enum(['file', 'keyring']), 'file'),
});
export type Preferences = Infer<typeof preferencesShape>;

export const DEFAULT_PREFERENCES: Preferences = {
	providers: {},
	fallback: {
		enabled: false,
		order: ['openai', 'claude'],
		triggers: ['quota', 'rate-limit', 'auth-error', 'outage'],
		thresholdPercent: 95,
	},
	routing: {smallLines: 500, mediumLines: 2000, tokensPerLine: 4},
	budgets: {},
	storage: 'file',
};

/** Where a resolved credential came from, in precedence order. */
export const CREDENTIAL_SOURCES = ['flag', 'env', 'file', 'none'] as const;
export type CredentialSource = (typeof CREDENTIAL_SOURCES)[number];
