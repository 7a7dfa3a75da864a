// Checks 6-9: XSS in the callback page (headless Chromium), mix-up and replay, the listener's bind, browser opening.
import {readFile, rm} from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import {join} from 'node:path';
import type {Browser, Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {TuiError} from '../../source/core/errors.js';
import {openBrowserSafely} from '../../source/oauth/browser.js';
import {startLogin, type LoginHandle} from '../../source/oauth/login.js';
import {startLoopbackListener, type LoopbackOptions} from '../../source/oauth/loopback.js';
import {launchBrowser} from '../helpers/browser.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';
import {useSandbox} from '../helpers/sandbox.js';

const sandbox = useSandbox();
const homes: string[] = [];
afterAll(async () => {
	for (const home of homes) await rm(home, {recursive: true, force: true});
});

async function newHome(): Promise<string> {
	const home = await tempHome('tui-stress-oauth-');
	homes.push(home);
	return home;
}

/** A browser login whose "browser" records the URL instead of opening anything. */
async function browserLogin(
	provider: 'openai' | 'claude',
	env: Record<string, string>,
): Promise<LoginHandle & {readonly state: string; readonly redirectUri: string}> {
	const handle = await startLogin(provider, {
		method: 'browser',
		env,
		home: await newHome(),
		openBrowser: async () => true,
		timeoutMs: 120_000,
	});
	handle.done.catch(() => {});
	const url = new URL(handle.authUrl!);
	return Object.assign(handle, {
		state: url.searchParams.get('state')!,
		redirectUri: url.searchParams.get('redirect_uri')!,
	});
}

/** GETs the callback on 127.0.0.1 (the listener's only address), with the Host the browser would send. */
async function callback(
	redirectUri: string,
	params: Record<string, string>,
): Promise<{status: number; body: string} | {error: string}> {
	const url = new URL(redirectUri);
	for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
	try {
		const response = await fetch(url.href.replace('//localhost:', '//127.0.0.1:'));
		return {status: response.status, body: await response.text()};
	} catch (error) {
		return {error: String((error as {cause?: {code?: string}}).cause?.code ?? error)};
	}
}

const claudeEnv = (env: Record<string, string>) => ({...env, TUI_CLAUDE_OAUTH_REDIRECT_PORT: '0'});

// ------------------------------------------------------------------ 6. XSS

const PAYLOADS: readonly string[] = [
	'<script>window.__pwned=1</script>',
	'<img src=x onerror="window.__pwned=1">',
	'<svg onload=window.__pwned=1>',
	'"><script>window.__pwned=1</script>',
	"'><script>window.__pwned=1</script>",
	'</p><script>window.__pwned=1</script><p>',
	'</title><script>window.__pwned=1</script>',
	'<iframe src="javascript:window.top.__pwned=1"></iframe>',
	'<body onload=window.__pwned=1>',
	'<details open ontoggle=window.__pwned=1>',
	'<input autofocus onfocus=window.__pwned=1>',
	'<video><source onerror="window.__pwned=1">',
	'<audio src=x onerror=window.__pwned=1>',
	'<marquee onstart=window.__pwned=1>',
	'<object data="javascript:window.__pwned=1">',
	'<embed src="javascript:window.__pwned=1">',
	'<a href="javascript:window.__pwned=1">x</a>',
	'<form action="javascript:window.__pwned=1"><button>x</button></form>',
	'<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
	'<base href="javascript:window.__pwned=1//">',
	'<link rel=stylesheet href="data:text/css,*{}">',
	'<style>@import "javascript:window.__pwned=1";</style>',
	'<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>',
	'<noscript><p title="</noscript><img src=x onerror=window.__pwned=1>">',
	'<scr<script>ipt>window.__pwned=1</scr</script>ipt>',
	'<SCRIPT SRC=data:,window.__pwned=1></SCRIPT>',
	'<script>/*',
	'*/window.__pwned=1</script>',
	'&lt;script&gt;window.__pwned=1&lt;/script&gt;',
	'&#60;script&#62;window.__pwned=1&#60;/script&#62;',
	'\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e',
	'`${window.__pwned=1}`',
	'{{constructor.constructor("window.__pwned=1")()}}',
	'javascript:window.__pwned=1',
	'data:text/html,<script>window.__pwned=1</script>',
	'<img src=x:x onerror=eval(atob("d2luZG93Ll9fcHduZWQ9MQ=="))>',
	'<!--<img src="--><img src=x onerror=window.__pwned=1//">',
	'<![CDATA[<script>window.__pwned=1</script>]]>',
	'<template><script>window.__pwned=1</script></template>',
	'<textarea></textarea><script>window.__pwned=1</script>',
	'<plaintext><script>window.__pwned=1</script>',
	'\u0000<script>window.__pwned=1</script>',
	'\u202e<script>window.__pwned=1</script>',
	'\u001b]0;pwned\u0007<script>window.__pwned=1</script>',
	'\u001b[2J\u001b[H<b>cleared</b>',
	'\u001b[31mred\u001b[0m<i>x</i>',
	'\u009b31m<u>csi</u>',
	'\u001bP+q\u001b\\<s>dcs</s>',
	'\u001b]8;;https://evil.test\u0007link\u001b]8;;\u0007',
	'line1\r\nline2\u0007\u0008<script>window.__pwned=1</script>',
];

// Any C0/C1 control but none (no \n either: the message is one line), and no ESC-introduced sequence.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

describe('callback page XSS', () => {
	let browser: Browser;
	let page: Page;
	beforeAll(async () => {
		browser = await launchBrowser();
		page = await browser.newPage();
	}, 60_000);
	afterAll(async () => {
		await browser?.close();
	});

	it(`${PAYLOADS.length} payloads in error and error_description render as text; CSP blocks inline script; the terminal gets no escapes`, async () => {
		expect(PAYLOADS).toHaveLength(50);
		const sb = sandbox();
		let dialogs = 0;
		page.on('dialog', (dialog) => {
			dialogs++;
			void dialog.dismiss();
		});
		let asText = 0;
		let clean = 0;
		const problems: string[] = [];
		for (const [n, payload] of PAYLOADS.entries()) {
			const login = await browserLogin('openai', sb.env);
			const url = new URL(login.redirectUri);
			url.search = new URLSearchParams({
				state: login.state,
				iss: sb.issuer,
				error: payload,
				error_description: payload,
			}).toString();
			const response = await page.goto(url.href);
			const headers = response!.headers();
			const pwned = await page.evaluate(() => (window as {__pwned?: unknown}).__pwned);
			const injected = await page.evaluate(
				() =>
					document.querySelectorAll(
						'script, img, svg, iframe, object, embed, video, audio, style, link, base, meta[http-equiv], form, input, a, textarea, details, marquee, template, math, b, i, u, s',
					).length,
			);
			const shown = await page.locator('#message').textContent();
			// The page's CSP must refuse inline script even if markup ever got through.
			const cspBlocks = await page.evaluate(() => {
				const script = document.createElement('script');
				script.textContent = 'window.__pwned = "csp"';
				document.body.append(script);
				return (window as {__pwned?: unknown}).__pwned === undefined;
			});
			const error = await login.done.then(
				() => undefined,
				(e: unknown) => e as Error,
			);
			const pageOk =
				response!.status() === 400 &&
				pwned === undefined &&
				injected === 0 &&
				cspBlocks &&
				headers['content-security-policy'] === "default-src 'none'" &&
				headers['content-type'] === 'text/html; charset=utf-8' &&
				headers['x-content-type-options'] === 'nosniff';
			const message = error?.message ?? '';
			// The page shows the engine's one-line message as plain text, character for character (markup included).
			const visible = message.length > 0 && shown === message;
			if (pageOk && visible) asText++;
			else
				problems.push(
					`page ${n}: status ${response!.status()} pwned ${String(pwned)} injected ${injected} csp ${cspBlocks} text ${JSON.stringify(shown)}`,
				);
			if (error instanceof TuiError && !CONTROL.test(message) && message.includes('ChatGPT refused the sign-in'))
				clean++;
			else problems.push(`terminal ${n}: ${JSON.stringify(message)}`);
		}
		console.log(
			`callback XSS: ${asText}/${PAYLOADS.length} rendered as text (no script ran, CSP blocked inline), ${clean}/${PAYLOADS.length} terminal messages free of escapes, ${dialogs} dialogs`,
		);
		expect(problems).toEqual([]);
		expect(dialogs).toBe(0);
	});
});

// ------------------------------------------------------------------ 7. mix-up and replay

describe('mix-up and replay', () => {
	it("a state from one provider's login is refused on the other's callback; a wrong iss is refused; a code is exchanged once", async () => {
		const sb = sandbox();
		const before = {...sb.stats};
		const openai = await browserLogin('openai', sb.env);
		const claude = await browserLogin('claude', claudeEnv(sb.env));
		const crossed = [
			await callback(claude.redirectUri, {code: 'x', state: openai.state}),
			await callback(openai.redirectUri, {code: 'x', state: claude.state, iss: sb.issuer}),
		];
		const crossedRefused = crossed.filter((r) => 'status' in r && r.status === 400).length;
		// Both logins kept waiting, and still complete with their own state.
		await completeSandboxLoginWithoutBrowser(openai.authUrl!);
		await completeSandboxLoginWithoutBrowser(claude.authUrl!);
		const [a, c] = await Promise.all([openai.done, claude.done]);
		expect(a.tokens.access).toBeTruthy();
		expect(c.tokens.access).toBeTruthy();

		// A wrong issuer ends that login, with no code exchange.
		const evil = await browserLogin('openai', sb.env);
		const exchangesBefore = sb.stats.codeExchanges;
		const wrongIss = await callback(evil.redirectUri, {code: 'x', state: evil.state, iss: 'http://evil.test'});
		const issError = await evil.done.then(
			() => undefined,
			(e: unknown) => e as Error,
		);
		expect(wrongIss).toMatchObject({status: 400});
		expect(issError?.message).toBe('the callback names another issuer; sign-in refused');
		expect(sb.stats.codeExchanges).toBe(exchangesBefore);

		// The same callback (code) delivered twice at once, and again later: one exchange.
		const replayed = await browserLogin('openai', sb.env);
		const landing = await completeSandboxLoginWithoutBrowser(replayed.authUrl!, {land: false});
		const local = landing.finalUrl.replace('//localhost:', '//127.0.0.1:');
		const twice = await Promise.all([
			fetch(local).then(
				(r) => r.status,
				() => 0,
			),
			fetch(local).then(
				(r) => r.status,
				() => 0,
			),
		]);
		await replayed.done;
		const later = await fetch(local).then(
			(r) => r.status,
			(e: {cause?: {code?: string}}) => e.cause?.code ?? 'error',
		);
		const claudeReplay = await browserLogin('claude', claudeEnv(sb.env));
		const claudeLanding = await completeSandboxLoginWithoutBrowser(claudeReplay.authUrl!, {land: false});
		const claudeLocal = claudeLanding.finalUrl.replace('//localhost:', '//127.0.0.1:');
		const claudeTwice = await Promise.all([
			fetch(claudeLocal).then(
				(r) => r.status,
				() => 0,
			),
			fetch(claudeLocal).then(
				(r) => r.status,
				() => 0,
			),
		]);
		await claudeReplay.done;

		const openaiExchanges = sb.stats.codeExchanges - before.codeExchanges;
		const claudeExchanges = sb.stats.claudeCodeExchanges - before.claudeCodeExchanges;
		console.log(
			`mix-up and replay: crossed states refused ${crossedRefused}/2, wrong iss refused ${issError ? 1 : 0}/1, ` +
				`duplicate callbacks ${JSON.stringify(twice)} + later ${later} (openai), ${JSON.stringify(claudeTwice)} (claude); code exchanges openai ${openaiExchanges} for 2 logins, claude ${claudeExchanges} for 2 logins`,
		);
		expect(crossedRefused).toBe(2);
		expect(twice.filter((s) => s === 200)).toHaveLength(1);
		expect(claudeTwice.filter((s) => s === 200)).toHaveLength(1);
		expect(later).toBe('ECONNREFUSED');
		// One exchange per completed login: the two of the mix-up part, the one replayed twice (and none for the wrong iss).
		expect(openaiExchanges).toBe(2);
		expect(claudeExchanges).toBe(2);
	});
});

// ------------------------------------------------------------------ 8. bind

/** LISTEN sockets on `port` from /proc/net/tcp and tcp6, as local hex addresses. */
async function listeningAddresses(port: number): Promise<string[]> {
	const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
	const found: string[] = [];
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		const text = await readFile(table, 'utf8').catch(() => '');
		for (const line of text.split('\n').slice(1)) {
			const cols = line.trim().split(/\s+/);
			if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A') found.push(cols[1].split(':')[0]!);
		}
	}
	return found;
}

