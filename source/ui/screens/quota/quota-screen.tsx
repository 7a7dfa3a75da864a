// The `tui quota` screen: the panel, a status line, and keys (r refresh, q/esc quit). Owns the terminal,
// so the command renders it only with a TTY; the data comes from `load`, which the command wires.
import {useCallback, useEffect, useRef, useState} from 'react';
import {Box, Text, useApp} from 'ink';
import {SandboxBanner} from '../../components/frame.js';
import {useKeys} from '../../hooks/use-keys.js';
import type {QuotaReport} from '../../../store/quota.js';
import {makeTheme} from '../../theme.js';
import {QuotaPanel} from './quota-panel.js';

export type QuotaScreenProps = {
	readonly load: () => Promise<QuotaReport>;
	/** A report already gathered (first frame without waiting). */
	readonly initial?: QuotaReport;
	readonly columns?: number;
	readonly color?: boolean;
	readonly timeZone?: string;
	/** Re-gather every this many ms (--watch); off when undefined. */
	readonly intervalMs?: number;
	readonly onExit?: () => void;
	/** Under --sandbox: the banner every sandbox screen shows. */
	readonly sandbox?: {readonly home: string; readonly throwaway: boolean};
};

export const QUOTA_HINTS = 'r refresh · q quit';

export function QuotaScreen({load, initial, columns = 80, color = true, timeZone, intervalMs, onExit, sandbox}: QuotaScreenProps) {
	const {exit} = useApp();
	const theme = makeTheme(color);
	const [report, setReport] = useState<QuotaReport | undefined>(initial);
	const [busy, setBusy] = useState(initial === undefined);
	const [failure, setFailure] = useState<string | undefined>();
	const alive = useRef(true);
	const inFlight = useRef(false);

	const refresh = useCallback(() => {
		if (inFlight.current) return;
		inFlight.current = true;
		setBusy(true);
		load().then(
			(next) => {
				inFlight.current = false;
				if (!alive.current) return;
				setReport(next);
				setFailure(undefined);
				setBusy(false);
			},
			(error: unknown) => {
				inFlight.current = false;
				if (!alive.current) return;
				setFailure(error instanceof Error ? error.message.split('\n')[0] : 'refresh failed');
				setBusy(false);
			},
		);
	}, [load]);

	useEffect(() => {
		alive.current = true;
		if (initial === undefined) refresh();
		return () => {
			alive.current = false;
		};
		// Only on mount: later refreshes come from keys and the interval.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, []);

	useEffect(() => {
		if (!intervalMs) return;
		const timer = setInterval(refresh, intervalMs);
		return () => clearInterval(timer);
	}, [intervalMs, refresh]);

	useKeys((input, key) => {
		if (input === 'r') refresh();
		else if (input === 'q' || key.escape || (key.ctrl && input === 'c')) {
			onExit?.();
			exit();
		}
	});

	return (
		<Box flexDirection="column" width={Math.max(40, columns)} paddingX={1}>
			<SandboxBanner sandbox={sandbox} color={color} />
			<Box marginBottom={1}>
				<Text bold={theme.color} color={theme.accent}>
					Quota
				</Text>
				<Text color={theme.muted}>{busy ? '  refreshing…' : report ? `  as of ${new Date(report.generatedAt).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', ...(timeZone ? {timeZone} : {})})}` : ''}</Text>
			</Box>
			{report ? <QuotaPanel report={report} columns={Math.max(40, columns) - 2} color={color} {...(timeZone ? {timeZone} : {})} /> : <Text color={theme.muted}>loading…</Text>}
			{failure ? <Text color={theme.danger}>{failure}</Text> : null}
			<Box marginTop={1}>
				<Text color={theme.muted}>{intervalMs ? `${QUOTA_HINTS} · refreshes every ${Math.round(intervalMs / 1000)} s` : QUOTA_HINTS}</Text>
			</Box>
		</Box>
	);
}
