import {describe, expect, it} from 'vitest';
import {TuiError} from '../../source/core/errors.js';
import {assertSafeBrowserUrl, openBrowserSafely, shouldPrintInsteadOfOpen} from '../../source/oauth/browser.js';
import {failure} from './fixtures/failure.js';

const guard = {allowedHosts: ['auth.openai.com']};

describe('openBrowserSafely', () => {
	it('hands an https URL on the expected host to the opener as one argument', async () => {
		const seen: string[] = [];
		const ok = await openBrowserSafely('https://auth.openai.com/oauth/authorize?state=abc&scope=openid+email', {
			...guard,
			opener: async (url) => void seen.push(url),
		});
		expect(ok).toBe(true);
		expect(seen).toEqual(['https://auth.openai.com/oauth/authorize?state=abc&scope=openid+email']);
	});

	it('refuses other hosts, other schemes, shell metacharacters, newlines and a leading dash; the opener is never called', async () => {
		const bad = [
			'https://evil.example/oauth/authorize',
			'https://auth.openai.com.evil.example/',
			'http://auth.openai.com/oauth/authorize',
			'file:///etc/passwd',
			'javascript:alert(1)',
			'https://auth.openai.com/$(touch /tmp/pwned)',
			'https://auth.openai.com/`id`',
			'https://auth.openai.com/a\nb',
			'https://auth.openai.com/a b',
			'-https://auth.openai.com/',
			'--new-window=https://auth.openai.com/',
			'https://user:pw@auth.openai.com/',
			'http://127.0.0.1:1455/auth',
		];
		let calls = 0;
		for (const url of bad) {
			const error = await failure(openBrowserSafely(url, {...guard, opener: async () => void calls++}));
			expect(error, url).toBeInstanceOf(TuiError);
			expect(error.message).not.toContain('\n');
		}
		expect(calls).toBe(0);
	});

	it('allows http only to loopback, and only when told (the sandbox)', () => {
		expect(() => assertSafeBrowserUrl('http://127.0.0.1:5000/oauth/authorize', {allowedHosts: ['127.0.0.1']})).toThrow(
			/only https/,
		);
		expect(
			assertSafeBrowserUrl('http://127.0.0.1:5000/oauth/authorize', {
				allowedHosts: ['127.0.0.1'],
				allowLoopbackHttp: true,
			}).port,
		).toBe('5000');
		expect(() =>
			assertSafeBrowserUrl('http://example.com/', {allowedHosts: ['example.com'], allowLoopbackHttp: true}),
		).toThrow();
	});

	it('reports false when the opener fails', async () => {
		expect(
			await openBrowserSafely('https://auth.openai.com/x', {
				...guard,
				opener: async () => Promise.reject(new Error('no xdg-open')),
			}),
		).toBe(false);
	});
});

describe('shouldPrintInsteadOfOpen', () => {
	it('prints for --no-browser, SSH sessions and Linux without a display', () => {
		expect(shouldPrintInsteadOfOpen({DISPLAY: ':0'}, 'linux')).toBe(false);
		expect(shouldPrintInsteadOfOpen({WAYLAND_DISPLAY: 'wayland-0'}, 'linux')).toBe(false);
		expect(shouldPrintInsteadOfOpen({}, 'linux')).toBe(true);
		expect(shouldPrintInsteadOfOpen({DISPLAY: ':0', SSH_CONNECTION: '1.2.3.4 5 6.7.8.9 22'}, 'linux')).toBe(true);
		expect(shouldPrintInsteadOfOpen({}, 'darwin')).toBe(false);
		expect(shouldPrintInsteadOfOpen({}, 'darwin', true)).toBe(true);
	});
});
