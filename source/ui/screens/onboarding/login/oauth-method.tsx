// OAuth sign-in in the browser (loopback) or by pasting the callback: the URL to open, progress and a
// countdown. c copies the URL and o opens the browser again; a wrong paste is refused and another taken.
import {useEffect, useState} from 'react';
import {type ProviderId} from '../../../../core/schemas.js';
import {useMaskedInput} from '../../../components/masked-input.js';
import {useKeys} from '../../../hooks/use-keys.js';
import {errorMessage, useTask} from '../../../hooks/use-task.js';
import {isBack, type Hint} from '../../../keymap.js';
import {useServices, type LoginEvent, type LoginHandle, type LoginMethod, type Services} from '../../../services.js';
import {LoginFrame, type MethodProps} from './login-frame.js';
import {OAuthProgress, type BrowserOpen} from './oauth-progress.js';
import {useReportFailure} from './report-failure.js';

const URL_HINTS: readonly Hint[] = [
	['c', 'copy URL'],
	['o', 'open browser'],
];
const CANCEL: Hint = ['esc', 'cancel'];

function oauthHints(
	services: Services,
	method: LoginMethod,
	handle: LoginHandle | undefined,
	pasting: boolean,
): readonly Hint[] {
	if (pasting) return [['enter', 'submit'], CANCEL];
	if (!handle || method === 'paste') return [CANCEL];
	return [...URL_HINTS.filter(([keys]) => (keys === 'c' ? services.copyToClipboard : services.openUrl)), CANCEL];
}

export function OAuthMethod({
	isActive,
	frame,
	provider,
	method,
	onSignedIn,
	onFailed,
	onLeave,
}: MethodProps & {readonly provider: ProviderId; readonly method: LoginMethod}) {
	const services = useServices();
	const pasteInput = useMaskedInput('');
	const [handle, setHandle] = useState<LoginHandle | undefined>(undefined);
	const [event, setEvent] = useState<LoginEvent | undefined>(undefined);
	// Whether the browser opened outlives later progress events.
	const [browser, setBrowser] = useState<BrowserOpen>(undefined);
	const [pasted, setPasted] = useState(false);
	const [note, setNote] = useState<string | undefined>(undefined);

	const login = useTask(async (signal) => {
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
		// Leaving (Esc, unmount) aborts the task, and that cancels the flow.
		signal.addEventListener('abort', () => started.cancel(), {once: true});
		return started.done;
	});
	useReportFailure(login.state, onFailed);
	const run = login.run;
	useEffect(() => {
		void run().then((account) => account && onSignedIn(account));
		// One flow per mount: a new attempt is a new mount.
	}, [run]); // eslint-disable-line react-hooks/exhaustive-deps

	const pasting = method === 'paste' && Boolean(handle?.submitPaste) && !pasted;
	const url = method === 'paste' ? undefined : handle?.authUrl;

	const urlKey = (input: string, shown: string) => {
		if (input === 'c') {
			services.copyToClipboard?.(shown);
			setNote('Copied the URL to the clipboard.');
			return;
		}
		setNote('Opening your browser…');
		void (services.openUrl?.(provider, shown) ?? Promise.resolve(false)).then((opened) =>
			setNote(
				opened ? 'Opened the URL in your browser again.' : 'No browser could be opened here: copy the URL instead.',
			),
		);
	};

	const submit = (text: string) => {
		setPasted(true);
		setNote(undefined);
		// A wrong paste is refused and the flow keeps waiting: say why and take another.
		void Promise.resolve(handle!.submitPaste!(text)).catch((error: unknown) => {
			setPasted(false);
			pasteInput.set('');
			setNote(errorMessage(error));
		});
	};

	useKeys(
		(input, key) => {
			if (isBack(input, key)) return onLeave();
			if (url && (input === 'c' || input === 'o')) return urlKey(input, url);
			if (!pasting) return;
			const result = pasteInput.handleKey(input, key);
			if (result.submitted) submit(result.submitted);
		},
		{isActive},
	);

	return (
		<LoginFrame frame={frame} hints={oauthHints(services, method, handle, pasting)} note={note}>
			<OAuthProgress
				method={method}
				handle={handle}
				event={event}
				browser={browser}
				pasteValue={pasteInput.value}
				pasted={pasted}
			/>
		</LoginFrame>
	);
}
