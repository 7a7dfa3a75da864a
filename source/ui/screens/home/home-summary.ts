// What the home screen shows: the active provider and account, the selection decision with its reason,
// and a one-line quota summary when anything is known. Offline: cached usage and header snapshots only,
// so opening `tui` never waits on the network.
import {PROVIDER_NAMES, type ProviderId} from '../../../core/schemas.js';
import {gatherQuota} from '../../../store/quota.js';
import {stateWarnings} from '../../../store/state-warnings.js';
import type {Env} from '../../services.js';
import {formatQuotaLine} from '../quota/quota-text.js';
import {accountDetails} from '../accounts/account-text.js';
import {createAccountsApi, type AccountRow} from '../accounts/accounts-store.js';

export type HomeSummary = {
	readonly activeProvider?: ProviderId;
	/** The active provider's active stored account. */
	readonly account?: AccountRow;
	/** summarizeDecision's line: "using Claude / work-key: preferred, usable". */
	readonly decision: string;
	/** "claude 43% 5h · 71% wk │ openai 12% 5h", when any window is known. */
	readonly quota?: string;
	readonly accountCount: number;
	/** Damaged files set aside, accounts this version cannot read: one line each. */
	readonly warnings?: readonly string[];
	/** The active ChatGPT sign-in, whichever provider is active: who, which plan, plan usage on or off. */
	readonly chatgpt?: AccountRow;
	/** Show the one-time "You're using your ChatGPT plan" notice: plan usage is on and it was never acknowledged. */
	readonly planNotice: boolean;
};

/** "me@example.com · plus plan · plan usage on". */
export function chatgptAccountLine(row: AccountRow): string {
	const usage = row.problem ?? (row.planEnabled ? 'plan usage on' : 'plan usage off (identity only)');
	return [row.email ?? row.label, row.plan ? `${row.plan} plan` : undefined, usage].filter(Boolean).join(' · ');
}

export async function loadHomeSummary(home: string, env: Env, now: () => number): Promise<HomeSummary> {
	const [snapshot, report, warnings] = await Promise.all([createAccountsApi(home, now).list(), gatherQuota({home, env, now, offline: true}), stateWarnings(home)]);
	const activeProvider = snapshot.activeProvider;
	const account = activeProvider ? snapshot.providers.find((p) => p.provider === activeProvider)?.accounts.find((a) => a.fileActive) : undefined;
	const known = report.providers.some((p) => p.accounts.some((a) => a.windows.length > 0));
	const chatgpt = snapshot.providers.find((p) => p.provider === 'openai')?.accounts.find((a) => a.fileActive && a.kind === 'oauth');
	return {
		...(activeProvider ? {activeProvider} : {}),
		...(account ? {account} : {}),
		decision: report.selection?.summary ?? 'no decision: preferences could not be read',
		...(known ? {quota: formatQuotaLine(report)} : {}),
		accountCount: snapshot.providers.reduce((n, p) => n + p.accounts.length, 0),
		...(warnings.length > 0 ? {warnings} : {}),
		...(chatgpt ? {chatgpt} : {}),
		planNotice: Boolean(chatgpt?.planEnabled && !chatgpt.problem && !snapshot.preferences.chatgptPlanNoticeAt),
	};
}

/** The plain summary `tui` prints without a terminal. */
export function formatHomePlain(summary: HomeSummary, now: number): string {
	const lines: string[] = [];
	if (summary.activeProvider) {
		const who = summary.account ? `${summary.account.label} (${accountDetails(summary.account, now)})` : 'no stored account';
		lines.push(`Active: ${PROVIDER_NAMES[summary.activeProvider]} / ${who}`);
	} else lines.push('Active: no provider chosen (tui auth switch PROVIDER)');
	if (summary.chatgpt) lines.push(`ChatGPT: ${chatgptAccountLine(summary.chatgpt)}`);
	lines.push(`Selection: ${summary.decision}`);
	if (summary.quota) lines.push(`Quota: ${summary.quota}`);
	for (const warning of summary.warnings ?? []) lines.push(`Warning: ${warning}`);
	lines.push('Commands: tui auth switch · tui auth login · tui auth fallback · tui quota · tui auth logout');
	return `${lines.join('\n')}\n`;
}
