// The Claude subscription by delegation: the official `claude` CLI owns the login; we record that it does.
// We never read Claude Code's token files (docs/providers.md, policy).
import {spawn as nodeSpawn, type ChildProcess, type SpawnOptions} from 'node:child_process';
import {addAccount, freeLabel, replaceAccount, setActive} from '../core/accounts.js';
import {TuiError, UsageError} from '../core/errors.js';
import type {DelegatedAccount} from '../core/schemas.js';
import {cleanOutsideText, safeLine} from '../core/text.js';
import {claudeCodeEnv} from '../core/child-env.js';
import {API_KEY_ENV_VARS} from '../core/provider-registry.js';
import {CLAUDE_CODE} from '../providers/claude.js';
import type {Env} from '../providers/config-env.js';
import {newAccountId, updateAuthFile} from '../store/auth-file.js';

export type SpawnLike = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export type DelegateDeps = {
	readonly env: Env;
	readonly home: string;
	readonly spawn?: SpawnLike;
	readonly label?: string;
	readonly now?: () => number;
	/** Progress and warnings, one safe line each. */
	readonly onMessage?: (line: string) => void;
	/**
	 * Claude Code is already signed in: true records that login as it is, false runs a new `claude auth login`.
	 * Without it, a new sign-in runs.
	 */
	readonly useExistingLogin?: (description: string) => Promise<boolean>;
	/** False without a terminal: a login that is needed is refused (one line) rather than started. Default true. */
	readonly interactive?: boolean;
	/** Called just before `claude auth login` takes the terminal (a screen pauses its stdin). */
	readonly beforeLogin?: () => void;
	readonly signal?: AbortSignal;
};

export type DelegateResult = {
	readonly account: DelegatedAccount;
	readonly version: string;
	readonly warnings: readonly string[];
};

type Run = {readonly code: number | null; readonly stdout: string};

function run(
	spawn: SpawnLike,
	env: Env,
	args: readonly string[],
	inherit: boolean,
	signal?: AbortSignal,
): Promise<Run> {
	return new Promise((resolve, reject) => {
		let child: ChildProcess;
		try {
			// An argument array and no shell: nothing here is ever interpreted by a shell.
			child = spawn(CLAUDE_CODE.command, args, {
				env: claudeCodeEnv(env),
				shell: false,
				stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'ignore'],
				...(signal ? {signal} : {}),
			});
		} catch (error) {
			return reject(error);
		}
		let stdout = '';
		child.stdout?.setEncoding('utf8');
		child.stdout?.on('data', (chunk: string) => {
			if (stdout.length < 65_536) stdout += chunk;
		});
		child.once('error', reject);
		child.once('close', (code) => resolve({code, stdout}));
	});
}

