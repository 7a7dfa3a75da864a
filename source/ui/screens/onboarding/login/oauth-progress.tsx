// What a running OAuth sign-in shows: the URL, where the flow is, and the time left.
import {Box, Text} from 'ink';
import {MaskedInput} from '../../../components/masked-input.js';
import {Spinner, useTicker} from '../../../components/spinner.js';
import {UrlBlock} from '../../../components/url-block.js';
import {useServices, type LoginEvent, type LoginHandle, type LoginMethod} from '../../../services.js';
import {useTheme} from '../../../theme.js';

export type BrowserOpen = 'opened' | 'failed' | undefined;

const EVENT_TEXT: Readonly<Record<LoginEvent['type'], string>> = {
	listening: 'Starting the local sign-in listener…',
	'browser-opened': 'Your browser is open: finish signing in there.',
	'browser-failed': 'Could not open a browser: open the URL below yourself.',
	waiting: 'Waiting for you to finish signing in…',
	callback: 'Got the answer from the provider…',
	exchanging: 'Exchanging the code for tokens…',
	stored: 'Saved.',
	failed: 'Sign-in failed.',
};

export function formatCountdown(ms: number): string {
	const total = Math.max(0, Math.ceil(ms / 1000));
	return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** The progress line of a browser sign-in: what the browser did is shown above it, not here. */
function browserProgress(event: LoginEvent | undefined): string {
	return event && event.type !== 'browser-opened' && event.type !== 'browser-failed' && event.type !== 'listening'
		? EVENT_TEXT[event.type]
		: EVENT_TEXT.waiting;
}

export function OAuthProgress({
	method,
	handle,
	event,
	browser,
	pasteValue,
	pasted,
}: {
	readonly method: LoginMethod;
	readonly handle: LoginHandle | undefined;
	readonly event: LoginEvent | undefined;
	readonly browser: BrowserOpen;
	readonly pasteValue: string;
	readonly pasted: boolean;
}) {
	const services = useServices();
	const theme = useTheme();
	useTicker(1000, Boolean(handle));
	if (!handle) return <Spinner label={method === 'browser' ? 'Opening your browser…' : 'Starting sign-in…'} />;
	const left = `times out in ${formatCountdown(handle.expiresAt - services.now())}`;
	if (method === 'paste') {
		return (
			<Box flexDirection="column">
				<Text wrap="wrap">
					Open this URL in any browser and sign in, then paste the whole address it lands on (or the code it shows):
				</Text>
				<UrlBlock url={handle.authUrl ?? ''} />
				{pasted ? (
					<Spinner label={`${event ? EVENT_TEXT[event.type] : 'Checking the code…'}  ${left}`} />
				) : (
					<MaskedInput label="Code:" value={pasteValue} placeholder="paste it here" />
				)}
			</Box>
		);
	}
	return (
		<Box flexDirection="column">
			<Text>
				{browser === 'opened'
					? 'Opened your browser: finish signing in there.'
					: browser === 'failed'
						? 'Could not open a browser.'
						: 'Opening your browser…'}
			</Text>
			<Text color={browser === 'failed' ? theme.warning : theme.muted}>
				{browser === 'failed'
					? 'The browser did not open. Copy this URL into one:'
					: 'If it did not open, copy this URL into a browser:'}
			</Text>
			<UrlBlock url={handle.authUrl ?? ''} />
			{/* Only when no browser opened: then the user may be on another machine. */}
			{handle.remoteHint && browser === 'failed' ? (
				<Text color={theme.muted} wrap="wrap">
					{handle.remoteHint}
				</Text>
			) : null}
			<Spinner label={`${browserProgress(event)}  ${left}`} />
		</Box>
	);
}
