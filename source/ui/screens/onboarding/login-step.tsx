// Step 5: sign in by the chosen method with visible progress. Methods: browser, paste
// (OAuth through services.startLogin), API key (masked, validated before it is saved) and Claude
// Code delegation, then (with consent) Claude Code's status line for the quota. Every failure offers retry
// (unless it was a refusal), another method, or back. A finished sign-in says who is signed in before it hands back.
import {useEffect, useState, type ReactNode} from 'react';
import {Box, Text} from 'ink';
import {useKeys} from '../../hooks/use-keys.js';
import {PROVIDER_NAMES, type ProviderId} from '../../../core/schemas.js';
import {Frame} from '../../components/frame.js';
import {KeyHints} from '../../components/key-hints.js';
import {MaskedInput, useMaskedInput} from '../../components/masked-input.js';
import {SelectList, useSelectList, type SelectItem} from '../../components/select-list.js';
import {Spinner, useTicker} from '../../components/spinner.js';
import {UrlBlock} from '../../components/url-block.js';
import {errorMessage, useTask} from '../../hooks/use-task.js';
import {isBack, LIST_HINTS, type Hint} from '../../keymap.js';
import {useServices, type Detected, type LoginEvent, type LoginHandle, type LoginMethod, type SavedAccount, type StatusLineOffer} from '../../services.js';
import {useTheme} from '../../theme.js';
import {signedInLine} from '../accounts/account-text.js';
import type {Need} from './state.js';

export type Method = LoginMethod | 'api-key' | 'claude-code';

const METHOD_LABELS: Readonly<Record<Method, string>> = {
	browser: 'Browser sign-in',
	paste: 'Paste the callback (open the URL on any machine, paste the address it lands on)',
	'api-key': 'API key',
	'claude-code': 'Sign in through Claude Code (official `claude` CLI)',
};

/** The OAuth methods each provider's sign-in supports: neither offers a device code. */
export const OAUTH_METHODS: Readonly<Record<ProviderId, readonly LoginMethod[]>> = {
	openai: ['browser', 'paste'],
	claude: ['browser', 'paste'],
};

/** The methods for this credential, with the reason where one cannot be used here. */
export function methodItems(provider: ProviderId, need: Need, detected: Detected | undefined, claudeOAuthConfigured: boolean): SelectItem<Method>[] {
	if (need === 'api') return [{value: 'api-key', label: METHOD_LABELS['api-key']}];
	const oauth = OAUTH_METHODS[provider];
	// OpenAI asks that the action be labelled "Continue with ChatGPT".
	if (provider === 'openai') return oauth.map((method) => ({value: method, label: method === 'browser' ? 'Continue with ChatGPT (opens your browser)' : METHOD_LABELS[method]}));
	const cli = detected?.claudeCli;
	const delegation: SelectItem<Method> = {
		value: 'claude-code',
		label: METHOD_LABELS['claude-code'],
		disabled: !cli ? 'the `claude` CLI was not found; install Claude Code first' : cli.supportsAuth ? undefined : 'update Claude Code (v2.1.41+ has `claude auth`)',
	};
	const hostClient = 'needs a Claude OAuth client registered by your host app';
	return [delegation, ...oauth.map((method) => ({value: method, label: METHOD_LABELS[method], disabled: claudeOAuthConfigured ? undefined : hostClient}))];
}

type Phase =
	| {readonly kind: 'choose'}
	| {readonly kind: 'api-key'}
	| {readonly kind: 'oauth'; readonly method: LoginMethod}
	| {readonly kind: 'claude-code'}
	| {readonly kind: 'status-line'; readonly account: SavedAccount; readonly offer: StatusLineOffer}
	| {readonly kind: 'failed'; readonly method: Method; readonly reason: string; readonly refused: boolean}
	| {readonly kind: 'signed-in'; readonly account: SavedAccount};

type FailureChoice = 'retry' | 'other' | 'back';

function firstPhase(method: Method): Phase {
	switch (method) {
		case 'api-key':
			return {kind: 'api-key'};
		case 'claude-code':
			return {kind: 'claude-code'};
		case 'browser':
		case 'paste':
			return {kind: 'oauth', method};
		default: {
			const unreachable: never = method;
			return unreachable;
		}
	}
}

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

const URL_HINTS: readonly Hint[] = [
	['c', 'copy URL'],
	['o', 'open browser'],
	['esc', 'cancel'],
];

/** The URL a method shows the user. */
function shownUrl(_method: LoginMethod, handle: LoginHandle): string | undefined {
	return handle.authUrl;
}

