// The home screen's words, shared by the screen and the plain summary `tui` prints without a terminal.
import {PROVIDER_NAMES} from '../../../core/schemas.js';
import type {AccountRow} from '../../../app/accounts.js';
import type {HomeSummary} from '../../../app/home-summary.js';
import {accountDetails} from '../accounts/account-text.js';
import {formatQuotaLine} from '../quota/quota-text.js';

/** "me@example.com · plus plan · plan usage on". */
export function chatgptAccountLine(row: AccountRow): string {
	const usage = row.problem ?? (row.planEnabled ? 'plan usage on' : 'plan usage off (identity only)');
	return [row.email ?? row.label, row.plan ? `${row.plan} plan` : undefined, usage].filter(Boolean).join(' · ');
}

/** "claude 43% 5h · 71% wk │ openai 12% 5h", when any window is known. */
export function homeQuotaLine(summary: HomeSummary): string | undefined {
	return summary.quota ? formatQuotaLine(summary.quota) : undefined;
}

/** The plain summary `tui` prints without a terminal. */
export function formatHomePlain(summary: HomeSummary, now: number): string {
	const lines: string[] = [];
	if (summary.activeProvider) {
		const who = summary.account
			? `${summary.account.label} (${accountDetails(summary.account, now)})`
			: 'no stored account';
		lines.push(`Active: ${PROVIDER_NAMES[summary.activeProvider]} / ${who}`);
	} else lines.push('Active: no provider chosen (tui auth switch PROVIDER)');
	if (summary.chatgpt) lines.push(`ChatGPT: ${chatgptAccountLine(summary.chatgpt)}`);
	lines.push(`Selection: ${summary.decision}`);
	const quota = homeQuotaLine(summary);
	if (quota) lines.push(`Quota: ${quota}`);
	for (const warning of summary.warnings ?? []) lines.push(`Warning: ${warning}`);
	lines.push('Commands: tui auth switch · tui auth login · tui auth fallback · tui quota · tui auth logout');
	return `${lines.join('\n')}\n`;
}
