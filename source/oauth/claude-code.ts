// The Claude subscription by delegation: the official `claude` CLI owns the login; we record that it does.
// We never read Claude Code's token files (PROVIDERS.md, policy).
import {spawn as nodeSpawn, type ChildProcess, type SpawnOptions} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {addAccount, replaceAccount, setActive} from '../core/accounts.js';
import {TuiError} from '../core/errors.js';
import type {DelegatedAccount} from '../core/schemas.js';
import {safeLine} from '../core/text.js';
import {CLAUDE_CODE, CLAUDE_ENV} from '../providers/claude.js';
import type {Env} from '../providers/config-env.js';
import {updateAuthFile} from '../store/auth-file.js';

export type SpawnLike = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export type DelegateDeps = {
	readonly env: Env;
	readonly home: string;
	readonly spawn?: SpawnLike;
	readonly label?: string;
	readonly now?: () => number;
	/** Progress and warnings, one safe line each. */
	readonly onMessage?: (line: string) => void;
};

export type DelegateResult = {readonly account: DelegatedAccount; readonly version: string; readonly warnings: readonly string[]};

type Run = {readonly code: number | null; readonly stdout: string};

function run(spawn: SpawnLike, env: Env, args: readonly string[], inherit: boolean): Promise<Run> {
	return new Promise((resolve, reject) => {
		let child: ChildProcess;
		try {
			// An argument array and no shell: nothing here is ever interpreted by a shell.
			child = spawn(CLAUDE_CODE.command, args, {env: env as NodeJS.ProcessEnv, shell: false, stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'ignore']});
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
export async function detectClaudeCode(deps: {readonly env: Env; readonly spawn?: SpawnLike}): Promise<{installed: false} | {installed: true; version: string; supportsAuth: boolean}> {
	try {
		const result = await run(deps.spawn ?? nodeSpawn, deps.env, CLAUDE_CODE.versionArgs, false);
		const version = parseVersion(result.stdout);
		if (result.code !== 0 || !version) return {installed: false};
		return {installed: true, version: version.join('.'), supportsAuth: versionAtLeast(version, parseVersion(CLAUDE_CODE.minAuthVersion)!)};
	} catch {
		return {installed: false};
	}
}

type Status = {loggedIn: boolean; email?: string; plan?: string};

function parseStatus(text: string): Status | undefined {
	try {
		const json = JSON.parse(text) as Record<string, unknown>;
		if (typeof json.loggedIn !== 'boolean') return undefined;
		const str = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);
		const account = (json.account && typeof json.account === 'object' ? json.account : {}) as Record<string, unknown>;
		return {
			loggedIn: json.loggedIn,
			email: str(json.email, 320) ?? str(account.email, 320) ?? str(account.emailAddress, 320),
			plan: str(json.subscriptionType, 64) ?? str(json.plan, 64),
		};
	} catch {
		return undefined;
	}
}

export async function claudeCodeStatus(deps: {readonly env: Env; readonly spawn?: SpawnLike}): Promise<Status> {
	const spawn = deps.spawn ?? nodeSpawn;
	const plain = await run(spawn, deps.env, CLAUDE_CODE.statusArgs, false);
	const status = parseStatus(plain.stdout) ?? parseStatus((await run(spawn, deps.env, CLAUDE_CODE.statusJsonArgs, false)).stdout);
	if (!status) throw new TuiError('`claude auth status` did not report a login state; update Claude Code');
	return status;
}

/**
 * Hands the terminal to `claude auth login --claudeai`, then checks `claude auth status` and records a
 * `delegated` account (tool "claude-code") in the Claude auth file.
 */
export async function delegateToClaudeCode(deps: DelegateDeps): Promise<DelegateResult> {
	const spawn = deps.spawn ?? nodeSpawn;
	const say = (line: string): void => deps.onMessage?.(safeLine(line));
	const detected = await detectClaudeCode({env: deps.env, spawn});
	if (!detected.installed) throw new TuiError('Claude Code (the `claude` command) was not found; install it, or use an API key: tui auth login --provider claude --method api-key');
	if (!detected.supportsAuth) throw new TuiError(`Claude Code ${detected.version} has no \`claude auth\`; update Claude Code to ${CLAUDE_CODE.minAuthVersion} or newer`);
	const warnings: string[] = [];
	if (deps.env[CLAUDE_ENV.apiKey] || deps.env[CLAUDE_ENV.apiKeyAlias]) {
		const name = deps.env[CLAUDE_ENV.apiKey] ? CLAUDE_ENV.apiKey : CLAUDE_ENV.apiKeyAlias;
		warnings.push(`${name} is set: it takes precedence over Claude Code's own login; unset it to use the subscription`);
	}
	for (const w of warnings) say(`warning: ${w}`);
	say(`handing the terminal to Claude Code ${detected.version}: claude ${CLAUDE_CODE.loginArgs.join(' ')}`);
	let login: Run;
	try {
		login = await run(spawn, deps.env, CLAUDE_CODE.loginArgs, true);
	} catch {
		throw new TuiError('could not start `claude auth login`');
	}
	if (login.code !== 0) throw new TuiError(`\`claude auth login\` did not complete (exit ${login.code ?? 'signal'})`);
	const status = await claudeCodeStatus({env: deps.env, spawn});
	if (!status.loggedIn) throw new TuiError('Claude Code reports no login after `claude auth login`; try again');
	const nowMs = (deps.now ?? Date.now)();
	const account = await updateAuthFile(deps.home, 'claude', (file) => {
		const existing = file.accounts.find((a): a is DelegatedAccount => a.kind === 'delegated' && a.tool === CLAUDE_CODE.tool);
		const info = {...(status.email ? {email: status.email} : {}), ...(status.plan ? {plan: status.plan} : {})};
		if (existing) {
			const updated: DelegatedAccount = {...existing, ...info, ...(deps.label ? {label: deps.label} : {})};
			return {file: setActive(replaceAccount(file, updated), updated.id), result: updated};
		}
		const label = deps.label ?? (file.accounts.some((a) => a.label.toLowerCase() === 'claude code') ? 'claude-code' : 'Claude Code');
		const added = addAccount(file, {kind: 'delegated', tool: CLAUDE_CODE.tool, label, ...info}, {now: nowMs, newId: randomUUID});
		return {file: added.file, result: added.account as DelegatedAccount};
	});
	return {account, version: detected.version, warnings};
}
