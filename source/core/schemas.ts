// Shapes of everything tui-auth persists. Pure: zod only, nothing from Node.
import {z} from 'zod';

export const PROVIDER_IDS = ['openai', 'claude'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];
export const providerIdSchema = z.enum(PROVIDER_IDS);

export const PROVIDER_NAMES: Readonly<Record<ProviderId, string>> = {
	openai: 'OpenAI',
	claude: 'Claude',
};

export function isProviderId(value: unknown): value is ProviderId {
	return typeof value === 'string' && (PROVIDER_IDS as readonly string[]).includes(value);
}

// Labels become parts of file names in exports and of command arguments, so no separators or controls.
export const LABEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._@+-]{0,63}$/;
export const labelSchema = z.string().regex(LABEL_PATTERN, 'label: 1-64 letters, digits, space, . _ @ + -; starts with a letter or digit');

const isoDate = z.string().datetime({offset: true});

export const oauthTokensSchema = z.object({
	access: z.string().min(1),
	refresh: z.string().min(1).optional(),
	idToken: z.string().min(1).optional(),
	/** Epoch milliseconds. */
	expiresAt: z.number().int().nonnegative(),
	/** Epoch ms of the last successful refresh (Codex refreshes 8 days after it). */
	refreshedAt: z.number().int().nonnegative().optional(),
});
export type OAuthTokens = z.infer<typeof oauthTokensSchema>;

const accountBase = {
	id: z.string().min(1).max(64),
	label: labelSchema,
	createdAt: isoDate,
	lastUsedAt: isoDate.optional(),
};

export const oauthAccountSchema = z.object({
	...accountBase,
	kind: z.literal('oauth'),
	tokens: oauthTokensSchema,
	plan: z.string().max(64).optional(),
	email: z.string().max(320).optional(),
	/** OpenAI: chatgpt_account_id; Claude: organization uuid. */
	accountId: z.string().max(128).optional(),
	/** Set when a refresh failed for good; the user must log in again. */
	needsLogin: z.string().max(500).optional(),
});

export const apiKeyAccountSchema = z.object({
	...accountBase,
	kind: z.literal('api-key'),
	key: z.string().min(1).max(4096),
	rotatedAt: isoDate.optional(),
	needsLogin: z.string().max(500).optional(),
});

export const delegatedAccountSchema = z.object({
	...accountBase,
	kind: z.literal('delegated'),
	/** The external tool that owns the login, e.g. "claude-code". */
	tool: z.string().min(1).max(64),
	plan: z.string().max(64).optional(),
	email: z.string().max(320).optional(),
});

export const accountSchema = z.discriminatedUnion('kind', [oauthAccountSchema, apiKeyAccountSchema, delegatedAccountSchema]);
export type Account = z.infer<typeof accountSchema>;
export type OAuthAccount = z.infer<typeof oauthAccountSchema>;
export type ApiKeyAccount = z.infer<typeof apiKeyAccountSchema>;
export type DelegatedAccount = z.infer<typeof delegatedAccountSchema>;
export type AccountKind = Account['kind'];

export const authFileSchema = z
	.object({
		version: z.literal(1),
		active: z.string().nullable(),
		accounts: z.array(accountSchema),
	})
	.superRefine((file, ctx) => {
		const labels = new Set<string>();
		const ids = new Set<string>();
		for (const account of file.accounts) {
			if (labels.has(account.label.toLowerCase())) ctx.addIssue({code: 'custom', message: `duplicate label "${account.label}"`});
			if (ids.has(account.id)) ctx.addIssue({code: 'custom', message: `duplicate id "${account.id}"`});
			labels.add(account.label.toLowerCase());
			ids.add(account.id);
		}
		if (file.active !== null && !ids.has(file.active)) ctx.addIssue({code: 'custom', message: `active account "${file.active}" does not exist`});
	});
export type AuthFile = z.infer<typeof authFileSchema>;

export const EMPTY_AUTH_FILE: AuthFile = Object.freeze({version: 1, active: null, accounts: []}) as AuthFile;

export const AUTH_MODES = ['subscription', 'api', 'auto'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export const FALLBACK_TRIGGERS = ['quota', 'rate-limit', 'auth-error', 'outage'] as const;
export type FallbackTrigger = (typeof FALLBACK_TRIGGERS)[number];

export const providerPreferencesSchema = z.object({
	tier: z.string().min(1).max(32).optional(),
	mode: z.enum(AUTH_MODES).optional(),
});

export const fallbackSchema = z.object({
	enabled: z.boolean(),
	order: z.array(providerIdSchema).min(1).max(PROVIDER_IDS.length),
	triggers: z.array(z.enum(FALLBACK_TRIGGERS)),
	thresholdPercent: z.number().min(1).max(100),
});
export type FallbackPreferences = z.infer<typeof fallbackSchema>;

export const routingSchema = z
	.object({
		smallLines: z.number().int().positive(),
		mediumLines: z.number().int().positive(),
		tokensPerLine: z.number().positive(),
	})
	.refine((r) => r.smallLines < r.mediumLines, {message: 'routing.smallLines must be below routing.mediumLines'});
export type RoutingThresholds = z.infer<typeof routingSchema>;

export const budgetSchema = z.object({
	maxCostPerDay: z.number().positive().optional(),
	alertPercents: z.array(z.number().min(1).max(100)).default([80, 95]),
	maxConcurrentSessions: z.number().int().positive().optional(),
});
export type Budget = z.infer<typeof budgetSchema>;

export const preferencesSchema = z.object({
	activeProvider: providerIdSchema.optional(),
	providers: z.object({openai: providerPreferencesSchema.optional(), claude: providerPreferencesSchema.optional()}).default({}),
	fallback: fallbackSchema,
	routing: routingSchema,
	/** Keyed "provider/accountId". */
	budgets: z.record(z.string(), budgetSchema).default({}),
	onboardingCompletedAt: isoDate.optional(),
	storage: z.enum(['file', 'keyring']).default('file'),
});
export type Preferences = z.infer<typeof preferencesSchema>;

export const DEFAULT_PREFERENCES: Preferences = {
	providers: {},
	fallback: {enabled: false, order: ['openai', 'claude'], triggers: ['quota', 'rate-limit', 'auth-error', 'outage'], thresholdPercent: 95},
	routing: {smallLines: 500, mediumLines: 2000, tokensPerLine: 4},
	budgets: {},
	storage: 'file',
};

/** Where a resolved credential came from, in precedence order. */
export const CREDENTIAL_SOURCES = ['flag', 'env', 'file', 'none'] as const;
export type CredentialSource = (typeof CREDENTIAL_SOURCES)[number];
