// Sign-in through the official `claude` CLI: while `claude auth login` owns the terminal this step reads
// nothing (Ink then releases stdin). Afterwards, with consent, Claude Code's status line feeds the quota.
import {Text} from 'ink';
import {useEffect} from 'react';
import {useKeys} from '../../../hooks/use-keys.js';
import {useTask} from '../../../hooks/use-task.js';
import {isBack} from '../../../keymap.js';
import {useServices, type SavedAccount, type StatusLineOffer} from '../../../services.js';
import {useTheme} from '../../../theme.js';
import {LoginFrame, type LoginFrameProps, type MethodProps} from './login-frame.js';
import {useReportFailure} from './report-failure.js';

export function ClaudeCodeMethod({
	isActive,
	frame,
	onHandover,
	onSignedIn,
	onOffer,
	onFailed,
	onLeave,
}: MethodProps & {
	/** True while `claude auth login` owns the terminal: every input hook must let go of stdin. */
	readonly onHandover?: (handedOver: boolean) => void;
	readonly onOffer: (account: SavedAccount, offer: StatusLineOffer) => void;
}) {
	const services = useServices();
	const theme = useTheme();
	const delegation = useTask(async (signal) => {
		onHandover?.(true);
		try {
			const account = await services.delegateToClaudeCode(signal);
			// The offer never fails the sign-in: a settings file we cannot edit just means no offer.
			const offer = await services.offerClaudeStatusLine?.().catch(() => undefined);
			return {account, offer};
		} finally {
			onHandover?.(false);
		}
	});
	useReportFailure(delegation.state, onFailed);
	const run = delegation.run;
	useEffect(() => {
		void run().then((result) => {
			if (!result) return;
			if (result.offer) onOffer(result.account, result.offer);
			else onSignedIn(result.account);
		});
		// One delegation per mount: a new attempt is a new mount.
	}, [run]); // eslint-disable-line react-hooks/exhaustive-deps

	useKeys(
		(input, key) => {
			if (isBack(input, key)) onLeave();
		},
		{isActive: isActive && delegation.state.status !== 'running'},
	);

	return (
		<LoginFrame frame={frame} hints={[['esc', 'cancel']]}>
			<Text wrap="wrap">
				Signing in through Claude Code (`claude auth login --claudeai` if it is not signed in yet).
			</Text>
			{/* No spinner: Claude Code may own the terminal now, and a redraw would cut into its screen. */}
			<Text color={theme.muted}>tui records the account; it never reads Claude Code's token files.</Text>
		</LoginFrame>
	);
}

/** The exact change to Claude Code's settings, shown before consent: y writes it, n or Esc keeps the sign-in without it. */
export function StatusLineConsent({
	isActive,
	frame,
	account,
	offer,
	onDone,
}: {
	readonly isActive: boolean;
	readonly frame: LoginFrameProps;
	readonly account: SavedAccount;
	readonly offer: StatusLineOffer;
	readonly onDone: (account: SavedAccount) => void;
}) {
	const theme = useTheme();
	const install = useTask(async (_signal) => offer.install());
	const running = install.state.status === 'running';
	useKeys(
		(input, key) => {
			if (running) return;
			if (input === 'y' || input === 'Y') {
				void install.run().then((done) => (done ? onDone(account) : undefined));
				return;
			}
			// Declining (n, Esc) keeps the sign-in: nothing is written.
			if (input === 'n' || input === 'N' || isBack(input, key)) onDone(account);
		},
		{isActive},
	);
	return (
		<LoginFrame
			frame={frame}
			hints={
				running
					? []
					: [
							['y', 'add it'],
							['n', 'skip'],
						]
			}
		>
			<Text wrap="wrap">{`✓ Signed in through Claude Code as ${account.label}. Show your Claude 5-hour and weekly windows in Claude Code's status line, and let tui use them for quota and fallback?`}</Text>
			{offer.lines.map((line, index) => (
				<Text
					key={index}
					color={line.startsWith('  +') ? theme.success : line.startsWith('  -') ? theme.muted : undefined}
					wrap="wrap"
				>
					{line}
				</Text>
			))}
			{install.state.status === 'failed' ? (
				<Text color={theme.danger} wrap="wrap">{`✗ ${install.state.error}; press n to go on without it`}</Text>
			) : null}
		</LoginFrame>
	);
}
