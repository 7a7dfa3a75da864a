// Which sign-in methods a credential offers here, with the reason one cannot be used.
import {CLAUDE_CODE_MIN_AUTH_VERSION} from '../../../../core/provider-registry.js';
import type {ProviderId} from '../../../../core/schemas.js';
import type {SelectItem} from '../../../components/select-list.js';
import type {Detected, LoginMethod} from '../../../services.js';
import type {Need} from '../state.js';
import type {Method} from './login-state.js';

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
export function methodItems(
	provider: ProviderId,
	need: Need,
	detected: Detected | undefined,
	claudeOAuthConfigured: boolean,
): SelectItem<Method>[] {
	if (need === 'api') return [{value: 'api-key', label: METHOD_LABELS['api-key']}];
	const oauth = OAUTH_METHODS[provider];
	// OpenAI asks that the action be labelled "Continue with ChatGPT".
	if (provider === 'openai')
		return oauth.map((method) => ({
			value: method,
			label: method === 'browser' ? 'Continue with ChatGPT (opens your browser)' : METHOD_LABELS[method],
		}));
	const cli = detected?.claudeCli;
	const delegation: SelectItem<Method> = {
		value: 'claude-code',
		label: METHOD_LABELS['claude-code'],
		disabled: !cli
			? 'the `claude` CLI was not found; install Claude Code first'
			: cli.supportsAuth
				? undefined
				: `update Claude Code (v${CLAUDE_CODE_MIN_AUTH_VERSION}+ has \`claude auth\`)`,
	};
	const hostClient = 'needs a Claude OAuth client registered by your host app';
	return [
		delegation,
		...oauth.map((method) => ({
			value: method,
			label: METHOD_LABELS[method],
			disabled: claudeOAuthConfigured ? undefined : hostClient,
		})),
	];
}

/** The method to start at once: the only one there is, when it can be used. */
export function onlyMethod(methods: readonly SelectItem<Method>[]): Method | undefined {
	return methods.length === 1 && !methods[0]!.disabled ? methods[0]!.value : undefined;
}

/** Over SSH a browser on this machine is out of reach: the cursor starts on pasting the callback. */
export function preferredMethodIndex(methods: readonly SelectItem<Method>[], remote: boolean): number {
	const pasteIndex = methods.findIndex((item) => item.value === 'paste' && !item.disabled);
	return remote && pasteIndex >= 0
		? pasteIndex
		: Math.max(
				0,
				methods.findIndex((item) => !item.disabled),
			);
}
