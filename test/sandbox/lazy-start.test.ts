// startSandbox({lazy: true}) (what `tui --sandbox` uses): it returns once listening, and the providers are built by
// the first request, which waits for them instead of failing.
import {expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {startSandbox} from '../../source/sandbox/server.js';
import {completeSandboxLoginWithoutBrowser} from '../helpers/sandbox-login.js';

it('answers the first requests, arriving together, once the providers are built; a login works end to end', async () => {
	const box = await startSandbox({lazy: true});
	try {
		// Concurrent first requests: discovery (oidc-provider), the Claude token endpoint (own handler), the index.
		const [discovery, claude, index] = await Promise.all([
			fetch(`${box.url}/.well-known/openid-configuration`),
			fetch(box.env.TUI_CLAUDE_OAUTH_TOKEN_URL!, {
				method: 'POST',
				headers: {'content-type': 'application/json'},
				body: '{}',
			}),
			fetch(box.url),
		]);
		expect(discovery.status).toBe(200);
		expect(((await discovery.json()) as {issuer: string}).issuer).toBe(box.issuer);
		expect(claude.status).toBe(401); // its own error for a missing grant: not a 503 "starting" nor a 500
		expect(await index.text()).toContain('tui-auth sandbox');

		const {startLogin} = await import('../../source/oauth/login.js');
		const home = await tempHome('tui-lazy-sandbox-');
		const handle = await startLogin('openai', {method: 'paste', env: box.env, home});
		const result = await completeSandboxLoginWithoutBrowser(handle.authUrl!, {land: false});
		await handle.submitPaste!(result.finalUrl);
		expect((await handle.done).tokens.access).toBeTruthy();
		expect(box.stats.codeExchanges).toBe(1);
	} finally {
		await box.close();
	}
});
