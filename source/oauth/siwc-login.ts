// ChatGPT sign-in as a LoginProtocol: which attempt to make (a first registration, or a saved account signing in
// again), and storing its result. Until the ID token checks out nothing is written but the issued client id.
import {createServer} from 'node:net';
import {addAccount, findAccount, freeLabel, replaceAccount, setActive} from '../core/accounts.js';
import {TuiError, UsageError} from '../core/errors.js';
import type {Account, OAuthAccount} from '../core/schemas.js';
import {OPENAI_PKCE, OPENAI_REDIRECT, OPENAI_SIWC, openaiRedirectUri} from '../providers/openai.js';
import {newAccountId, readAuthFile, updateAuthFile} from '../store/auth-file.js';
import {
	clearPendingClient,
	ensureHostId,
	readKeptClients,
	readPendingClient,
	savePendingClient,
	type KeptClient,
} from '../store/host-id.js';
import type {LoginContext, LoginProtocol} from './login.js';
import {createPkce} from './pkce.js';
import {
	accountFieldsOf,
	checkSiwcCallback,
	defaultSiwcLabel,
	discoverSiwc,
	exchangeSiwcCode,
	newAttempt,
	parsePastedSiwcCallback,
	redactAuthorizeUrl,
	siwcAuthorizeUrl,
	type SiwcAttempt,
	type SiwcServer,
} from './siwc.js';

const LOGIN_COMMAND = 'tui auth login --provider openai';

/** Who is signing in again: a stored account, or a registration kept after its sign-out. */
type Target = {
	readonly accountId?: string;
	readonly label: string;
	readonly clientId?: string;
	readonly subject?: string;
	readonly email?: string;
	readonly idToken?: string;
};

/** Named by --account or --label (an account, else a kept registration), else the active account if it needs a new login. */
function returningTarget(
	accounts: readonly Account[],
	active: string | null,
	kept: readonly KeptClient[],
	deps: LoginContext['deps'],
): Target | undefined {
	const fromAccount = (a: OAuthAccount): Target => ({
		accountId: a.id,
		label: a.label,
		clientId: a.clientId,
		subject: a.subject,
		email: a.email,
		idToken: a.tokens.idToken,
	});
	const named = deps.account ?? deps.label;
	if (named !== undefined) {
		const found = findAccount({version: 1, active, accounts: [...accounts]}, named);
		if (found?.kind === 'oauth') return fromAccount(found);
		const client = found ? undefined : kept.find((c) => c.label.toLowerCase() === named.toLowerCase());
		if (client) return {label: client.label, clientId: client.clientId, subject: client.subject, email: client.email};
		if (deps.account !== undefined) throw new UsageError(`no OpenAI sign-in named ${JSON.stringify(deps.account)}`);
		return undefined;
	}
	const current = accounts.find((a) => a.id === active);
	return current?.kind === 'oauth' && current.needsLogin ? fromAccount(current) : undefined;
}

function mismatch(label: string): TuiError {
	return new TuiError(
		`account mismatch: the ChatGPT account that signed in is not the one saved as "${label}"; nothing was changed. To add it as another account: ${LOGIN_COMMAND} --label NEW-LABEL`,
	);
}

async function freeLoopbackPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen({port: 0, host: OPENAI_REDIRECT.host}, () => {
			const address = server.address();
			server.close(() =>
				address && typeof address === 'object'
					? resolve(address.port)
					: reject(new TuiError('no free port on 127.0.0.1')),
			);
		});
	});
}