function reachable(host: string, port: number, scopeid?: number): Promise<string> {
	return new Promise((resolve) => {
		const socket = net.connect({host: scopeid ? `${host}%${scopeid}` : host, port, timeout: 3000});
		socket.once('connect', () => {
			socket.destroy();
			resolve('connected');
		});
		socket.once('timeout', () => {
			socket.destroy();
			resolve('timeout');
		});
		socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
	});
}

describe('bind', () => {
	it('the listener is reachable on no non-loopback address, whatever the options', async () => {
		const addresses = Object.values(os.networkInterfaces())
			.flat()
			.filter(
				(a): a is os.NetworkInterfaceInfo => a !== undefined && !a.address.startsWith('127.') && a.address !== '::1',
			);
		const variants: Partial<LoopbackOptions>[] = [
			{},
			{redirectHost: '0.0.0.0'},
			{redirectHost: '::'},
			{redirectHost: addresses[0]?.address ?? '192.0.2.1'},
			{redirectHost: 'example.com'},
		];
		let probes = 0;
		let reached = 0;
		const details: string[] = [];
		for (const variant of variants) {
			const listener = await startLoopbackListener({
				ports: [0],
				path: '/auth/callback',
				expectedState: 'x'.repeat(43),
				timeoutMs: 60_000,
				...variant,
			});
			try {
				expect(await reachable('127.0.0.1', listener.port)).toBe('connected');
				expect(await listeningAddresses(listener.port)).toEqual(['0100007F']);
				for (const a of addresses) {
					probes++;
					const result = await reachable(
						a.address,
						listener.port,
						a.family === 'IPv6' && a.address.startsWith('fe80') ? a.scopeid : undefined,
					);
					if (result === 'connected') reached++;
					details.push(`${a.address}=${result}`);
				}
			} finally {
				await listener.close();
			}
		}
		console.log(
			`bind: ${reached}/${probes} probes of ${addresses.length} non-loopback addresses reachable over ${variants.length} option sets (${[...new Set(details)].join(', ') || 'no such address on this machine'}); listening on 127.0.0.1 only`,
		);
		expect(reached).toBe(0);
	});
});