/** "2.1.41 (Claude Code)" → [2, 1, 41]. */
export function parseVersion(text: string): [number, number, number] | undefined {
	const match = /(\d+)\.(\d+)\.(\d+)/.exec(text);
	return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

export function versionAtLeast(version: readonly number[], minimum: readonly number[]): boolean {
	for (let i = 0; i < 3; i++) {
		const a = version[i] ?? 0;
		const b = minimum[i] ?? 0;
		if (a !== b) return a > b;
	}
	return true;
}

/** Is the `claude` CLI installed, which version, and new enough for `claude auth`? Never throws. */
export async function detectClaudeCode(deps: {
	readonly env: Env;
	readonly spawn?: SpawnLike;
}): Promise<{installed: false} | {installed: true; version: string; supportsAuth: boolean}> {
	try {
		const result = await run(deps.spawn ?? nodeSpawn, deps.env, CLAUDE_CODE.versionArgs, false);
		const version = parseVersion(result.stdout);
		if (result.code !== 0 || !version) return {installed: false};
		return {
			installed: true,
			version: version.join('.'),
			supportsAuth: versionAtLeast(version, parseVersion(CLAUDE_CODE.minAuthVersion)!),
		};
	} catch {
		return {installed: false};
	}
}

export type ClaudeAuthStatus = {readonly loggedIn: boolean; readonly email?: string; readonly plan?: string};

/**
 * `claude auth status` output: JSON by default on current versions, only with --json on older ones, and sometimes
 * after a warning line; so it is parsed from the first `{`. Exit code 1 with `loggedIn: false` is an answer too.
 */
export function parseClaudeAuthStatus(text: string): ClaudeAuthStatus | undefined {
	const start = text.indexOf('{');
	if (start < 0) return undefined;
	try {
		const json = JSON.parse(text.slice(start)) as Record<string, unknown>;
		if (typeof json.loggedIn !== 'boolean') return undefined;
		// Text from another tool: cleaned of escapes and controls before it is kept or shown.
		const str = (v: unknown, max: number) => {
			const clean = typeof v === 'string' ? cleanOutsideText(v) : '';
			return clean.length > 0 && clean.length <= max ? clean : undefined;
		};
		const account = (json.account && typeof json.account === 'object' ? json.account : {}) as Record<string, unknown>;
		const email =
			str(json.email, 320) ?? str(json.emailAddress, 320) ?? str(account.email, 320) ?? str(account.emailAddress, 320);
		const plan = str(json.subscriptionType, 64) ?? str(json.plan, 64);
		return {loggedIn: json.loggedIn, ...(email ? {email} : {}), ...(plan ? {plan} : {})};
	} catch {
		return undefined;
	}
}

export async function claudeCodeStatus(deps: {
	readonly env: Env;
	readonly spawn?: SpawnLike;
}): Promise<ClaudeAuthStatus> {
	const spawn = deps.spawn ?? nodeSpawn;
	const plain = await run(spawn, deps.env, CLAUDE_CODE.statusArgs, false);
	const status =
		parseClaudeAuthStatus(plain.stdout) ??
		parseClaudeAuthStatus((await run(spawn, deps.env, CLAUDE_CODE.statusJsonArgs, false)).stdout);
	if (!status) throw new TuiError('`claude auth status` did not report a login state; update Claude Code');
	return status;
}

/**
 * `claude auth login` with `--claudeai` where this version has it. The changelog dates `auth login` to 2.1.41
 * and never mentions `--claudeai`, so it is read from `claude auth login --help`; claude.ai is the default without it.
 */
export async function claudeLoginArgs(deps: {
	readonly env: Env;
	readonly spawn?: SpawnLike;
}): Promise<readonly string[]> {
	const help = await run(
		deps.spawn ?? nodeSpawn,
		deps.env,
		[...CLAUDE_CODE.loginArgs.slice(0, 2), '--help'],
		false,
	).catch(() => ({code: 1, stdout: ''}));
	return help.stdout.includes('--claudeai')
		? CLAUDE_CODE.loginArgs
		: CLAUDE_CODE.loginArgs.filter((arg) => arg !== '--claudeai');
}

/** A one-line description of an existing Claude Code login, for the question whether to record it. */
export function describeClaudeLogin(status: ClaudeAuthStatus): string {
	const who = [status.email, status.plan].filter(Boolean).join(', ');
	return `Claude Code is already signed in${who ? ` (${who})` : ''}`;
}

/** Hands the terminal to `claude auth login` (with `--claudeai` where it exists), then reads the new status. */
async function signIn(
	deps: DelegateDeps,
	spawn: SpawnLike,
	version: string,
	say: (line: string) => void,
): Promise<ClaudeAuthStatus> {
	if (deps.interactive === false)
		throw new UsageError(
			'Claude Code is not signed in, and signing in needs a terminal: run `claude auth login` first',
		);
	const loginArgs = await claudeLoginArgs({env: deps.env, spawn});
	say(`handing the terminal to Claude Code ${version}: claude ${loginArgs.join(' ')}`);
	let login: Run;
	try {
		deps.beforeLogin?.();
		login = await run(spawn, deps.env, loginArgs, true, deps.signal);
	} catch {
		throw new TuiError(deps.signal?.aborted ? 'Claude Code sign-in cancelled' : 'could not start `claude auth login`');
	}
	if (login.code !== 0)
		throw new TuiError(`\`claude auth login\` did not complete (exit ${login.code ?? 'signal'}); nothing was saved`);
	const status = await claudeCodeStatus({env: deps.env, spawn});
	if (!status.loggedIn) throw new TuiError('Claude Code reports no login after `claude auth login`; nothing was saved');
	return status;
}

/**
 * Records an existing Claude Code login when `useExistingLogin` agrees; otherwise hands the terminal to
 * `claude auth login` (with `--claudeai` where it exists), then checks `claude auth status` and records a
 * `delegated` account (tool "claude-code") in the Claude auth file.
 */
export async function delegateToClaudeCode(deps: DelegateDeps): Promise<DelegateResult> {
	const spawn = deps.spawn ?? nodeSpawn;
	const say = (line: string): void => deps.onMessage?.(safeLine(line));
	const detected = await detectClaudeCode({env: deps.env, spawn});
	if (!detected.installed)
		throw new TuiError(
			'Claude Code (the `claude` command) was not found; install it, or use an API key: tui auth login --provider claude --method api-key',
		);
	if (!detected.supportsAuth)
		throw new TuiError(
			`Claude Code ${detected.version} has no \`claude auth\`; update Claude Code to ${CLAUDE_CODE.minAuthVersion} or newer`,
		);
	const warnings: string[] = [];
	const name = API_KEY_ENV_VARS.claude.find((variable) => deps.env[variable]);
	if (name) {
		warnings.push(`${name} is set: it takes precedence over Claude Code's own login; unset it to use the subscription`);
	}
	for (const w of warnings) say(`warning: ${w}`);
	let status = deps.useExistingLogin ? await claudeCodeStatus({env: deps.env, spawn}) : undefined;
	if (!status?.loggedIn || !(await deps.useExistingLogin?.(describeClaudeLogin(status))))
		status = await signIn(deps, spawn, detected.version, say);
	const {email, plan} = status;
	const nowMs = (deps.now ?? Date.now)();
	const account = await updateAuthFile(deps.home, 'claude', (file) => {
		const existing = file.accounts.find(
			(a): a is DelegatedAccount => a.kind === 'delegated' && a.tool === CLAUDE_CODE.tool,
		);
		const info = {...(email ? {email} : {}), ...(plan ? {plan} : {})};
		if (existing) {
			const updated: DelegatedAccount = {...existing, ...info, ...(deps.label ? {label: deps.label} : {})};
			return {file: setActive(replaceAccount(file, updated), updated.id), result: updated};
		}
		const label = deps.label ?? freeLabel(file.accounts, CLAUDE_CODE.tool);
		const added = addAccount(
			file,
			{kind: 'delegated', tool: CLAUDE_CODE.tool, label, ...info},
			{now: nowMs, newId: newAccountId},
		);
		return {file: added.file, result: added.account as DelegatedAccount};
	});
	return {account, version: detected.version, warnings};
}
