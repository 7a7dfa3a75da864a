// `tui onboard`: the wizard at a terminal; its flag form otherwise (same steps, no screens):
//   tui onboard --provider claude --tier pro --mode api --with-api-key < keyfile
//   tui onboard --provider openai --tier plus --mode subscription --method paste
// Without a terminal and without the flags it exits 2 naming them; it never waits for input it cannot get.
import {accountView} from '../core/account-view.js';
import {TuiError, UsageError} from '../core/errors.js';
import {API_KEY_ENV_VARS} from '../core/provider-registry.js';
import {
	AUTH_MODES,
	LABEL_PATTERN,
	PROVIDER_NAMES,
	parseProvider,
	type AuthMode,
	type ProviderId,
} from '../core/schemas.js';
import {lastFour} from '../core/text.js';
import {compareModes, findTier, tiersFor, type Tier} from '../core/tiers.js';
import type {LoginMethod, SavedAccount, Services} from '../ui/services.js';
import type {CommandContext} from '../app/context.js';
import {readSecret} from './read-secret.js';
import {createRealServices} from '../app/services.js';

export type OnboardOptions = {
	readonly provider?: string;
	readonly tier?: string;
	readonly mode?: string;
	readonly method?: string;
	readonly withApiKey?: boolean;
	readonly label?: string;
	/** commander's --no-browser: false when given. */
	readonly browser?: boolean;
	/** With Claude Code: --status-line installs the quota status line without asking, --no-status-line skips the offer. */
	readonly statusLine?: boolean;
};

const EXAMPLE = 'e.g. tui onboard --provider claude --tier pro --mode api --with-api-key < keyfile';
const OAUTH_METHODS: readonly LoginMethod[] = ['browser', 'paste'];

function givenFlags(options: OnboardOptions): boolean {
	return [options.provider, options.tier, options.mode, options.method, options.withApiKey].some(
		(value) => value !== undefined && value !== false,
	);
}

export type OnboardPlan = {
	readonly provider: ProviderId;
	readonly tier: string;
	readonly mode: AuthMode;
	readonly method?: LoginMethod | 'claude-code';
	readonly withApiKey: boolean;
	readonly label?: string;
};

type Choices = {readonly provider: ProviderId; readonly tier: Tier; readonly mode: AuthMode};

/** --provider, --tier and --mode: present, known, and a mode the tier offers. */
function choicesFromFlags(options: OnboardOptions): Choices {
	const missing = (['provider', 'tier', 'mode'] as const)
		.filter((flag) => options[flag] === undefined)
		.map((flag) => `--${flag}`);
	if (missing.length > 0)
		throw new UsageError(
			`missing ${missing.join(', ')}: without the wizard (no terminal), tui onboard needs --provider, --tier and --mode (${EXAMPLE})`,
		);
	const provider = parseProvider(options.provider!, '--provider');
	const tier = findTier(provider, options.tier!);
	if (!tier)
		throw new UsageError(
			`unknown --tier ${JSON.stringify(options.tier)} for ${PROVIDER_NAMES[provider]}; valid: ${tiersFor(provider)
				.map((t) => t.id)
				.join(', ')}`,
		);
	const mode = options.mode as AuthMode;
	if (!(AUTH_MODES as readonly string[]).includes(mode))
		throw new UsageError(`unknown --mode ${JSON.stringify(options.mode)}; valid: ${AUTH_MODES.join(', ')}`);
	const row = compareModes(provider, tier.id).find((candidate) => candidate.mode === mode)!;
	if (!row.availability.available)
		throw new UsageError(
			`--mode ${mode} is unavailable for ${PROVIDER_NAMES[provider]} ${tier.name}: ${row.availability.reason}`,
		);
	return {provider, tier, mode};
}

/** A sign-in method the provider takes: OpenAI signs in itself, Claude through Claude Code unless a host registered a client. */
function checkSignInMethod(
	provider: ProviderId,
	method: NonNullable<OnboardPlan['method']>,
	needsKey: boolean,
	claudeOAuthConfigured: boolean,
): void {
	if (provider === 'openai' && method === 'claude-code')
		throw new UsageError('--method claude-code is for Claude; OpenAI takes browser or paste');
	if (provider === 'claude' && method !== 'claude-code' && !claudeOAuthConfigured)
		throw new UsageError(
			'Claude subscriptions sign in through Claude Code (--method claude-code), unless your host app registered a Claude OAuth client (TUI_CLAUDE_OAUTH_CLIENT_ID)',
		);
	if (method === 'paste' && needsKey)
		throw new UsageError(
			'--method paste and --with-api-key both read stdin; add the key first with --mode api, then tui auth login --method paste',
		);
}

/** Checks the flag form; every problem is a UsageError (exit 2) naming what is missing or wrong. */
export function planFromFlags(options: OnboardOptions, claudeOAuthConfigured = false): OnboardPlan {
	const {provider, tier, mode} = choicesFromFlags(options);
	if (options.label !== undefined && !LABEL_PATTERN.test(options.label))
		throw new UsageError(
			`invalid --label ${JSON.stringify(options.label)}: use 1-64 letters, digits, space, . _ @ + -`,
		);

	const needsKey = mode !== 'subscription';
	const needsSignIn = mode !== 'api';
	const method = options.method === 'api-key' ? undefined : (options.method as OnboardPlan['method']);
	const lacking: string[] = [];
	if (needsKey && !options.withApiKey) lacking.push('--with-api-key (the key on stdin)');
	if (needsSignIn && !method) lacking.push(provider === 'openai' ? '--method browser|paste' : '--method claude-code');
	if (lacking.length > 0) throw new UsageError(`--mode ${mode} needs ${lacking.join(' and ')}`);
	if (!needsKey && options.withApiKey)
		throw new UsageError('--with-api-key is for --mode api or auto; --mode subscription signs in with --method');
	if (!needsSignIn && method !== undefined)
		throw new UsageError(`--method ${options.method} signs in to a subscription; --mode api takes --with-api-key only`);
	if (needsSignIn && method) checkSignInMethod(provider, method, needsKey, claudeOAuthConfigured);
	return {
		provider,
		tier: tier.id,
		mode,
		method: needsSignIn ? method : undefined,
		withApiKey: needsKey,
		label: options.label,
	};
}