export function formatCountdown(ms: number): string {
	const total = Math.max(0, Math.ceil(ms / 1000));
	return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

export function LoginStep({
	isActive,
	provider,
	need,
	detected,
	prefillKey,
	onDone,
	onBack,
	onHandover,
	step,
	backLabel = 'Back',
}: {
	readonly isActive: boolean;
	readonly provider: ProviderId;
	readonly need: Need;
	readonly detected?: Detected;
	/** A key from the environment the user chose to use on the welcome step. */
	readonly prefillKey?: string;
	readonly onDone: (account: SavedAccount) => void;
	readonly onBack: () => void;
	/** True while `claude auth login` owns the terminal: every input hook must let go of stdin. */
	readonly onHandover?: (handedOver: boolean) => void;
	/** The step counter in the title, e.g. "5/7" in the wizard. */
	readonly step?: string;
	/** What "back" returns to, e.g. "Back to the comparison". */
	readonly backLabel?: string;
}) {
	const services = useServices();
	const theme = useTheme();
	const methods = methodItems(provider, need, detected, Boolean(services.claudeOAuthConfigured));
	const enabled = methods.filter((item) => !item.disabled);
	const startWith = enabled.length === 1 && methods.length === 1 ? enabled[0]!.value : undefined;
	const [phase, setPhase] = useState<Phase>(startWith ? firstPhase(startWith) : {kind: 'choose'});
	// Over SSH a browser on this machine is out of reach: start on pasting the callback.
	const remote = Boolean(services.env.SSH_CONNECTION || services.env.SSH_TTY);
	const pasteIndex = methods.findIndex((item) => item.value === 'paste' && !item.disabled);
	const preferred = remote && pasteIndex >= 0 ? pasteIndex : Math.max(0, methods.findIndex((item) => !item.disabled));
	const methodList = useSelectList(methods, preferred);
	const keyInput = useMaskedInput(prefillKey ?? '');
	const pasteInput = useMaskedInput('');
	const [handle, setHandle] = useState<LoginHandle | undefined>(undefined);
	const [event, setEvent] = useState<LoginEvent | undefined>(undefined);
	// Whether the browser opened outlives later progress events.
	const [browser, setBrowser] = useState<'opened' | 'failed' | undefined>(undefined);
	const [pasted, setPasted] = useState(false);
	const [note, setNote] = useState<string | undefined>(undefined);
	const [signedIn, setSignedIn] = useState<SavedAccount | undefined>(undefined);
	// Hand back only once the success frame is drawn, so a screen that ends here ends on it.
	useEffect(() => {
		if (signedIn) onDone(signedIn);
	}, [signedIn]); // eslint-disable-line react-hooks/exhaustive-deps
	const finish = (account: SavedAccount | undefined) => {
		if (account) setSignedIn(account);
	};


	const apiKey = useTask(async (signal, key: string) => {
		const result = await services.validateApiKey(provider, key, signal);
		if (!result.ok) throw new Error(result.reason);
		signal.throwIfAborted();
		return services.saveApiKeyAccount(provider, key);
	});

	const oauth = useTask(async (signal, method: LoginMethod) => {
		const started = await services.startLogin(provider, {
			method,
			signal,
			onEvent: (next) => {
				if (signal.aborted) return;
				setEvent(next);
				if (next.type === 'browser-opened') setBrowser('opened');
				if (next.type === 'browser-failed') setBrowser('failed');
			},
		});
		if (signal.aborted) {
			started.cancel();
			signal.throwIfAborted();
		}
		setHandle(started);
		signal.addEventListener('abort', () => started.cancel(), {once: true});
		return started.done;
	});

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
	const statusLineInstall = useTask(async (_signal, offer: StatusLineOffer) => offer.install());
	// While Claude Code runs at the terminal this step reads nothing (Ink then releases stdin).
	const handedOver = phase.kind === 'claude-code' && delegation.state.status === 'running';

	const start = (method: Method) => {
		setNote(undefined);
		const next = firstPhase(method);
		setPhase(next);
		if (next.kind === 'oauth') {
			setHandle(undefined);
			setEvent(undefined);
			setBrowser(undefined);
			setPasted(false);
			pasteInput.set('');
			void oauth.run(next.method).then(finish);
		}
		if (next.kind === 'claude-code')
			void delegation.run().then((result) => {
				if (!result) return;
				if (result.offer) setPhase({kind: 'status-line', account: result.account, offer: result.offer});
				else finish(result.account);
			});
	};

	// A failed task turns its phase into the failure menu (derived, so nothing is set during render).
	const failedTask =
		phase.kind === 'oauth' ? oauth.state : phase.kind === 'claude-code' ? delegation.state : phase.kind === 'api-key' ? apiKey.state : undefined;
	const view: Phase = signedIn
		? {kind: 'signed-in', account: signedIn}
		: failedTask?.status === 'failed' && phase.kind !== 'choose' && phase.kind !== 'failed' && phase.kind !== 'signed-in' && phase.kind !== 'status-line'
			? {kind: 'failed', method: phase.kind === 'oauth' ? phase.method : phase.kind, reason: failedTask.error, refused: Boolean(failedTask.refused)}
			: phase;

	// A refusal would only be refused again: no "Try again" then.
	const failureItems: SelectItem<FailureChoice>[] = [
		...(view.kind === 'failed' && view.refused ? [] : [{value: 'retry' as const, label: 'Try again'}]),
		...(methods.length > 1 ? [{value: 'other' as const, label: 'Use another method'}] : []),
		{value: 'back', label: backLabel},
	];
	const failureList = useSelectList(failureItems, 0);

	const leaveMethod = () => {
		oauth.reset();
		delegation.reset();
		apiKey.reset();
		if (methods.length > 1) setPhase({kind: 'choose'});
		else onBack();
	};

	useKeys(
		(input, key) => {
			switch (view.kind) {
				case 'choose': {
					if (isBack(input, key)) return onBack();
					const result = methodList.handleKey(input, key);
					if (result.handled) setNote(result.blocked);
					if (result.chosen) start(result.chosen);
					return;
				}
				case 'api-key': {
					if (apiKey.state.status === 'running') {
						if (isBack(input, key)) apiKey.reset();
						return;
					}
					if (isBack(input, key)) return leaveMethod();
					const result = keyInput.handleKey(input, key);
					if (result.submitted) void apiKey.run(result.submitted).then(finish);
					return;
				}
				case 'oauth': {
					if (isBack(input, key)) return leaveMethod();
					const url = handle ? shownUrl(view.method, handle) : undefined;
					if (url && view.method !== 'paste' && (input === 'c' || input === 'o')) {
						if (input === 'c') {
							services.copyToClipboard?.(url);
							setNote('Copied the URL to the clipboard.');
							return;
						}
						setNote('Opening your browser…');
						void (services.openUrl?.(provider, url) ?? Promise.resolve(false)).then((opened) =>
							setNote(opened ? 'Opened the URL in your browser again.' : 'No browser could be opened here: copy the URL instead.'),
						);
						return;
					}
					if (view.method === 'paste' && handle?.submitPaste && !pasted) {
						const result = pasteInput.handleKey(input, key);
						if (result.submitted) {
							setPasted(true);
							setNote(undefined);
							// A wrong paste is refused and the flow keeps waiting: say why and take another.
							void Promise.resolve(handle.submitPaste(result.submitted)).catch((error: unknown) => {
								setPasted(false);
								pasteInput.set('');
								setNote(errorMessage(error));
							});
						}
					}
					return;
				}
				case 'claude-code':
					if (isBack(input, key)) leaveMethod();
					return;
				case 'status-line': {
					if (statusLineInstall.state.status === 'running') return;
					if (input === 'y' || input === 'Y') {
						void statusLineInstall.run(view.offer).then((done) => (done ? finish(view.account) : undefined));
						return;
					}
					// Declining (n, Esc) keeps the sign-in: nothing is written.
					if (input === 'n' || input === 'N' || isBack(input, key)) finish(view.account);
					return;
				}
				case 'signed-in':
					return;
				case 'failed': {
					if (isBack(input, key)) return onBack();
					const result = failureList.handleKey(input, key);
					if (result.chosen === 'retry') {
						oauth.reset();
						delegation.reset();
						apiKey.reset();
						keyInput.set('');
						failureList.setHighlighted(0);
						start(view.method);
					} else if (result.chosen === 'other') {
						oauth.reset();
						delegation.reset();
						apiKey.reset();
						failureList.setHighlighted(0);
						setPhase({kind: 'choose'});
					} else if (result.chosen === 'back') onBack();
					return;
				}
				default: {
					const unreachable: never = view;
					return unreachable;
				}
			}
		},
		{isActive: isActive && !handedOver},
	);

	const title = `${need === 'api' ? 'Add your' : 'Sign in to'} ${PROVIDER_NAMES[provider]}${need === 'api' ? ' API key' : ''}`;
	let body: ReactNode;
	let hints: readonly Hint[] = LIST_HINTS;
	switch (view.kind) {
		case 'choose':
			body = (
				<>
					<Text>How do you want to sign in?</Text>
					<SelectList items={methods} highlighted={methodList.highlighted} />
				</>
			);
			break;
		case 'api-key':
			hints = apiKey.state.status === 'running' ? [['esc', 'cancel']] : [['enter', 'validate and save'], ['esc', 'back']];
			body = (
				<>
					<Text wrap="wrap">{`Paste your ${PROVIDER_NAMES[provider]} API key. It is checked with ${PROVIDER_NAMES[provider]} before it is saved, and never shown.`}</Text>
					<MaskedInput label="Key:" value={keyInput.value} placeholder="paste it here" />
					{apiKey.state.status === 'running' ? <Spinner label={`Checking the key with ${PROVIDER_NAMES[provider]}…`} /> : null}
				</>
			);
			break;
		case 'oauth':
			hints = handle && view.method !== 'paste' && (services.copyToClipboard || services.openUrl) ? URL_HINTS.filter(([keys]) => (keys === 'c' ? services.copyToClipboard : keys === 'o' ? services.openUrl : true)) : [['esc', 'cancel']];
			if (view.method === 'paste' && handle?.submitPaste && !pasted) hints = [['enter', 'submit'], ['esc', 'cancel']];
			body = <OAuthProgress method={view.method} handle={handle} event={event} browser={browser} pasteValue={pasteInput.value} pasted={pasted} />;
			break;
		case 'claude-code':
			hints = [['esc', 'cancel']];
			body = (
				<>
					<Text wrap="wrap">Signing in through Claude Code (`claude auth login --claudeai` if it is not signed in yet).</Text>
					{/* No spinner: Claude Code may own the terminal now, and a redraw would cut into its screen. */}
					<Text color={theme.muted}>tui records the account; it never reads Claude Code's token files.</Text>
				</>
			);
			break;
		case 'status-line':
			hints = statusLineInstall.state.status === 'running' ? [] : [['y', 'add it'], ['n', 'skip']];
			body = (
				<>
					<Text wrap="wrap">{`✓ Signed in through Claude Code as ${view.account.label}. Show your Claude 5-hour and weekly windows in Claude Code's status line, and let tui use them for quota and fallback?`}</Text>
					{view.offer.lines.map((line, index) => (
						<Text key={index} color={line.startsWith('  +') ? theme.success : line.startsWith('  -') ? theme.muted : undefined} wrap="wrap">
							{line}
						</Text>
					))}
					{statusLineInstall.state.status === 'failed' ? <Text color={theme.danger} wrap="wrap">{`✗ ${statusLineInstall.state.error}; press n to go on without it`}</Text> : null}
				</>
			);
			break;
		case 'signed-in':
			hints = [];
			body = <Text color={theme.success} wrap="wrap">{`✓ ${signedInLine(view.account)}`}</Text>;
			break;
		case 'failed':
			body = (
				<>
					<Text color={theme.danger} wrap="wrap">{`✗ ${view.reason}`}</Text>
					<SelectList items={failureItems} highlighted={failureList.highlighted} />
				</>
			);
			break;
		default: {
			const unreachable: never = view;
			body = unreachable;
		}
	}

	return (
		<Frame title={title} step={step} footer={hints.length > 0 ? <KeyHints hints={hints} note={note ? (view.kind === 'choose' ? `Unavailable: ${note}` : note) : undefined} /> : undefined}>
			{body}
		</Frame>
	);
}

function OAuthProgress({
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
	readonly browser: 'opened' | 'failed' | undefined;
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
				<Text wrap="wrap">Open this URL in any browser and sign in, then paste the whole address it lands on (or the code it shows):</Text>
				<UrlBlock url={handle.authUrl ?? ''} />
				{pasted ? <Spinner label={`${event ? EVENT_TEXT[event.type] : 'Checking the code…'}  ${left}`} /> : <MaskedInput label="Code:" value={pasteValue} placeholder="paste it here" />}
			</Box>
		);
	}
	const progress = event && event.type !== 'browser-opened' && event.type !== 'browser-failed' && event.type !== 'listening' ? EVENT_TEXT[event.type] : EVENT_TEXT.waiting;
	return (
		<Box flexDirection="column">
			<Text>{browser === 'opened' ? 'Opened your browser: finish signing in there.' : browser === 'failed' ? 'Could not open a browser.' : 'Opening your browser…'}</Text>
			<Text color={browser === 'failed' ? theme.warning : theme.muted}>
				{browser === 'failed' ? 'The browser did not open. Copy this URL into one:' : 'If it did not open, copy this URL into a browser:'}
			</Text>
			<UrlBlock url={handle.authUrl ?? ''} />
			{/* Only when no browser opened: then the user may be on another machine. */}
			{handle.remoteHint && browser === 'failed' ? <Text color={theme.muted} wrap="wrap">{handle.remoteHint}</Text> : null}
			<Spinner label={`${progress}  ${left}`} />
		</Box>
	);
}
