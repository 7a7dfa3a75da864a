// The OAuth and delegation methods of the login step, with a startLogin service that behaves like
// source/oauth/login.ts (a handle, events, done), so every screen state can be driven and checked.
import {act} from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {LoginStep} from '../../source/ui/screens/onboarding/login-step.js';
import type {LoginHandle, LoginEvent, SavedAccount, StartLoginOptions} from '../../source/ui/services.js';
import {KEYS} from '../helpers/keys.js';
import {renderScreen, tempHome, testServices, unmount} from './helpers.js';
import {press, type, until, waitForFrame, type Rendered} from '../helpers/wait.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const NOW = Date.parse('2026-11-23T10:00:00Z');
const ACCOUNT: SavedAccount = {provider: 'openai', id: 'acc_1', label: 'me@example.com', kind: 'oauth', plan: 'plus'};

type Flow = {
	options?: StartLoginOptions;
	cancelled: number;
	submitted: string[];
	resolve: (account: SavedAccount) => void;
	reject: (error: Error) => void;
	emit: (event: LoginEvent) => void;
};

function fakeLogin(handle: Partial<LoginHandle>) {
	const flows: Flow[] = [];
	const startLogin = vi.fn(async (_provider: string, options: StartLoginOptions): Promise<LoginHandle> => {
		let resolve!: Flow['resolve'];
		let reject!: Flow['reject'];
		const done = new Promise<SavedAccount>((res, rej) => {
			resolve = res;
			reject = rej;
		});
		done.catch(() => {});
		const flow: Flow = {
			options,
			cancelled: 0,
			submitted: [],
			resolve,
			reject,
			emit: (event) => options.onEvent?.(event),
		};
		flows.push(flow);
		return {
			expiresAt: NOW + 5 * 60_000,
			...handle,
			done,
			cancel: () => {
				flow.cancelled++;
				reject(new Error('login cancelled'));
			},
			submitPaste: async (input: string) => {
				flow.submitted.push(input);
				if (!input.includes('#')) throw new Error('that is not code#state or a callback URL; paste it again');
			},
		};
	});
	return {startLogin, flows};
}

async function mountLogin(
	props: Partial<Parameters<typeof LoginStep>[0]>,
	overrides: NonNullable<Parameters<typeof testServices>[1]>['overrides'],
): Promise<{r: Rendered; onDone: ReturnType<typeof vi.fn>; onBack: ReturnType<typeof vi.fn>}> {
	const onDone = vi.fn();
	const onBack = vi.fn();
	const services = testServices(await tempHome(), {overrides: {now: () => NOW, ...overrides}});
	const r = await renderScreen(
		<LoginStep isActive provider="openai" need="subscription" onDone={onDone} onBack={onBack} {...props} />,
		services,
	);
	cleanups.push(() => unmount(r));
	return {r, onDone, onBack};
}