// ------------------------------------------------------------------ 9. browser opening

describe('browser opening', () => {
	it('dangerous or unexpected URLs are refused before the opener is called', async () => {
		const calls: string[] = [];
		const opener = async (url: string) => {
			calls.push(url);
		};
		const options = {allowedHosts: ['auth.openai.com'], opener};
		const base = 'https://auth.openai.com/oauth/authorize?client_id=x&state=abc';
		const refused = [
			`${base}$(touch /tmp/pwned)`,
			`https://auth.openai.com/$(id)`,
			`${base}\`id\``,
			`https://auth.openai.com/\`id\``,
			`${base}\nhttps://evil.test`,
			`${base}\r\nX: y`,
			`${base}\u0000`,
			`${base} --foo`,
			`--${base}`,
			`-a ${base}`,
			'--new-window https://auth.openai.com/',
			'http://auth.openai.com/oauth/authorize',
			'file:///etc/passwd',
			'javascript:alert(1)',
			'data:text/html,<script>alert(1)</script>',
			'ftp://auth.openai.com/',
			'ssh://auth.openai.com/',
			'vbscript:msgbox(1)',
			'https://evil.test/oauth/authorize',
			'https://auth.openai.com.evil.test/',
			'https://evil.test/?https://auth.openai.com/',
			'https://auth.openai.com@evil.test/',
			'https://user:pass@auth.openai.com/',
			'https://127.0.0.1/oauth',
			'http://127.0.0.1:1455/',
			'https://xn--uth-openai-xyz.com/',
			'auth.openai.com/oauth/authorize',
			'//auth.openai.com/oauth/authorize',
			'',
			'not a url',
		];
		let refusedCount = 0;
		for (const url of refused) {
			const error = await openBrowserSafely(url, options).then(
				() => undefined,
				(e: unknown) => e as Error,
			);
			if (error instanceof TuiError && !error.message.includes(url || '\u0000never')) refusedCount++;
		}
		// The sandbox's http loopback is allowed only when asked for; a good URL reaches the opener unchanged.
		const sandboxUrl = 'http://127.0.0.1:4444/oauth/authorize?state=abc';
		const sandboxRefused = await openBrowserSafely(sandboxUrl, {allowedHosts: ['127.0.0.1'], opener}).then(
			() => false,
			() => true,
		);
		const opened = await openBrowserSafely(base, options);
		const sandboxOpened = await openBrowserSafely(sandboxUrl, {
			allowedHosts: ['127.0.0.1'],
			allowLoopbackHttp: true,
			opener,
		});
		console.log(
			`browser opening: ${refusedCount}/${refused.length} refused before the opener, opener calls ${calls.length} (only the 2 good URLs)`,
		);
		expect(refusedCount).toBe(refused.length);
		expect(sandboxRefused).toBe(true);
		expect(opened).toBe(true);
		expect(sandboxOpened).toBe(true);
		expect(calls).toEqual([base, sandboxUrl]);
	});
});
