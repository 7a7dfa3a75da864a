// An API key: typed masked, checked with the provider before it is saved, never shown.
import {Text} from 'ink';
import {PROVIDER_NAMES, type ProviderId} from '../../../../core/schemas.js';
import {MaskedInput, useMaskedInput} from '../../../components/masked-input.js';
import {Spinner} from '../../../components/spinner.js';
import {useKeys} from '../../../hooks/use-keys.js';
import {useTask} from '../../../hooks/use-task.js';
import {isBack} from '../../../keymap.js';
import {useServices} from '../../../services.js';
import {LoginFrame, type MethodProps} from './login-frame.js';
import {useReportFailure} from './report-failure.js';

export function ApiKeyMethod({
	isActive,
	frame,
	provider,
	initialKey = '',
	onSignedIn,
	onFailed,
	onLeave,
}: MethodProps & {readonly provider: ProviderId; readonly initialKey?: string}) {
	const services = useServices();
	const keyInput = useMaskedInput(initialKey);
	const check = useTask(async (signal, key: string) => {
		const result = await services.validateApiKey(provider, key, signal);
		if (!result.ok) throw new Error(result.reason);
		signal.throwIfAborted();
		return services.saveApiKeyAccount(provider, key);
	});
	useReportFailure(check.state, onFailed);
	const running = check.state.status === 'running';

	useKeys(
		(input, key) => {
			// Esc during the check cancels it and keeps the key for another try.
			if (running) {
				if (isBack(input, key)) check.reset();
				return;
			}
			if (isBack(input, key)) return onLeave();
			const result = keyInput.handleKey(input, key);
			if (result.submitted) void check.run(result.submitted).then((account) => account && onSignedIn(account));
		},
		{isActive},
	);

	const name = PROVIDER_NAMES[provider];
	return (
		<LoginFrame
			frame={frame}
			hints={
				running
					? [['esc', 'cancel']]
					: [
							['enter', 'validate and save'],
							['esc', 'back'],
						]
			}
		>
			<Text wrap="wrap">{`Paste your ${name} API key. It is checked with ${name} before it is saved, and never shown.`}</Text>
			<MaskedInput label="Key:" value={keyInput.value} placeholder="paste it here" />
			{running ? <Spinner label={`Checking the key with ${name}…`} /> : null}
		</LoginFrame>
	);
}
