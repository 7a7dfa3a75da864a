// Provider selection (docs/architecture.md): preferred provider → usable
// credentials → not blocked → else fallback by order and trigger → else "no valid auth". Pure: the clock
// and every observed fact come in through the context, and the decision carries its trail of reasons.
import {reportedErrorBlocks, type AccountFacts, type ReportedErrors} from './provider-errors.js';
import {formatDuration} from './quota.js';
import {
	PROVIDER_IDS,
	PROVIDER_NAMES,
	type CredentialSource,
	type FallbackTrigger,
	type Preferences,
	type ProviderId,
} from './schemas.js';

export type ProviderState = {
	/** Resolution found a credential that can be used. */
	usable: boolean;
	source: CredentialSource;
	accountId?: string;
	accountLabel?: string;
	/** Why it is not usable (resolution's kept reason). */
	reason?: string;
	/** Latest known windows; any at or over the fallback threshold blocks. */
	quota?: ReadonlyArray<{usedPercent: number; resetsAt?: number; name?: string}>;
	/** Epoch ms; blocks while in the future. */
	rateLimitedUntil?: number;
	/** Set while requests fail authentication (e.g. 401 after a refresh). */
	authFailing?: string;
	outage?: boolean;
	/** Running sessions on this seat, and the budget's maxConcurrentSessions. */
	sessions?: {running: number; max?: number};
	/** Errors the host reported for this account (plan limit, not eligible, unavailable, rejected token). */
	reported?: ReportedErrors;
	/** When the account's token or key was issued, and its plan: how the reported errors age. */
	accountFacts?: AccountFacts;
};

export type SelectionContext = {
	/** Epoch ms. */
	now: number;
	preferences: Pick<Preferences, 'activeProvider' | 'fallback'>;
	providers: Partial<Record<ProviderId, ProviderState>>;
};

export type SelectionCheck =
	'preferred' | 'credentials' | 'quota' | 'rate-limit' | 'auth' | 'outage' | 'sessions' | 'fallback';

export type TrailStep = {
	provider: ProviderId;
	check: SelectionCheck;
	result: 'pass' | 'fail' | 'skip';
	/** A sentence: "Claude quota (weekly) at 97% ≥ the 95% threshold, frees in 2 h". */
	detail: string;
	data?: Record<string, unknown>;
};

export type Decision =
	| {
			ok: true;
			provider: ProviderId;
			accountId?: string;
			accountLabel?: string;
			source: CredentialSource;
			trail: TrailStep[];
			/** When the preferred provider was passed over: the earliest time all its blocks lift, if known. */
			freesAt?: number;
	  }
	| {
			ok: false;
			reason: 'no valid auth';
			/** One line per provider tried. */
			reasons: string[];
			trail: TrailStep[];
			freesAt?: number;
	  };

type Block = {check: SelectionCheck; trigger: FallbackTrigger; short: string; until?: number};

/** One check's line in the trail, and the block it puts on the provider when it fails. */
type CheckResult = {readonly step: Omit<TrailStep, 'provider'>; readonly block?: Block};
type Check = (name: string, state: ProviderState, ctx: SelectionContext) => CheckResult;

const quotaCheck: Check = (name, state, ctx) => {
	const threshold = ctx.preferences.fallback.thresholdPercent;
	const windows = (state.quota ?? []).filter((w) => Number.isFinite(w.usedPercent));
	const over = windows.filter((w) => w.usedPercent >= threshold);
	if (over.length === 0) {
		const top = windows.length > 0 ? Math.max(...windows.map((w) => w.usedPercent)) : undefined;
		return {
			step: {
				check: 'quota',
				result: 'pass',
				detail:
					top === undefined
						? `${name} has no known quota use`
						: `${name} quota at ${Math.round(top)}% is under the ${threshold}% threshold`,
				data: {threshold, ...(top !== undefined ? {usedPercent: top} : {})},
			},
		};
	}
	const worst = over.reduce((a, b) => (b.usedPercent > a.usedPercent ? b : a));
	const resets = over.map((w) => w.resetsAt);
	// Free only when every window over the threshold has reset.
	const until = resets.every((r): r is number => r !== undefined) ? Math.max(...resets) : undefined;
	const pct = Math.round(worst.usedPercent);
	return {
		step: {
			check: 'quota',
			result: 'fail',
			detail: `${name} quota${worst.name ? ` (${worst.name})` : ''} at ${pct}% ≥ the ${threshold}% threshold${until !== undefined ? `, frees in ${formatDuration(until - ctx.now)}` : ''}`,
			data: {
				usedPercent: worst.usedPercent,
				threshold,
				...(worst.name ? {window: worst.name} : {}),
				...(until !== undefined ? {until} : {}),
			},
		},
		block: {
			check: 'quota',
			trigger: 'quota',
			short: `${name} quota ${pct}% ≥ ${threshold}%`,
			...(until !== undefined ? {until} : {}),
		},
	};
};

