// Start, env, close and the standalone process.
import {createServer} from 'node:net';
import {Agent, request} from 'node:http';
import {expect, it} from 'vitest';
import {TuiError} from '../../source/core/errors.js';
import {startSandbox} from '../../source/sandbox/server.js';
import {spawnSandboxProcess, startTestSandbox} from '../helpers/sandbox.js';

const listenOn = (port: number) =>
	new Promise<void>((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
	});

it('returns env that points every endpoint at 127.0.0.1', async () => {
	const box = await startTestSandbox();
	expect(box.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	expect(box.env).toMatchObject({
		TUI_SANDBOX: '1',
		TUI_OPENAI_ISSUER: box.issuer,
		OPENAI_BASE_URL: `${box.url}/v1`,
		TUI_OPENAI_USAGE_URL: `${box.url}/backend-api/wham/usage`,
		ANTHROPIC_BASE_URL: `${box.url}/anthropic`,
		TUI_CLAUDE_OAUTH_AUTHORIZE_URL: `${box.url}/claude/oauth/authorize`,
		TUI_CLAUDE_OAUTH_TOKEN_URL: `${box.url}/claude/v1/oauth/token`,
		TUI_CLAUDE_USAGE_URL: `${box.url}/api/oauth/usage`,
	});
	expect(box.env.TUI_CLAUDE_OAUTH_CLIENT_ID).toBeTruthy();
	for (const value of Object.values(box.env))
		if (value.startsWith('http')) expect(new URL(value).hostname).toBe('127.0.0.1');
	const index = await fetch(box.url);
	expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
	expect(await index.text()).toContain('tui-auth sandbox');
});

it('close() frees the port within a second, even with a keep-alive connection open', async () => {
	const box = await startSandbox({});
	// Hold a keep-alive socket open to the sandbox.
	await new Promise<void>((resolve, reject) => {
		const req = request(`${box.url}/.well-known/openid-configuration`, {agent: new Agent({keepAlive: true})}, (res) => {
			res.resume();
			res.on('end', resolve);
		});
		req.on('error', reject);
		req.end();
	});
	const started = Date.now();
	await box.close();
	expect(Date.now() - started).toBeLessThan(1000);
	await listenOn(box.port);
	await expect(fetch(box.url)).rejects.toThrow();
});

it('fails clearly when a fixed port is busy', async () => {
	const first = await startTestSandbox();
	const error = await startSandbox({port: first.port}).catch((caught: unknown) => caught);
	expect(error).toBeInstanceOf(TuiError);
	expect((error as Error).message).toBe(`sandbox: port ${first.port} on 127.0.0.1 is already in use`);
});

it('runs as its own process: one JSON env line on stdout, nothing on stderr, exit 0 on SIGTERM', async () => {
	const proc = await spawnSandboxProcess(['--plan', 'pro']);
	const discovery = (await (await fetch(`${proc.url}/.well-known/openid-configuration`)).json()) as {issuer: string};
	expect(discovery.issuer).toBe(proc.env.TUI_OPENAI_ISSUER);
	expect(await proc.stop()).toBe(0);
	expect(proc.output.stdout).toBe('');
	// oidc-provider's development notices (Node 20 "Unsupported runtime", dev interactions) are filtered.
	expect(proc.output.stderr).toBe('');
	await expect(fetch(proc.url)).rejects.toThrow();
});
