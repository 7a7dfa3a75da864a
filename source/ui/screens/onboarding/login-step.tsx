// Step 5: sign in by the chosen method with visible progress. Methods: browser, paste (OAuth through
// services.startLogin), API key (masked, validated before it is saved) and Claude Code delegation, then (with
// consent) Claude Code's status line for the quota. Every failure offers retry (unless it was a refusal),
// another method, or back. A finished sign-in says who is signed in before it hands back. The phases are
// loginReducer's; each one is its own component with its own keys.
import {useCallback, useEffect, useReducer} from 'react';
import {PROVIDER_NAMES, type ProviderId} from '../../../core/schemas.js';
import {useServices, type Detected, type SavedAccount, type StatusLineOffer} from '../../services.js';
import type {Need} from './state.js';
import {ApiKeyMethod} from './login/api-key-method.js';
import {ChooseMethod} from './login/choose-method.js';
import {ClaudeCodeMethod, StatusLineConsent} from './login/claude-code-method.js';
import type {LoginFrameProps} from './login/login-frame.js';
import {failureItems, LoginFailed, SignedIn, type FailureChoice} from './login/login-outcome.js';
import {initialLoginState, loginReducer, type Method} from './login/login-state.js';
import {methodItems, onlyMethod, preferredMethodIndex} from './login/methods.js';
import {OAuthMethod} from './login/oauth-method.js';

export type {Method} from './login/login-state.js';
export {methodItems, OAUTH_METHODS} from './login/methods.js';
export {formatCountdown} from './login/oauth-progress.js';

export type LoginStepProps = {
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
};

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
}: LoginStepProps) {
	const services = useServices();
	const methods = methodItems(provider, need, detected, Boolean(services.claudeOAuthConfigured));
	const [state, dispatch] = useReducer(loginReducer, onlyMethod(methods), initialLoginState);
	const {phase} = state;
	const several = methods.length > 1;

	// Hand back only once the success frame is drawn.
	useEffect(() => {
		if (phase.kind === 'signed-in') onDone(phase.account);
	}, [phase]); // eslint-disable-line react-hooks/exhaustive-deps

	const signedIn = useCallback((account: SavedAccount) => dispatch({type: 'signed-in', account}), []);
	const failed = useCallback((reason: string, refused: boolean) => dispatch({type: 'failed', reason, refused}), []);
	const offer = useCallback(
		(account: SavedAccount, statusLine: StatusLineOffer) => dispatch({type: 'offer', account, offer: statusLine}),
		[],
	);
	const leave = () => (several ? dispatch({type: 'choose'}) : onBack());
	const choice = (chosen: FailureChoice) => {
		if (chosen === 'retry') dispatch({type: 'retry'});
		else if (chosen === 'other') dispatch({type: 'choose'});
		else onBack();
	};

	const frame: LoginFrameProps = {
		title: `${need === 'api' ? 'Add your' : 'Sign in to'} ${PROVIDER_NAMES[provider]}${need === 'api' ? ' API key' : ''}`,
		step,
	};
	const running = {isActive, frame, onSignedIn: signedIn, onFailed: failed, onLeave: leave};
	switch (phase.kind) {
		case 'choose': {
			// Over SSH a browser on this machine is out of reach: start on pasting the callback.
			const remote = Boolean(services.env.SSH_CONNECTION || services.env.SSH_TTY);
			const last = methods.findIndex((item) => item.value === state.last);
			return (
				<ChooseMethod
					isActive={isActive}
					frame={frame}
					methods={methods}
					initial={last >= 0 ? last : preferredMethodIndex(methods, remote)}
					onChosen={(method: Method) => dispatch({type: 'start', method})}
					onBack={onBack}
				/>
			);
		}
		case 'api-key':
			// The key from the environment is offered on the first attempt only.
			return (
				<ApiKeyMethod
					key={state.attempt}
					{...running}
					provider={provider}
					initialKey={state.attempt === 1 ? prefillKey : undefined}
				/>
			);
		case 'oauth':
			return <OAuthMethod key={state.attempt} {...running} provider={provider} method={phase.method} />;
		case 'claude-code':
			return <ClaudeCodeMethod key={state.attempt} {...running} onHandover={onHandover} onOffer={offer} />;
		case 'status-line':
			return (
				<StatusLineConsent
					isActive={isActive}
					frame={frame}
					account={phase.account}
					offer={phase.offer}
					onDone={signedIn}
				/>
			);
		case 'failed':
			return (
				<LoginFailed
					key={state.attempt}
					isActive={isActive}
					frame={frame}
					reason={phase.reason}
					items={failureItems(phase.refused, several, backLabel)}
					onChoice={choice}
				/>
			);
		case 'signed-in':
			return <SignedIn frame={frame} account={phase.account} />;
		default: {
			const unreachable: never = phase;
			return unreachable;
		}
	}
}