const rateLimitCheck: Check = (name, state, {now}) => {
	const until = state.rateLimitedUntil;
	if (until === undefined || until <= now)
		return {step: {check: 'rate-limit', result: 'pass', detail: `${name} is not rate limited`}};
	return {
		step: {
			check: 'rate-limit',
			result: 'fail',
			detail: `${name} is rate limited for ${formatDuration(until - now)} more`,
			data: {until},
		},
		block: {
			check: 'rate-limit',
			trigger: 'rate-limit',
			short: `${name} rate limited for ${formatDuration(until - now)}`,
			until,
		},
	};
};

const authCheck: Check = (name, state) =>
	state.authFailing
		? {
				step: {check: 'auth', result: 'fail', detail: `${name} auth is failing: ${state.authFailing}`},
				block: {check: 'auth', trigger: 'auth-error', short: `${name} auth failing`},
			}
		: {step: {check: 'auth', result: 'pass', detail: `${name} auth is not failing`}};

const outageCheck: Check = (name, state) =>
	state.outage
		? {
				step: {check: 'outage', result: 'fail', detail: `${name} has an outage`},
				block: {check: 'outage', trigger: 'outage', short: `${name} outage`},
			}
		: {step: {check: 'outage', result: 'pass', detail: `${name} has no known outage`}};

const sessionsCheck: Check = (name, state) => {
	const sessions = state.sessions;
	if (sessions?.max === undefined)
		return {step: {check: 'sessions', result: 'pass', detail: `${name} has no session limit`}};
	if (sessions.running < sessions.max)
		return {
			step: {
				check: 'sessions',
				result: 'pass',
				detail: `${name} seat has room: ${sessions.running} of ${sessions.max} sessions running`,
			},
		};
	return {
		step: {
			check: 'sessions',
			result: 'fail',
			detail: `${name} seat is full: ${sessions.running} of ${sessions.max} sessions running`,
			data: {...sessions},
		},
		block: {
			check: 'sessions',
			trigger: 'rate-limit',
			short: `${name} seat full (${sessions.running}/${sessions.max} sessions)`,
		},
	};
};

/** In the order the trail lists them; the reported errors come after. */
const CHECKS: readonly Check[] = [quotaCheck, rateLimitCheck, authCheck, outageCheck, sessionsCheck];

/**
 * Runs every check on one provider and records it. Credentials first; when they are unusable the blocking
 * checks are not run. A full seat counts as the rate-limit trigger (it is a concurrency limit), and missing
 * or unusable credentials as the auth-error trigger.
 */
function evaluate(
	provider: ProviderId,
	state: ProviderState | undefined,
	ctx: SelectionContext,
	trail: TrailStep[],
): Block[] {
	const name = PROVIDER_NAMES[provider];
	if (!state || !state.usable) {
		const why = state?.reason ?? (state ? 'not usable' : 'no credentials');
		trail.push({
			provider,
			check: 'credentials',
			result: 'fail',
			detail: `${name} has no usable credentials: ${why}`,
			data: {source: state?.source ?? 'none'},
		});
		return [{check: 'credentials', trigger: 'auth-error', short: `${name} ${why}`}];
	}
	const who = state.accountLabel ?? state.accountId;
	trail.push({
		provider,
		check: 'credentials',
		result: 'pass',
		detail: `${name} has usable credentials (${state.source}${who ? `, ${who}` : ''})`,
		data: {source: state.source, ...(who ? {account: who} : {})},
	});

	const blocks: Block[] = [];
	for (const check of CHECKS) {
		const {step, block} = check(name, state, ctx);
		trail.push({provider, ...step});
		if (block) blocks.push(block);
	}
	for (const b of reportedErrorBlocks(name, state.reported, state.accountFacts ?? {}, ctx.now)) {
		trail.push({provider, check: b.check, result: 'fail', detail: b.detail, data: {...b.data, reported: b.kind}});
		blocks.push({
			check: b.check,
			trigger: b.trigger,
			short: b.short,
			...(b.until !== undefined ? {until: b.until} : {}),
		});
	}
	return blocks;
}

/** The earliest instant all blocks lift; undefined when any block has no known end. */
function freedAt(blocks: readonly Block[]): number | undefined {
	if (blocks.length === 0 || blocks.some((b) => b.until === undefined)) return undefined;
	return Math.max(...blocks.map((b) => b.until!));
}

