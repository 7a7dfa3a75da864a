// <QuotaPanel/>: compact quota blocks a host app can place anywhere. Data comes through props; it never owns
// the terminal (no input handling, no process access), so it can sit inside the host's own Ink tree.
import {Box, Text} from 'ink';
import type {AlertLevel} from '../../../core/quota.js';
import type {AccountQuota, ProviderQuota, QuotaReport, WindowView} from '../../../store/quota.js';
import {makeTheme, type Theme} from '../../theme.js';
import {
	accountHeading,
	bucketsLine,
	chatgptLines,
	describeAge,
	levelMarker,
	orderedProviders,
	spendLine,
	windowLines,
} from './quota-text.js';

export type QuotaPanelProps = {
	readonly report: QuotaReport;
	/** Width to lay out for; default 80. Bars halve below 80 columns. */
	readonly columns?: number;
	/** False under NO_COLOR; markers carry the meaning either way. Default true. */
	readonly color?: boolean;
	/** For reset clock times; default the host's zone. */
	readonly timeZone?: string;
	/** Only the active account of each provider, and no spend lines. */
	readonly compact?: boolean;
	/** Show the selection line and alerts under the blocks. Default true. */
	readonly showSelection?: boolean;
};

function levelColor(theme: Theme, level: AlertLevel): string | undefined {
	if (level === 'exhausted' || level === 'critical') return theme.danger;
	if (level === 'warning') return theme.warning;
	return theme.success;
}

function WindowBlock({
	window,
	now,
	columns,
	theme,
	timeZone,
}: {
	readonly window: WindowView;
	readonly now: number;
	readonly columns: number;
	readonly theme: Theme;
	readonly timeZone?: string;
}) {
	const l = windowLines(window, now, columns, timeZone);
	const color = levelColor(theme, window.level);
	return (
		<Box flexDirection="column">
			<Box>
				<Box width={9} flexShrink={0}>
					<Text>{l.name}</Text>
				</Box>
				<Text color={color}>{l.bar}</Text>
				<Text> {l.used}</Text>
				{l.marker ? <Text color={color} bold={theme.color}>{`  ${l.marker}`}</Text> : null}
			</Box>
			<Box paddingLeft={9}>
				<Text color={window.stale ? theme.warning : theme.muted} wrap="wrap">
					{l.detail}
				</Text>
			</Box>
		</Box>
	);
}

function AccountBlock({
	account,
	now,
	columns,
	theme,
	timeZone,
	compact,
}: {
	readonly account: AccountQuota;
	readonly now: number;
	readonly columns: number;
	readonly theme: Theme;
	readonly timeZone?: string;
	readonly compact: boolean;
}) {
	const buckets = bucketsLine(account);
	const spendMarker = levelMarker(account.spend.level);
	return (
		<Box flexDirection="column" paddingLeft={2}>
			<Text bold={theme.color && account.active}>{accountHeading(account)}</Text>
			<Box flexDirection="column" paddingLeft={2}>
				{account.note ? <Text color={theme.muted}>{account.note}</Text> : null}
				{chatgptLines(account, now, {link: theme.color, ...(timeZone ? {timeZone} : {})}).map((line) => (
					<Text key={line} wrap="wrap">
						{line}
					</Text>
				))}
				{account.windows.map((w) => (
					<WindowBlock
						key={w.name}
						window={w}
						now={now}
						columns={columns}
						theme={theme}
						{...(timeZone ? {timeZone} : {})}
					/>
				))}
				{buckets ? (
					<Text color={theme.muted} wrap="wrap">
						{`${buckets} (${describeAge('headers', now - account.rateLimits!.observedAt)})`}
					</Text>
				) : null}
				{account.error ? (
					<Text color={account.status === 'stale' ? theme.warning : theme.muted} wrap="wrap">
						{`${account.status === 'stale' ? 'stale: ' : ''}${account.error}`}
					</Text>
				) : null}
				{compact ? null : (
					<Text color={spendMarker ? levelColor(theme, account.spend.level) : undefined} wrap="wrap">
						{spendLine(account)}
					</Text>
				)}
			</Box>
		</Box>
	);
}

function ProviderBlock({
	provider,
	...rest
}: {
	readonly provider: ProviderQuota;
	readonly now: number;
	readonly columns: number;
	readonly theme: Theme;
	readonly timeZone?: string;
	readonly compact: boolean;
}) {
	const accounts = rest.compact ? provider.accounts.filter((a) => a.active).slice(0, 1) : provider.accounts;
	return (
		<Box flexDirection="column" marginBottom={1}>
			<Text bold={rest.theme.color} color={rest.theme.accent}>
				{provider.name}
			</Text>
			{provider.error ? (
				<Box paddingLeft={2}>
					<Text color={rest.theme.danger} wrap="wrap">
						{provider.error}
					</Text>
				</Box>
			) : null}
			{accounts.length === 0 && !provider.error ? (
				<Box paddingLeft={2}>
					<Text color={rest.theme.muted}>no account</Text>
				</Box>
			) : null}
			{accounts.map((a) => (
				<AccountBlock key={a.id} account={a} {...rest} />
			))}
		</Box>
	);
}

export function QuotaPanel({
	report,
	columns = 80,
	color = true,
	timeZone,
	compact = false,
	showSelection = true,
}: QuotaPanelProps) {
	const theme = makeTheme(color);
	const width = Math.max(40, columns);
	return (
		<Box flexDirection="column" width={width}>
			{orderedProviders(report).map((p) => (
				<ProviderBlock
					key={p.provider}
					provider={p}
					now={report.generatedAt}
					columns={width}
					theme={theme}
					compact={compact}
					{...(timeZone ? {timeZone} : {})}
				/>
			))}
			{showSelection && report.selection ? (
				<Text
					wrap="wrap"
					color={report.selection.ok ? undefined : theme.danger}
				>{`selection: ${report.selection.summary}`}</Text>
			) : null}
			{showSelection
				? report.alerts.map((a) => (
						<Text key={`${a.provider}/${a.account}/${a.kind}/${a.name}`} color={levelColor(theme, a.level)} wrap="wrap">
							{`alert: ${a.message}`}
						</Text>
					))
				: null}
			{report.notes.map((note) => (
				<Text key={note} color={theme.warning} wrap="wrap">{`note: ${note}`}</Text>
			))}
		</Box>
	);
}
