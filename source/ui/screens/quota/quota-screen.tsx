// The `tui quota` screen: the panel, a status line, and keys (r refresh, ↑↓ scroll, q/esc quit). Owns the
// terminal, so the command renders it only with a TTY; the data comes from `load`, which the command wires.
// A panel taller than the terminal scrolls under a fixed title and footer.
import {useCallback, useEffect, useRef, useState} from 'react';
import {Box, measureElement, Text, useApp, type DOMElement} from 'ink';
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
	/** Terminal height; the screen fits within it (undefined: no limit). */
	readonly rows?: number;
	readonly color?: boolean;
	readonly timeZone?: string;
	/** Re-gather every this many ms (--watch); off when undefined. */
	readonly intervalMs?: number;
	/** Leaving: with it, the screen hands back (e.g. to the home screen in the same tree) instead of ending the app. */
	readonly onExit?: () => void;
	/** Under --sandbox: the banner every sandbox screen shows. */
	readonly sandbox?: {readonly home: string; readonly throwaway: boolean};
	readonly isActive?: boolean;
};

export const QUOTA_HINTS = 'r refresh · q quit';

/** Title (and its blank line) and footer (blank line, hints): the lines the panel cannot use. */
const CHROME_ROWS = 4;

export function QuotaScreen({
	load,
	initial,
	columns = 80,
	rows,
	color = true,
	timeZone,
	intervalMs,
	onExit,
	isActive = true,
	sandbox,
}: QuotaScreenProps) {
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

	const panel = useRef<DOMElement>(null);
	const [panelHeight, setPanelHeight] = useState(0);
	const [scroll, setScroll] = useState(0);
	// eslint-disable-next-line react-hooks/exhaustive-deps -- measures after every layout; state changes only when the measurement does
	useEffect(() => {
		if (!panel.current) return;
		const height = measureElement(panel.current).height;
		if (height !== panelHeight) setPanelHeight(height);
	});
	const room =
		rows === undefined
			? Number.POSITIVE_INFINITY
			: Math.max(1, rows - 1 - CHROME_ROWS - (failure ? 1 : 0) - (sandbox ? 1 : 0));
	const scrollable = panelHeight > room;
	const maxScroll = scrollable ? panelHeight - room : 0;
	const top = Math.min(scroll, maxScroll);

	useKeys(
		(input, key) => {
			if (input === 'r') refresh();
			else if (key.upArrow) setScroll((n) => Math.max(0, Math.min(n, maxScroll) - 1));
			else if (key.downArrow) setScroll((n) => Math.min(maxScroll, n + 1));
			else if (input === 'q' || key.escape || (key.ctrl && input === 'c')) {
				if (onExit) onExit();
				else exit();
			}
		},
		{isActive},
	);
	const hints = `${scrollable ? '↑↓ scroll · ' : ''}${QUOTA_HINTS}${intervalMs ? ` · refreshes every ${Math.round(intervalMs / 1000)} s` : ''}`;

	return (
		<Box flexDirection="column" width={Math.max(40, columns)} paddingX={1}>
			<SandboxBanner sandbox={sandbox} color={color} />
			<Box marginBottom={1}>
				<Text bold={theme.color} color={theme.accent}>
					Quota
				</Text>
				<Text color={theme.muted}>
					{busy
						? '  refreshing…'
						: report
							? `  as of ${new Date(report.generatedAt).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', ...(timeZone ? {timeZone} : {})})}`
							: ''}
				</Text>
			</Box>
			{failure ? (
				<Text color={theme.danger} wrap="truncate-end">
					{failure}
				</Text>
			) : null}
			<Box flexDirection="column" flexShrink={0} overflowY="hidden" {...(scrollable ? {height: room} : {})}>
				<Box ref={panel} flexDirection="column" flexShrink={0} marginTop={-top}>
					{report ? (
						<QuotaPanel
							report={report}
							columns={Math.max(40, columns) - 2}
							color={color}
							{...(timeZone ? {timeZone} : {})}
						/>
					) : (
						<Text color={theme.muted}>loading…</Text>
					)}
				</Box>
			</Box>
			<Box marginTop={1}>
				<Text color={theme.muted} wrap="truncate-end">
					{scrollable ? `${hints} · lines ${top + 1}–${top + room} of ${panelHeight}` : hints}
				</Text>
			</Box>
		</Box>
	);
}