export function selectProvider(ctx: SelectionContext): Decision {
	const {fallback} = ctx.preferences;
	const preferred: ProviderId = ctx.preferences.activeProvider ?? fallback.order[0] ?? PROVIDER_IDS[0];
	const trail: TrailStep[] = [];
	trail.push({
		provider: preferred,
		check: 'preferred',
		result: 'pass',
		detail: ctx.preferences.activeProvider
			? `${PROVIDER_NAMES[preferred]} is the preferred provider`
			: `${PROVIDER_NAMES[preferred]} is first in the fallback order (no preferred provider set)`,
	});
	const reasons: string[] = [];
	const tried = new Set<ProviderId>();
	let freesAt: number | undefined;
	let current = preferred;
	for (;;) {
		tried.add(current);
		const state = ctx.providers[current];
		const blocks = evaluate(current, state, ctx, trail);
		if (blocks.length === 0 && state) {
			return {
				ok: true,
				provider: current,
				...(state.accountId !== undefined ? {accountId: state.accountId} : {}),
				...(state.accountLabel !== undefined ? {accountLabel: state.accountLabel} : {}),
				source: state.source,
				trail,
				...(freesAt !== undefined ? {freesAt} : {}),
			};
		}
		if (current === preferred) freesAt = freedAt(blocks);
		reasons.push(blocks.map((b) => b.short).join(', '));

		const name = PROVIDER_NAMES[current];
		if (!fallback.enabled) {
			trail.push({
				provider: current,
				check: 'fallback',
				result: 'fail',
				detail: `fallback is off, so no other provider is tried`,
				data: {short: 'fallback is off'},
			});
			break;
		}
		const enabled = blocks.filter((b) => fallback.triggers.includes(b.trigger));
		if (enabled.length === 0) {
			const triggers = [...new Set(blocks.map((b) => b.trigger))];
			trail.push({
				provider: current,
				check: 'fallback',
				result: 'fail',
				detail: `fallback is on, but not for ${triggers.join(' or ')}, so ${name} is not left`,
				data: {triggers, short: `fallback is not on ${triggers.join(' or ')}`},
			});
			break;
		}
		const next = fallback.order.find((p) => !tried.has(p));
		const trigger = enabled[0]!.trigger;
		if (!next) {
			trail.push({
				provider: current,
				check: 'fallback',
				result: 'fail',
				detail: `fallback on ${trigger}, but no provider is left in the order (${fallback.order.join(', ')})`,
				data: {trigger, short: 'no provider left in the fallback order'},
			});
			break;
		}
		trail.push({
			provider: next,
			check: 'fallback',
			result: 'pass',
			detail: `fallback on ${trigger}: trying ${PROVIDER_NAMES[next]}, next in the order (${fallback.order.join(', ')})`,
			data: {trigger, from: current, blocked: enabled[0]!.short},
		});
		current = next;
	}
	return {ok: false, reason: 'no valid auth', reasons, trail, ...(freesAt !== undefined ? {freesAt} : {})};
}

/**
 * One line for a status bar or `auth status`:
 * "using Claude / work-key: preferred, usable"; "using OpenAI / personal: Claude quota 97% ≥ 95% (fallback on quota)";
 * "no valid auth: Claude quota 97% ≥ 95%; fallback is off".
 */
export function summarizeDecision(decision: Decision): string {
	if (!decision.ok) {
		const last = [...decision.trail].reverse().find((s) => s.check === 'fallback');
		const tail = last && last.result === 'fail' && typeof last.data?.short === 'string' ? `; ${last.data.short}` : '';
		return `no valid auth: ${decision.reasons.join('; ')}${tail}`;
	}
	const who =
		decision.accountLabel ?? decision.accountId ?? (decision.source === 'env' ? 'environment' : decision.source);
	const head = `using ${PROVIDER_NAMES[decision.provider]} / ${who}`;
	const hops = decision.trail.filter((s) => s.check === 'fallback' && s.result === 'pass');
	if (hops.length === 0) return `${head}: preferred, usable`;
	const why = hops.map((s) => `${String(s.data?.blocked)} (fallback on ${String(s.data?.trigger)})`).join('; ');
	return `${head}: ${why}`;
}

export type ProviderErrorKind = 'quota' | 'rate-limit' | 'auth' | 'outage';
export type ProviderErrorIntent = 'switch' | 'retry-once' | 'stop';

const TRIGGER_OF: Readonly<Record<ProviderErrorKind, FallbackTrigger>> = {
	quota: 'quota',
	'rate-limit': 'rate-limit',
	auth: 'auth-error',
	outage: 'outage',
};

/**
 * What a host does after an API error: switch provider when fallback is on for that trigger; otherwise
 * retry once for transient kinds (rate limit after its retry-after, outage), and stop for quota and auth,
 * which a retry cannot fix.
 */
export function onProviderError(kind: ProviderErrorKind, prefs: Pick<Preferences, 'fallback'>): ProviderErrorIntent {
	const {fallback} = prefs;
	if (fallback.enabled && fallback.triggers.includes(TRIGGER_OF[kind]) && fallback.order.length > 1) return 'switch';
	return kind === 'rate-limit' || kind === 'outage' ? 'retry-once' : 'stop';
}
