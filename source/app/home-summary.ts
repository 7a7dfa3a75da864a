// What the home screen shows: the preferred provider and its account, the selection decision with its reason,
// and the quota figures when anything is known. Offline: cached usage and header snapshots only, so opening
// `tui` never waits on the network. The words are ui/screens/home/home-text.ts's.
import type {ProviderId} from '../core/schemas.js';
import type {Env} from '../providers/config-env.js';
import type {QuotaReport} from '../store/quota.js';
import {stateWarnings} from '../store/state-warnings.js';
import {createAccountsApi, type AccountRow} from './accounts.js';
import {gatherQuota} from './quota.js';

export type HomeSummary = {
	/** The provider selection prefers: the saved one, else the first usable in the fallback order. */
	readonly activeProvider?: ProviderId;
	/** The active provider's active stored account. */
	readonly account?: AccountRow;
	/** summarizeDecision's line: "using Claude / work-key: preferred, usable". */
	readonly decision: string;
	/** The quota figures, when any window is known. */
	readonly quota?: QuotaReport;
	readonly accountCount: number;
	/** Damaged files set aside, accounts this version cannot read: one line each. */
	readonly warnings?: readonly string[];
	/** The active ChatGPT sign-in, whichever provider is active: who, which plan, plan usage on or off. */
	readonly chatgpt?: AccountRow;
	/** Show the one-time "You're using your ChatGPT plan" notice: plan usage is on and it was never acknowledged. */
	readonly planNotice: boolean;
};

export async function loadHomeSummary(home: string, env: Env, now: () => number): Promise<HomeSummary> {
	const [snapshot, report, warnings] = await Promise.all([
		createAccountsApi(home, now).list(),
		gatherQuota({home, env, now, offline: true}),
		stateWarnings(home),
	]);
	const activeProvider = report.selection?.preferred ?? snapshot.activeProvider;
	const account = activeProvider
		? snapshot.providers.find((p) => p.provider === activeProvider)?.accounts.find((a) => a.fileActive)
		: undefined;
	const known = report.providers.some((p) => p.accounts.some((a) => a.windows.length > 0));
	const chatgpt = snapshot.providers
		.find((p) => p.provider === 'openai')
		?.accounts.find((a) => a.fileActive && a.kind === 'oauth');
	return {
		...(activeProvider ? {activeProvider} : {}),
		...(account ? {account} : {}),
		decision: report.selection?.summary ?? 'no decision: preferences could not be read',
		...(known ? {quota: report} : {}),
		accountCount: snapshot.providers.reduce((n, p) => n + p.accounts.length, 0),
		...(warnings.length > 0 ? {warnings} : {}),
		...(chatgpt ? {chatgpt} : {}),
		planNotice: Boolean(chatgpt?.planEnabled && !chatgpt.problem && !snapshot.preferences.chatgptPlanNoticeAt),
	};
}
