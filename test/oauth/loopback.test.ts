import {request} from 'node:http';
import {connect, createServer, type Server} from 'node:net';
import {describe, expect, it} from 'vitest';
import {until} from '../helpers/wait.js';
import {failure} from './fixtures/failure.js';
import {TuiError} from '../../source/core/errors.js';
import {startLoopbackListener, type LoopbackListener} from '../../source/oauth/loopback.js';

type Reply = {status: number; headers: Record<string, string | string[] | undefined>; body: string};

function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const req = request({host: '127.0.0.1', port, path, headers: {host}, agent: false}, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (body += chunk));
			res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body}));
		});
		req.on('error', reject);
		req.end();
	});
}

function refuses(port: number): Promise<boolean> {
	return new Promise<boolean>((resolve) => {
		const s = connect({host: '127.0.0.1', port});
		s.once('connect', () => {
			s.destroy();
			resolve(false);
		});
		s.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
	});
}

/** Resolves true once a TCP connect to the port is refused; fails if it still accepts after `withinMs`. */
function refusedWithin(port: number, withinMs = 1000): Promise<boolean> {
	return until(() => refuses(port), `port ${port} to refuse connections`, withinMs);
}

const STATE = 'expected-state-0123456789abcdefghijklmnop';

async function listen(extra: Partial<Parameters<typeof startLoopbackListener>[0]> = {}): Promise<LoopbackListener> {
	return startLoopbackListener({ports: [0], path: '/auth/callback', expectedState: STATE, ...extra});
}

function expectPageHeaders(reply: Reply): void {
	expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
	expect(reply.headers['content-security-policy']).toBe("default-src 'none'");
	expect(reply.headers['x-content-type-options']).toBe('nosniff');
	expect(reply.headers['cache-control']).toBe('no-store');
	expect(reply.headers['referrer-policy']).toBe('no-referrer');
	expect(reply.body).toContain('You can close this tab and return to the terminal');
}

describe('loopback listener', () => {
	it('binds 127.0.0.1 on an ephemeral port and reports the redirect URI', async () => {
		const l = await listen();
		expect(l.port).toBeGreaterThan(0);
		expect(l.redirectUri).toBe(`http://localhost:${l.port}/auth/callback`);
		// Not reachable on another local address of this machine's loopback range.
		const other = await new Promise<string>((resolve) => {
			const s = connect({host: '127.0.0.2', port: l.port});
			s.once('connect', () => (s.destroy(), resolve('connected')));
			s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
		});
		expect(other).not.toBe('connected');
		await l.close();
		expect(await refusedWithin(l.port)).toBe(true);
	});

	it('rejects wrong and missing state with 400 and keeps waiting; then accepts the right one once', async () => {
		const l = await listen();
		const wrong = await get(l.port, '/auth/callback?code=c1&state=nope');
		expect(wrong.status).toBe(400);
		expectPageHeaders(wrong);
		expect((await get(l.port, '/auth/callback?code=c1')).status).toBe(400);
		const ok = get(l.port, `/auth/callback?code=the-code&state=${STATE}`);
		const accepted = await l.callback;
		expect(accepted.params.get('code')).toBe('the-code');
		// A second callback while the first is being handled is refused.
		const replay = await get(l.port, `/auth/callback?code=other&state=${STATE}`);
		expect(replay.status).toBe(400);
		expect(replay.body).toContain('already been handled');
		await accepted.respond({ok: true});
		const page = await ok;
		expect(page.status).toBe(200);
		expectPageHeaders(page);
		expect(await refusedWithin(l.port)).toBe(true);
	});

	it('rejects a Host header other than localhost:PORT / 127.0.0.1:PORT with 400', async () => {
		const l = await listen();
		for (const host of ['evil.example', `evil.example:${l.port}`, `localhost:${l.port + 1}`, 'localhost']) {
			expect((await get(l.port, `/auth/callback?code=c&state=${STATE}`, host)).status).toBe(400);
		}
		const ok = get(l.port, `/auth/callback?code=c&state=${STATE}`, `localhost:${l.port}`);
		const accepted = await l.callback;
		await accepted.respond({ok: true});
		expect((await ok).status).toBe(200);
		expect(await refusedWithin(l.port)).toBe(true);
	});

	it('answers stray paths with 404 and the flow goes on', async () => {
		const l = await listen();
		const favicon = await get(l.port, '/favicon.ico');
		expect(favicon.status).toBe(404);
		expect((await get(l.port, '/')).status).toBe(404);
		const ok = get(l.port, `/auth/callback?code=c&state=${STATE}`);
		const accepted = await l.callback;
		await accepted.respond({ok: false, message: 'exchange failed <b>x</b>'});
		const page = await ok;
		expect(page.status).toBe(400);
		expect(page.body).toContain('exchange failed &lt;b&gt;x&lt;/b&gt;');
		expect(await refusedWithin(l.port)).toBe(true);
	});

	it('ends the flow on error=access_denied with the right state, escaping the description', async () => {
		const l = await listen({
			validate: (params) => {
				if (params.get('error')) throw new TuiError(`denied: ${params.get('error_description') ?? ''}`);
			},
		});
		const payload = encodeURIComponent('<script>alert(1)</script>');
		const page = await get(l.port, `/auth/callback?error=access_denied&error_description=${payload}&state=${STATE}`);
		expect(page.status).toBe(400);
		expectPageHeaders(page);
		expect(page.body).not.toContain('<script>');
		expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		await expect(l.callback).rejects.toThrow('denied: <script>alert(1)</script>');
		expect(await refusedWithin(l.port)).toBe(true);
	});

	it('fails within 2 s with one line naming the busy port, and falls back to the next port', async () => {
		const blocker: Server = createServer();
		await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
		const busy = (blocker.address() as {port: number}).port;
		try {
			const started = Date.now();
			const error = await failure(startLoopbackListener({ports: [busy], path: '/auth/callback', expectedState: STATE}));
			expect(Date.now() - started).toBeLessThan(2000);
			expect(error).toBeInstanceOf(TuiError);
			const message = (error as Error).message;
			expect(message).toMatch(new RegExp(`^port ${busy} is in use`));
			expect(message).toContain('another login running? use --method paste');
			expect(message).toContain(`pid ${process.pid}`);
			expect(message).not.toContain('\n');
			const fallback = await startLoopbackListener({ports: [busy, 0], path: '/auth/callback', expectedState: STATE});
			expect(fallback.port).not.toBe(busy);
			await fallback.close();
			expect(await refusedWithin(fallback.port)).toBe(true);
		} finally {
			await new Promise((r) => blocker.close(r));
		}
	});

	it('times out, then the port is closed within 1 s', async () => {
		const l = await listen({timeoutMs: 200});
		await expect(l.callback).rejects.toThrow(/timed out/);
		expect(await refusedWithin(l.port)).toBe(true);
	});

	it('cancels on abort, closing idle keep-alive connections too', async () => {
		const controller = new AbortController();
		const l = await listen({signal: controller.signal});
		// An idle keep-alive socket must not hold the port open.
		const idle = connect({host: '127.0.0.1', port: l.port});
		await new Promise((r) => idle.once('connect', r));
		const started = Date.now();
		controller.abort();
		await expect(l.callback).rejects.toThrow('login cancelled');
		await l.closed;
		expect(Date.now() - started).toBeLessThan(1000);
		expect(await refusedWithin(l.port)).toBe(true);
		idle.destroy();
	});
});