describe('login step: OAuth methods', () => {
	it('browser: names the port to forward over SSH and the export/import path; Esc cancels; no device code is offered', async () => {
		const hint =
			'On a machine without a browser: forward the port with `ssh -L 40000:127.0.0.1:40000 THIS-HOST` and open the URL on your computer, or sign in on a machine with a browser and move the account with `tui auth export` / `tui auth import` (this machine keeps its own host id).';
		const {startLogin, flows} = fakeLogin({
			authUrl: 'http://127.0.0.1:1/api/accounts/authorize?client_id=dynamic_agent_client',
			remoteHint: hint,
		});
		const {r, onBack} = await mountLogin({}, {startLogin});
		let frame = r.lastFrame()!;
		expect(frame).toContain('How do you want to sign in?');
		expect(frame).toContain('› 1. Continue with ChatGPT (opens your browser)');
		expect(frame).toContain('2. Paste the callback');
		expect(frame).not.toMatch(/device/i);
		await press(r, KEYS.enter);
		await waitForFrame(r, 'esc cancel');
		// The hint is for a user who may be on another machine: it shows once no browser could be opened.
		expect(r.lastFrame()).not.toContain('ssh -L');
		await act(async () => {
			flows[0]!.emit({type: 'browser-failed', reason: 'no display'});
		});
		frame = await waitForFrame(r, 'ssh -L 40000:127.0.0.1:40000');
		expect(frame.replace(/\s+/g, ' ')).toContain('`tui auth export` / `tui auth import`');
		expect(frame).toContain('esc cancel');
		expect(flows[0]!.options!.method).toBe('browser');

		await press(r, KEYS.escape);
		await until(() => flows[0]!.cancelled > 0, 'cancel()');
		frame = r.lastFrame()!;
		expect(frame).toContain('How do you want to sign in?');
		expect(onBack).not.toHaveBeenCalled();
	});

	it('browser: "Opening your browser…", the URL to copy, a countdown; a failed open says so; success hands back the account', async () => {
		const url = 'https://auth.openai.com/oauth/authorize?client_id=x&state=s';
		const {startLogin, flows} = fakeLogin({authUrl: url, expiresAt: NOW + 4 * 60_000 + 59_000});
		const {r, onDone} = await mountLogin({}, {startLogin});
		await press(r, KEYS.enter);
		let frame = await waitForFrame(r, url);
		expect(frame).toContain('Opening your browser…');
		expect(frame).toContain('If it did not open, copy this URL');
		expect(frame).toContain('times out in 4:59');

		await act(async () => {
			flows[0]!.emit({type: 'browser-failed', reason: 'no display'});
		});
		frame = await waitForFrame(r, 'The browser did not open. Copy this URL');
		expect(frame).toContain(url);
		// Later progress does not hide that the browser failed to open.
		await act(async () => {
			flows[0]!.emit({type: 'waiting', method: 'browser', expiresAt: NOW + 4 * 60_000});
		});
		expect(r.lastFrame()).toContain('The browser did not open');

		await act(async () => {
			flows[0]!.emit({type: 'exchanging'});
		});
		await waitForFrame(r, 'Exchanging the code for tokens');
		await act(async () => {
			flows[0]!.resolve(ACCOUNT);
		});
		await until(() => onDone.mock.calls.length === 1, 'onDone');
		expect(onDone).toHaveBeenCalledWith(ACCOUNT);
	});

	it('a failure offers retry, another method, or back', async () => {
		const {startLogin, flows} = fakeLogin({authUrl: 'https://auth.openai.com/oauth/authorize?x=1'});
		const {r, onBack} = await mountLogin({}, {startLogin});
		await press(r, KEYS.enter);
		await waitForFrame(r, 'Opening your browser');
		await act(async () => {
			flows[0]!.reject(new Error('port 1455 is busy (held by codex); close it or try --method paste'));
		});
		let frame = await waitForFrame(r, '✗ port 1455 is busy');
		expect(frame).toContain('1. Try again');
		expect(frame).toContain('2. Use another method');
		expect(frame).toContain('3. Back');

		await press(r, '1');
		await waitForFrame(r, 'Opening your browser');
		expect(startLogin).toHaveBeenCalledTimes(2);
		await act(async () => {
			flows[1]!.reject(new Error('timed out after 5 minutes'));
		});
		await waitForFrame(r, '✗ timed out after 5 minutes');
		await press(r, KEYS.down, KEYS.enter);
		frame = r.lastFrame()!;
		expect(frame).toContain('How do you want to sign in?');
		await press(r, '2');
		frame = await waitForFrame(r, 'paste the whole address it lands on');
		await type(r, 'garbage');
		await press(r, KEYS.enter);
		frame = await waitForFrame(r, 'that is not code#state or a callback URL');
		expect(frame).toContain('Code:');
		await type(r, 'the-code#the-state');
		expect(r.lastFrame()).not.toContain('the-code');
		await press(r, KEYS.enter);
		await until(() => flows[2]!.submitted.length === 2, 'submitPaste');
		expect(flows[2]!.submitted).toEqual(['garbage', 'the-code#the-state']);
		await act(async () => {
			flows[2]!.reject(new Error('the pasted state does not match'));
		});
		await waitForFrame(r, '✗ the pasted state does not match');
		await press(r, '3');
		expect(onBack).toHaveBeenCalledTimes(1);
	});
});

describe('login step: over SSH', () => {
	it('starts on pasting the callback', async () => {
		const {startLogin} = fakeLogin({});
		const {r} = await mountLogin({}, {startLogin, env: {SSH_CONNECTION: '10.0.0.1 5000 10.0.0.2 22'}});
		expect(r.lastFrame()).toContain('› 2. Paste the callback');
	});
});

describe('login step: Claude subscription', () => {
	it('without the claude CLI and a host client, every method is shown disabled with its reason', async () => {
		const startLogin = vi.fn();
		const {r} = await mountLogin(
			{provider: 'claude', detected: {envKeys: []}},
			{startLogin, claudeOAuthConfigured: false},
		);
		const frame = r.lastFrame()!;
		expect(frame).toContain('Sign in through Claude Code');
		expect(frame).toContain('unavailable: the `claude` CLI was not found');
		expect(frame).toContain('unavailable: needs a Claude OAuth client registered by your host app');
		await press(r, '2');
		expect(r.lastFrame()).toContain('Unavailable: needs a Claude OAuth client');
		await press(r, KEYS.enter);
		expect(startLogin).not.toHaveBeenCalled();
	});

	it('an old claude CLI asks for an update; a current one delegates', async () => {
		const delegateToClaudeCode = vi.fn(
			async () => ({provider: 'claude', id: 'acc_2', label: 'claude-code', kind: 'delegated'}) as SavedAccount,
		);
		const old = await mountLogin(
			{provider: 'claude', detected: {envKeys: [], claudeCli: {version: '2.0.3', supportsAuth: false}}},
			{delegateToClaudeCode},
		);
		expect(old.r.lastFrame()).toContain('unavailable: update Claude Code (v2.1.41+ has `claude auth`)');

		const current = await mountLogin(
			{provider: 'claude', detected: {envKeys: [], claudeCli: {version: '2.1.50', supportsAuth: true}}},
			{delegateToClaudeCode},
		);
		await press(current.r, KEYS.enter);
		// The status-line offer comes first; declining keeps the sign-in.
		await waitForFrame(current.r, 'y add it');
		await press(current.r, 'n');
		await until(() => current.onDone.mock.calls.length === 1, 'onDone');
		expect(delegateToClaudeCode).toHaveBeenCalledTimes(1);
		expect(current.onDone.mock.calls[0]![0]).toMatchObject({kind: 'delegated'});
	});
});
