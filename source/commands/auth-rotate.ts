// `tui auth rotate PROVIDER/LABEL --with-api-key`: replaces an API key in place. The new key (stdin, never
// argv) is validated first; only then is the account rewritten under the auth-file lock with the same id
// and label and `rotatedAt` set. The old key is overwritten by the atomic replace and kept nowhere.
import {findAccount, replaceAccount} from '../core/accounts.js';
import {TuiError, UsageError} from '../core/errors.js';
import {PROVIDER_NAMES, type ApiKeyAccount, type ProviderId} from '../core/schemas.js';
import {lastFour} from '../core/text.js';
import {readAuthFile, updateAuthFile} from '../store/auth-file.js';
import {API_KEY_ENV_VARS} from '../core/provider-registry.js';
import {parseAccountRef} from './auth-common.js';
import type {CommandContext} from '../app/context.js';
import {readSecret} from './read-secret.js';

export type RotateOptions = {readonly withApiKey?: boolean};

export function parseTarget(target: string | undefined, command: string): {provider: ProviderId; label: string} {
	if (target === undefined) throw new UsageError(`${command} needs PROVIDER/LABEL, e.g. openai/work`);
	const {provider, label} = parseAccountRef(target, `${command} PROVIDER/LABEL`);
	if (label === undefined) throw new UsageError(`${command} needs PROVIDER/LABEL, e.g. ${provider}/work`);
	return {provider, label};
}

function apiKeyAccount(
	file: Awaited<ReturnType<typeof readAuthFile>>,
	provider: ProviderId,
	label: string,
): ApiKeyAccount {
	const account = findAccount(file, label);
	if (!account) {
		const labels = file.accounts.map((a) => a.label);
		throw new UsageError(
			`no ${PROVIDER_NAMES[provider]} account ${JSON.stringify(label)} (${labels.length > 0 ? `accounts: ${labels.join(', ')}` : 'there are no accounts'})`,
		);
	}
	if (account.kind !== 'api-key')
		throw new UsageError(
			`${PROVIDER_NAMES[provider]} account ${JSON.stringify(account.label)} is ${account.kind === 'oauth' ? 'a sign-in (oauth)' : `delegated to ${account.tool}`}, not an API key; only API keys can be rotated`,
		);
	return account;
}

export async function run(ctx: CommandContext, target?: string, options: RotateOptions = {}): Promise<number> {
	const {provider, label} = parseTarget(target, 'tui auth rotate');
	const name = PROVIDER_NAMES[provider];
	if (!options.withApiKey && !ctx.stdin.isTTY)
		throw new UsageError(
			`stdin is not a terminal: give --with-api-key and pipe the new key, e.g. \`printenv NEW_KEY | tui auth rotate ${provider}/${label} --with-api-key\``,
		);

	// Checked before the key is read or sent anywhere: a rotation that cannot be saved sends nothing.
	const before = apiKeyAccount(await readAuthFile(ctx.home, provider), provider, label);

	const raw = await readSecret(ctx, `New ${name} API key for ${JSON.stringify(before.label)} (input hidden): `);
	if (raw.trim().length === 0)
		throw new UsageError(
			`no API key on stdin; pipe it, e.g. \`printenv NEW_KEY | tui auth rotate ${provider}/${label} --with-api-key\``,
		);
	const {normalizeApiKey, validateApiKey} = await import('../providers/validate-key.js');
	const key = normalizeApiKey(raw);
	if (key === before.key)
		throw new UsageError(
			`that is the key ${JSON.stringify(before.label)} already has (${lastFour(key)}); nothing to rotate`,
		);

	const result = await validateApiKey(provider, key, {env: ctx.env, fetch: ctx.fetch, signal: ctx.signal});
	// The provider may echo the key back in its message; never let it through.
	if (!result.ok)
		throw new TuiError(`${name}: ${result.message.split(key).join(lastFour(key))}; the key was not rotated`);

	const rotated = await updateAuthFile(ctx.home, provider, (file) => {
		// Re-read inside the lock: the account may have been removed or changed meanwhile.
		const current = file.accounts.find((a) => a.id === before.id);
		if (!current)
			throw new TuiError(
				`${name} account ${JSON.stringify(before.label)} was removed meanwhile; the key was not rotated`,
			);
		if (current.kind !== 'api-key')
			throw new TuiError(`${name} account ${JSON.stringify(current.label)} changed meanwhile; the key was not rotated`);
		const {needsLogin: _cleared, ...rest} = current;
		const next: ApiKeyAccount = {...rest, key, rotatedAt: new Date(ctx.now()).toISOString()};
		return {file: replaceAccount(file, next), result: {account: next, old: lastFour(current.key)}};
	});

	ctx.stdout.write(
		`Rotated the key of ${name} ${JSON.stringify(rotated.account.label)}: ${rotated.old} → ${lastFour(key)}\n`,
	);
	const shadowing = API_KEY_ENV_VARS[provider].find((variable) => ctx.env[variable]?.trim());
	if (shadowing)
		ctx.stderr.write(`note: ${shadowing} is set in the environment and takes precedence over stored keys\n`);
	return 0;
}