export async function siwcProtocol(ctx: LoginContext): Promise<LoginProtocol> {
	const {deps} = ctx;
	const server = await discoverSiwc(deps.env, ctx.fetch, ctx.signal);
	const file = await readAuthFile(deps.home, 'openai');
	const target = returningTarget(
		file.accounts,
		file.active,
		(await readKeptClients(deps.home)).filter((c) => c.issuer === server.issuer),
		deps,
	);
	const hostId = await ensureHostId(deps.home);
	const pending = target ? undefined : await readPendingClient(deps.home, server.issuer);
	const resumable = pending && ctx.now() - pending.createdAt < OPENAI_SIWC.attemptMs ? pending : undefined;
	// A saved account signs in again with its issued client and hints; a legacy (Codex-client) one registers anew.
	const clientId = target?.clientId ?? resumable?.clientId;
	const pkce = createPkce(OPENAI_PKCE);
	const attempt: SiwcAttempt = newAttempt(
		{
			hostId,
			agentName: deps.agentName ?? OPENAI_SIWC.agentName,
			...(clientId ? {clientId} : {}),
			...(target?.clientId && target.idToken ? {idTokenHint: target.idToken} : {}),
			...(target?.clientId && target.email ? {loginHint: target.email} : {}),
		},
		pkce,
	);
	let checked: {code: string; clientId: string} | undefined;
	return {
		state: attempt.state,
		ports: [OPENAI_REDIRECT.port],
		redirectHost: OPENAI_REDIRECT.host,
		redirectPath: OPENAI_REDIRECT.path,
		guard: {allowedHosts: [new URL(server.authorizationEndpoint).hostname], allowLoopbackHttp: server.allowInsecure},
		pasteRedirectUri: async () => openaiRedirectUri(await freeLoopbackPort()),
		pasteTimeoutMs: OPENAI_SIWC.attemptMs,
		authorizeUrl: (redirectUri) => siwcAuthorizeUrl(server, attempt, redirectUri),
		displayUrl: redactAuthorizeUrl,
		remoteHint: (port) =>
			`On a machine without a browser: forward the port with \`ssh -L ${port}:127.0.0.1:${port} THIS-HOST\` and open the URL on your computer, or sign in on a machine with a browser and move the account with \`tui auth export\` / \`tui auth import\` (this machine keeps its own host id).`,
		validate(params) {
			checked = checkSiwcCallback(params, attempt, server);
		},
		parsePaste: (input, redirectUri) => parsePastedSiwcCallback(input, redirectUri),
		async finish(_params, redirectUri) {
			if (!checked) throw new TuiError('the callback was not validated');
			const {code, clientId: issued} = checked;
			// The registration is kept before anything can fail, so a failed exchange never costs a second registration.
			if (!attempt.clientId)
				await savePendingClient(deps.home, {issuer: server.issuer, clientId: issued, createdAt: ctx.now()});
			ctx.emit({type: 'exchanging'});
			const signIn = await exchangeSiwcCode(
				server,
				attempt,
				{code, clientId: issued, redirectUri},
				{fetch: ctx.fetch, now: ctx.now, signal: ctx.signal},
			);
			if (target?.subject && signIn.claims.sub !== target.subject) throw mismatch(target.label);
			const account = await storeSiwcLogin(deps, server, target, accountFieldsOf(server, issued, signIn), ctx.now());
			await clearPendingClient(deps.home, issued).catch(() => {});
			return account;
		},
	};
}

type Fields = ReturnType<typeof accountFieldsOf>;

/** Under the lock: replace the target's sign-in (same subject), or the same registration's, or add an account. */
async function storeSiwcLogin(
	deps: LoginContext['deps'],
	server: SiwcServer,
	target: Target | undefined,
	fields: Fields,
	now: number,
): Promise<OAuthAccount> {
	return updateAuthFile(deps.home, 'openai', (file) => {
		const update = (existing: OAuthAccount) => {
			if (existing.subject && existing.subject !== fields.subject) throw mismatch(existing.label);
			// A legacy login's chatgpt_account_id and sign-out marks go; the label and id stay.
			const {needsLogin: _n, accountId: _a, ...rest} = existing;
			const updated: OAuthAccount = {...rest, ...fields};
			return {file: setActive(replaceAccount(file, updated), updated.id), result: updated};
		};
		const current = target?.accountId ? findAccount(file, target.accountId) : undefined;
		if (current?.kind === 'oauth') return update(current);
		const same = file.accounts.find(
			(a): a is OAuthAccount =>
				a.kind === 'oauth' &&
				a.issuer === server.issuer &&
				a.subject === fields.subject &&
				a.clientId === fields.clientId,
		);
		if (same) return update(same);
		const taken = new Set(file.accounts.map((a) => a.label.toLowerCase()));
		const wanted = deps.label ?? target?.label;
		if (deps.label !== undefined && taken.has(deps.label.toLowerCase()))
			throw new UsageError(`label ${JSON.stringify(deps.label)} is already used by another account`);
		const label =
			wanted && !taken.has(wanted.toLowerCase()) ? wanted : freeLabel(file.accounts, defaultSiwcLabel(fields.email));
		const added = addAccount(file, {kind: 'oauth', label, ...fields}, {now, newId: newAccountId});
		return {file: added.file, result: added.account as OAuthAccount};
	});
}
