import {readFile} from 'node:fs/promises';
import {connect} from 'node:net';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {until} from '../helpers/wait.js';
import {runOAuthLogin, parseTimeout} from '../../source/commands/auth-login-oauth.js';
import type {CommandContext} from '../../source/app/context.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {useSandbox} from '../helpers/sandbox.js';
import {failure} from './fixtures/failure.js';

const sandbox = useSandbox();

function makeCtx(env: Record<string, string>, home: string, controller = new AbortController()) {
	const stdin = new PassThrough();
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	let out = '';
	let err = '';
	stdout.on('data', (c: Buffer) => (out += c.toString()));
	stderr.on('data', (c: Buffer) => (err += c.toString()));
	const ctx: CommandContext = {
		home,
		env,
		stdin,
		stdout,
		stderr,
		sandbox: true,
		now: Date.now,
		fetch: globalThis.fetch,
		signal: controller.signal,
	};
	return {ctx, stdin, controller, out: () => out, err: () => err};
}

const urlLine = (text: string) =>
	text.split('\n').find((l) => /^http:\/\/127\.0\.0\.1:\d+\/api\/accounts\/authorize\?/.test(l));

describe('tui auth login (OAuth methods, non-interactive rendering)', () => {
	it('--no-browser prints the authorize URL alone on stdout and finishes when the browser lands', async () => {
		const sb = sandbox();
		const home = await tempHome('tui-cmd-');
		const t = makeCtx(sb.env, home);
		const run = runOAuthLogin(t.ctx, {provider: 'openai', method: 'browser', browser: false, label: 'cli'});
		const url = await until(() => urlLine(t.out()), 'the authorize URL on stdout');
		await completeSandboxLoginWithoutBrowser(url);
		expect(await run).toBe(0);
		expect(t.out()).toMatch(/OpenAI: logged in as "cli" \(user@sandbox\.test\)/);
		// The way in from a machine without a browser: the port to forward, or moving the account.
		const port = new URL(new URL(url).searchParams.get('redirect_uri')!).port;
		expect(t.err()).toContain(`ssh -L ${port}:127.0.0.1:${port}`);
		expect(t.err()).toContain('tui auth export');
		expect(t.err()).toContain('tui auth import');
		expect(t.err()).not.toContain('plan usage is off');
		const file = JSON.parse(await readFile(join(home, 'auth', 'openai.json'), 'utf8')) as {
			accounts: Array<{tokens: Record<string, string>}>;
		};
		// No token in anything printed.
		const {access, refresh, idToken} = file.accounts[0]!.tokens;
		for (const secret of [access, refresh, idToken]) {
			expect(secret).toBeTruthy();
			expect(t.out() + t.err()).not.toContain(secret!.slice(0, 24));
		}
	});

	it('paste: reads one line from stdin', async () => {
		const sb = sandbox();
		const t = makeCtx(sb.env, await tempHome('tui-cmd-'));
		const run = runOAuthLogin(t.ctx, {provider: 'openai', method: 'paste'});
		const url = await until(() => urlLine(t.out()), 'the authorize URL on stdout');
		const landed = await completeSandboxLoginWithoutBrowser(url, {land: false});
		t.stdin.write(`${landed.finalUrl}\n`);
		expect(await run).toBe(0);
		expect(t.err()).toContain('paste');
	});

	it('paste from a pipe with the wrong state fails with one line', async () => {
		const sb = sandbox();
		const t = makeCtx(sb.env, await tempHome('tui-cmd-'));
		const run = runOAuthLogin(t.ctx, {provider: 'openai', method: 'paste'});
		const url = await until(() => urlLine(t.out()), 'the authorize URL on stdout');
		const redirect = new URL(url).searchParams.get('redirect_uri')!;
		t.stdin.write(`${redirect}?code=code123&state=wrong-state\n`);
		expect((await failure(run)).message).toMatch(/^that does not belong to this login \(state missing or different\)/);
	});

	it('an identity-only grant signs in and says plan usage is off, with the way to turn it on', async () => {
		const sb = sandbox();
		const t = makeCtx(sb.env, await tempHome('tui-cmd-'));
		sb.faults.openaiIdentityOnly = true;
		try {
			const run = runOAuthLogin(t.ctx, {provider: 'openai', method: 'paste'});
			const url = await until(() => urlLine(t.out()), 'the authorize URL on stdout');
			t.stdin.write(`${(await completeSandboxLoginWithoutBrowser(url, {land: false})).finalUrl}\n`);
			expect(await run).toBe(0);
		} finally {
			sb.faults.openaiIdentityOnly = false;
		}
		expect(t.err()).toContain(
			'ChatGPT plan usage is off for this sign-in (not granted): sign in again and allow it, or add an API key: tui auth login --provider openai --with-api-key',
		);
	});

	it('Ctrl+C (ctx.signal) cancels and closes the listener', async () => {
		const sb = sandbox();
		const t = makeCtx(sb.env, await tempHome('tui-cmd-'));
		const run = runOAuthLogin(t.ctx, {provider: 'openai', method: 'browser', browser: false});
		const url = await until(() => urlLine(t.out()), 'the authorize URL on stdout');
		const port = Number(new URL(new URL(url).searchParams.get('redirect_uri')!).port);
		t.controller.abort();
		expect((await failure(run)).message).toBe('login cancelled');
		const refused = await new Promise<boolean>((resolve) => {
			const s = connect({host: '127.0.0.1', port});
			s.once('connect', () => (s.destroy(), resolve(false)));
			s.once('error', () => resolve(true));
		});
		expect(refused).toBe(true);
	});

	it('validates --timeout and the method', async () => {
		expect(parseTimeout('90s')).toBe(90_000);
		expect(parseTimeout('5m')).toBe(300_000);
		expect(parseTimeout(30)).toBe(30_000);
		expect(() => parseTimeout('0')).toThrow(/--timeout/);
		const t = makeCtx({}, await tempHome('tui-cmd-'));
		expect((await failure(runOAuthLogin(t.ctx, {provider: 'openai', method: 'claude-code'}))).message).toMatch(
			/--provider claude/,
		);
	});
});