async function signInWithFlags(
	ctx: CommandContext,
	services: Services,
	plan: OnboardPlan,
	noBrowser: boolean,
): Promise<SavedAccount> {
	if (plan.method === 'claude-code') {
		// docs/providers.md: an API key in the environment wins over Claude Code's own login.
		if (API_KEY_ENV_VARS.claude.some((variable) => services.env[variable]))
			ctx.stderr.write(
				'note: an Anthropic API key is set in the environment; Claude Code will use it instead of your subscription\n',
			);
		return services.delegateToClaudeCode(ctx.signal);
	}
	const method = plan.method as LoginMethod;
	if (!OAUTH_METHODS.includes(method)) throw new UsageError(`unknown --method ${String(plan.method)}`);
	const {signInWithoutScreen} = await import('./auth-login-oauth.js');
	const account = await signInWithoutScreen(ctx, {
		provider: plan.provider,
		method,
		...(plan.label !== undefined ? {label: plan.label} : {}),
		...(noBrowser ? {noBrowser} : {}),
	});
	return accountView(plan.provider, account);
}

async function addKeyWithFlags(ctx: CommandContext, services: Services, plan: OnboardPlan): Promise<SavedAccount> {
	const name = PROVIDER_NAMES[plan.provider];
	const raw = await readSecret(ctx, `${name} API key (input hidden): `);
	if (!raw.trim())
		throw new UsageError(
			`no API key on stdin; pipe it, e.g. \`printenv KEY | tui onboard --provider ${plan.provider} --tier ${plan.tier} --mode ${plan.mode} --with-api-key\``,
		);
	const key = (await import('../providers/validate-key.js')).normalizeApiKey(raw);
	const result = await services.validateApiKey(plan.provider, key, ctx.signal);
	if (!result.ok) throw new TuiError(`${name}: ${result.reason}; nothing was saved`);
	const account = await services.saveApiKeyAccount(plan.provider, key, plan.label);
	ctx.stderr.write(`Key ${lastFour(key)} checked with ${name}.\n`);
	return account;
}

/** The flag form: the wizard's steps in order, saving preferences only once the credentials are stored. */
export async function onboardWithFlags(
	ctx: CommandContext,
	services: Services,
	options: OnboardOptions,
): Promise<number> {
	const plan = planFromFlags(options, Boolean(services.claudeOAuthConfigured));
	const accounts: SavedAccount[] = [];
	if (plan.mode !== 'api') accounts.push(await signInWithFlags(ctx, services, plan, options.browser === false));
	if (plan.mode !== 'subscription') accounts.push(await addKeyWithFlags(ctx, services, plan));
	const completedAt = new Date(ctx.now()).toISOString();
	await services.savePreferences((preferences) => ({
		...preferences,
		activeProvider: plan.provider,
		providers: {
			...preferences.providers,
			[plan.provider]: {...preferences.providers[plan.provider], tier: plan.tier, mode: plan.mode},
		},
		onboardingCompletedAt: completedAt,
	}));
	const name = PROVIDER_NAMES[plan.provider];
	const tierName = findTier(plan.provider, plan.tier)?.name ?? plan.tier;
	const labels = accounts.map((account) => `"${account.label}" (${account.kind})`).join(', ');
	ctx.stdout.write(`Onboarded: ${name} ${tierName}, mode ${plan.mode}, account ${labels}\n`);
	ctx.stdout.write(`Files: ${services.home}/config.json, ${services.home}/auth/${plan.provider}.json\n`);
	ctx.stdout.write('Next: tui auth switch · tui quota · tui auth status\n');
	if (plan.method === 'claude-code' && options.statusLine !== false)
		await (await import('./statusline.js')).offerAfterLogin(ctx, options.statusLine === true, ctx.stdout);
	return 0;
}

async function runWizard(ctx: CommandContext, services: Services): Promise<number> {
	const [{runScreen}, {onboardingWizardElement}] = await Promise.all([
		import('../ui/render.js'),
		import('../ui/screens/onboarding/index.js'),
	]);
	const done = await runScreen<true>(
		(finish) =>
			onboardingWizardElement({onDone: () => finish(true), onKept: () => finish(true), onExit: () => finish()}),
		ctx,
		{
			services,
			exitOnCtrlC: false,
			nonInteractiveHint: '--provider, --tier and --mode',
		},
	);
	// The wizard's last frame already says what was kept.
	return done ? 0 : 1;
}

export async function run(ctx: CommandContext, options: OnboardOptions = {}): Promise<number> {
	const services = createRealServices(ctx, {noBrowser: options.browser === false, label: options.label});
	if (givenFlags(options) || !ctx.stdin.isTTY) return onboardWithFlags(ctx, services, options);
	return runWizard(ctx, services);
}
