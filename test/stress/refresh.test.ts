// Checks 2-4: token refresh by many real processes against the sandbox (rotating refresh tokens, family revoked on reuse).
import {readFile, rm, stat, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {addAccount} from '../../source/core/accounts.js';
import {authFileSchema, type OAuthAccount} from '../../source/core/schemas.js';
import {parseShape} from '../../source/core/shape.js';
import {startLogin} from '../../source/oauth/login.js';
import {refreshHookImpl} from '../../source/oauth/hooks.js';
import {updateAuthFile} from '../../source/store/auth-file.js';
import {DEFAULT_STALE_MS} from '../../source/store/lock.js';
import {resolveCredential} from '../../source/store/resolve-credential.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {useSandbox} from '../helpers/sandbox.js';
import {killHard, startWorker, removeWorkerBundle, workerBundle, type Worker} from './fixtures/bundle.js';
import {waitForExit, waitForLine} from '../helpers/wait.js';

const sandbox = useSandbox();
const homes: string[] = [];
beforeAll(async () => {
	await workerBundle();
});
afterAll(async () => {
	await removeWorkerBundle();
	for (const home of homes) await rm(home, {recursive: true, force: true});
});

async function loggedIn(env: Record<string, string>): Promise<{home: string; account: OAuthAccount}> {
	const home = await tempHome('tui-stress-refresh-');
	homes.push(home);
	const handle = await startLogin('openai', {method: 'paste', env, home});
	const result = await completeSandboxLoginWithoutBrowser(handle.authUrl!, {land: false});
	await handle.submitPaste!(result.finalUrl);
	return {home, account: await handle.done};
}

async function expire(home: string, id: string): Promise<void> {
	await updateAuthFile(home, 'openai', (file) => ({
		file: {
			...file,
			accounts: file.accounts.map((a) =>
				a.id === id && a.kind === 'oauth' ? {...a, tokens: {...a.tokens, expiresAt: Date.now() - 1000}} : a,
			),
		},
		result: undefined,
	}));
}

async function stored(home: string): Promise<OAuthAccount> {
	const file = parseShape(authFileSchema, JSON.parse(await readFile(join(home, 'auth', 'openai.json'), 'utf8')));
	return file.accounts.find((a) => a.kind === 'oauth') as OAuthAccount;
}

const output = (worker: Worker): {access?: string; error?: string} => {
	const line = worker.lines.find((l) => l.startsWith('{'));
	return line ? (JSON.parse(line) as {access?: string; error?: string}) : {};
};

describe('concurrent refresh', () => {
	it('50 processes resolving one expired token: 1 refresh request, 0 reuse, 50 identical tokens', async () => {
		const sb = sandbox();
		const {home, account} = await loggedIn(sb.env);
		await expire(home, account.id);
		const before = {...sb.stats};
		const goFile = join(home, 'go');
		const workers = await Promise.all(
			Array.from({length: 50}, () => startWorker(['refresh', home, account.id, goFile], {...process.env, ...sb.env})),
		);
		try {
			// All start together, once every process has loaded and polls for the start file.
			await Promise.all(workers.map((w) => waitForLine(w, /^ready$/, 120_000)));
			const go = Date.now();
			await writeFile(goFile, '');
			await Promise.all(workers.map((w) => waitForExit(w)));
			const tokens = workers.map((w) => output(w).access);
			const requests = sb.stats.refreshRequests - before.refreshRequests;
			const reuse = sb.stats.refreshReuse - before.refreshReuse;
			const revocations = sb.stats.revocations - before.revocations;
			const same = tokens.filter((t) => t !== undefined && t === tokens[0]).length;
			console.log(
				`concurrent refresh: ${requests} refresh request(s), ${reuse} reuse, ${revocations} revocations, ${same}/50 identical tokens (${Date.now() - go} ms)`,
			);
			for (const w of workers) expect(w.exitCode, w.stderrText() || w.lines.join('\n')).toBe(0);
			expect(requests).toBe(1);
			expect(reuse).toBe(0);
			expect(revocations).toBe(0);
			expect(same).toBe(50);
			expect(tokens[0]).not.toBe(account.tokens.access);
			expect((await stored(home)).tokens.access).toBe(tokens[0]);
		} finally {
			await Promise.all(workers.map(killHard));
		}
	});
});

describe('lock holder killed or stopped mid-refresh', () => {
	it('SIGKILL: another process recovers within the stale window, and exactly one refresh follows', async () => {
		const sb = sandbox();
		const {home, account} = await loggedIn(sb.env);
		await expire(home, account.id);
		const env = {...process.env, ...sb.env};
		const holder = await startWorker(['stall-refresh', home, account.id, '600000'], env);
		const before = {...sb.stats};
		try {
			await waitForLine(holder, /^holding$/);
			await killHard(holder);
			const killedAt = Date.now();
			// The holder's last sign of life: proper-lockfile's last mtime update of the lock folder.
			const lastAlive = (await stat(`${join(home, 'auth', 'openai.json')}.lock`)).mtimeMs;
			const goFile = join(home, 'go');
			await writeFile(goFile, '');
			const recoverer = await startWorker(['refresh', home, account.id, goFile], env);
			await waitForExit(recoverer);
			const recoveredMs = Date.now() - killedAt;
			const sinceLastAlive = Date.now() - lastAlive;
			const requests = sb.stats.refreshRequests - before.refreshRequests;
			console.log(
				`lock holder SIGKILL: refreshed by another process ${recoveredMs} ms after the kill, ${Math.round(sinceLastAlive)} ms after the holder's last lock update (stale window ${DEFAULT_STALE_MS} ms), ${requests} refresh request(s), ${sb.stats.refreshReuse - before.refreshReuse} reuse`,
			);
			expect(recoverer.exitCode, recoverer.stderrText() || recoverer.lines.join('\n')).toBe(0);
			// Taken over once the stale window after the holder's last update ran out, plus one refresh request
			// (generous for a loaded machine); never a lock timeout.
			expect(sinceLastAlive).toBeLessThan(DEFAULT_STALE_MS + 4000);
			expect(recoveredMs).toBeLessThan(DEFAULT_STALE_MS + 8000);
			expect(requests).toBe(1);
			expect(sb.stats.refreshReuse - before.refreshReuse).toBe(0);
			expect((await stored(home)).tokens.access).toBe(output(recoverer).access);
		} finally {
			await killHard(holder);
		}
	});

	it('SIGSTOP past the stale window: after SIGCONT the old holder neither sends nor writes', async () => {
		const sb = sandbox();
		const {home, account} = await loggedIn(sb.env);
		await expire(home, account.id);
		const env = {...process.env, ...sb.env};
		// Stalls 1.5 s inside the lock; stopped meanwhile, and resumed only after another process took over.
		const holder = await startWorker(['stall-refresh', home, account.id, '1500'], env);
		const before = {...sb.stats};
		try {
			await waitForLine(holder, /^holding$/);
			holder.kill('SIGSTOP');
			const goFile = join(home, 'go');
			await writeFile(goFile, '');
			const other = await startWorker(['refresh', home, account.id, goFile], env);
			await waitForExit(other);
			expect(other.exitCode, other.stderrText() || other.lines.join('\n')).toBe(0);
			const afterOther = await readFile(join(home, 'auth', 'openai.json'), 'utf8');
			holder.kill('SIGCONT');
			await waitForExit(holder);
			const afterHolder = await readFile(join(home, 'auth', 'openai.json'), 'utf8');
			const requests = sb.stats.refreshRequests - before.refreshRequests;
			const reuse = sb.stats.refreshReuse - before.refreshReuse;
			console.log(
				`lock holder SIGSTOP: file ${afterHolder === afterOther ? 'unchanged' : 'CHANGED'} after SIGCONT, ${requests} refresh request(s), ${reuse} reuse; holder said: ${output(holder).error ?? output(holder).access ?? '(nothing)'}`,
			);
			expect(afterHolder).toBe(afterOther);
			expect(output(holder).error).toMatch(/lost the lock/);
			expect(requests).toBe(1);
			expect(reuse).toBe(0);
			expect((await stored(home)).tokens.access).toBe(output(other).access);
		} finally {
			holder.kill('SIGCONT');
			await killHard(holder);
		}
	});
});

describe('network drop during refresh', () => {
	it('a connection dropped after the server rotated: the tokens stay ("will retry"), this process backs off, the next retry learns the token was spent, and the other provider still resolves', async () => {
		const sb = sandbox();
		const {home, account} = await loggedIn(sb.env);
		await updateAuthFile(home, 'claude', (file) => ({
			file: addAccount(
				file,
				{kind: 'api-key', label: 'work', key: 'sk-ant-test-stress-canary-key-0001'},
				{now: Date.now(), newId: () => 'claude-key'},
			).file,
			result: undefined,
		}));
		await expire(home, account.id);
		const before = {...sb.stats};
		const options = {home, env: sb.env, refresh: refreshHookImpl};
		sb.faults.dropConnectionAfterRefresh = true;
		let first;
		try {
			first = await resolveCredential('openai', options);
		} finally {
			sb.faults.dropConnectionAfterRefresh = false;
		}
		// No answer is transient: nothing is marked, and this process waits out its backoff without sending.
		expect((await stored(home)).needsLogin).toBeUndefined();
		const again = await resolveCredential('openai', options);
		expect(sb.stats.refreshRequests - before.refreshRequests).toBe(1);
		// Another process retries; the sandbox had rotated the token, so it is refused as reuse: sign in again.
		const worker = await startWorker(['refresh', home, account.id, join(home, 'auth')], {...process.env, ...sb.env});
		await waitForExit(worker);
		const claude = await resolveCredential('claude', options);
		const requests = sb.stats.refreshRequests - before.refreshRequests;
		const reuse = sb.stats.refreshReuse - before.refreshReuse;
		const saved = await stored(home);
		console.log(
			`network drop: ${requests} refresh request(s), ${reuse} reuse, needsLogin=${saved.needsLogin ? 'yes' : 'no'}, claude ${claude.usable ? 'usable' : 'NOT usable'} (${claude.source})`,
		);
		expect(requests).toBe(2);
		expect(reuse).toBe(1);
		expect(first.usable).toBe(false);
		expect(first.reason).toContain('OpenAI sign-in service unavailable, will retry');
		expect(again.usable).toBe(false);
		expect(again.reason).toContain('OpenAI sign-in service unavailable, will retry');
		expect(saved.needsLogin).toMatch(/\(refresh_token_reused\); sign in again: tui auth login --provider openai$/);
		expect(saved.needsLogin).not.toContain('\n');
		expect(output(worker).error).toBe(saved.needsLogin);
		for (const text of [first.reason, saved.needsLogin!, output(worker).error!]) {
			expect(text).not.toContain(account.tokens.refresh!);
			expect(text).not.toContain(account.tokens.access);
		}
		expect(claude.usable).toBe(true);
		expect(claude.source).toBe('file');
		expect(claude.secret).toBe('sk-ant-test-stress-canary-key-0001');
	});
});
