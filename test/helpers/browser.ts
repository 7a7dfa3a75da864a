// Real headless Chromium (playwright-core with the system browser; never a downloaded one),
// and helpers that sign in at the sandbox the way a user would.
import {chromium, type Browser, type Page} from 'playwright-core';

export {
	completeSandboxLoginWithoutBrowser,
	type SandboxLoginOptions,
	type SandboxLoginResult,
} from './sandbox-login.js';

export const CHROMIUM_PATH = process.env.TUI_TEST_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
}

export type BrowserLoginOptions = {
	/** The login typed into the sandbox's form (default user@sandbox.test). */
	readonly email?: string;
	readonly timeoutMs?: number;
};

const sameOrigin = (url: string, origin: string) => {
	try {
		return new URL(url).origin === origin;
	} catch {
		return false;
	}
};

/**
 * Opens `startUrl` and works through the sandbox's pages (the ChatGPT and the Claude-shaped authorize pages) by filling and clicking like a user,
 * until the browser lands off the sandbox (the client's callback) or on a page with nothing left
 * to submit. Returns the URL it ended on.
 */
export async function completeSandboxLogin(
	page: Page,
	startUrl: string,
	options: BrowserLoginOptions = {},
): Promise<string> {
	const origin = new URL(startUrl).origin;
	const email = options.email ?? 'user@sandbox.test';
	const timeout = options.timeoutMs ?? 15_000;
	await page.goto(startUrl, {timeout});
	for (let step = 0; step < 12; step++) {
		await page.waitForLoadState('load', {timeout});
		const current = page.url();
		if (!sameOrigin(current, origin)) return current;
		const approve = page.locator('button[name="decision"][value="approve"]');
		let submit;
		if (await approve.count()) {
			const field = page.locator('input[name="email"]');
			if (await field.count()) await field.fill(email);
			submit = approve;
		} else {
			return current;
		}
		// A form may answer at the same URL (the device pages do), so wait for a new document, not a new URL.
		await Promise.all([
			page.waitForEvent('framenavigated', {predicate: (frame) => frame === page.mainFrame(), timeout}),
			submit.first().click({timeout}),
		]);
	}
	throw new Error('sandbox sign-in in the browser did not finish within 12 pages');
}
