// The loopback redirect listener: 127.0.0.1 only, up before the browser opens, one accepted callback, closed promptly.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {readFile, readdir, readlink} from 'node:fs/promises';
import type {AddressInfo} from 'node:net';
import type {Duplex} from 'node:stream';
import {TuiError} from '../core/errors.js';
import {safeLine} from '../core/text.js';
import {stateMatches} from './pkce.js';
import {sendPage} from './callback-page.js';

export const DEFAULT_LOGIN_TIMEOUT_MS = 5 * 60 * 1000;

export type CallbackOutcome = {readonly ok: true} | {readonly ok: false; readonly message: string};

export type AcceptedCallback = {
	/** The callback's query parameters; state already matched and `validate` passed. */
	readonly params: URLSearchParams;
	/** Answers the browser (after the code exchange) and closes the listener. */
	respond(outcome: CallbackOutcome): Promise<void>;
};

export type LoopbackOptions = {
	/** Ports to try in order; 0 = an ephemeral port chosen by the OS. */
	readonly ports: readonly number[];
	readonly path: string;
	/** Host name in the redirect URI ("localhost"); the listener still binds 127.0.0.1 only. */
	readonly redirectHost?: string;
	readonly expectedState: string;
	/** Protocol checks after the state matched (iss, error=…); throws a TuiError that ends the flow. */
	readonly validate?: (params: URLSearchParams) => void;
	readonly timeoutMs?: number;
	readonly signal?: AbortSignal;
	/** Called for every request, for progress display; never given secrets. */
	readonly onRequest?: (event: {readonly path: string; readonly status: number}) => void;
};

export type LoopbackListener = {
	readonly port: number;
	readonly redirectUri: string;
	/** Resolves with the one accepted callback; rejects on provider error, timeout or cancel. */
	readonly callback: Promise<AcceptedCallback>;
	/** Ends the flow (if still waiting) and closes the listener; resolves once the port is free. */
	close(reason?: string): Promise<void>;
	readonly closed: Promise<void>;
};

const BIND_HOST = '127.0.0.1';

export async function startLoopbackListener(options: LoopbackOptions): Promise<LoopbackListener> {
	const server = createServer();
	server.keepAliveTimeout = 1000;
	const port = await listenOnFirstFree(server, options.ports);
	const redirectHost = options.redirectHost ?? 'localhost';
	const redirectUri = `http://${redirectHost}:${port}${options.path}`;
	// A redirect to 127.0.0.1 is answered only under that exact Host; a "localhost" redirect under either name.
	const allowedHosts = new Set(
		redirectHost === BIND_HOST ? [`${BIND_HOST}:${port}`] : [`localhost:${port}`, `${BIND_HOST}:${port}`],
	);

	let state: 'waiting' | 'accepted' | 'ended' = 'waiting';
	let resolveCallback!: (value: AcceptedCallback) => void;
	let rejectCallback!: (error: Error) => void;
	const callback = new Promise<AcceptedCallback>((resolve, reject) => {
		resolveCallback = resolve;
		rejectCallback = reject;
	});
	// The caller may only look at `closed`; an unobserved rejection must not crash the process.
	callback.catch(() => {});

	let closing: Promise<void> | undefined;
	const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
	const shutdown = (): Promise<void> => {
		closing ??= new Promise<void>((resolve) => {
			clearTimeout(timer);
			options.signal?.removeEventListener('abort', onAbort);
			server.close(() => resolve());
			// Idle keep-alive sockets would hold the port open.
			server.closeAllConnections();
		});
		return closing;
	};
	const end = (error: Error): void => {
		if (state === 'waiting') {
			state = 'ended';
			rejectCallback(error);
		}
		void shutdown();
	};

	const timeoutMs = options.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
	const timer = setTimeout(
		() => end(new TuiError(`login timed out after ${formatDuration(timeoutMs)}; run the login again`)),
		timeoutMs,
	);
	timer.unref?.();
	const onAbort = (): void => end(new TuiError('login cancelled'));
	if (options.signal?.aborted) onAbort();
	else options.signal?.addEventListener('abort', onAbort, {once: true});

	// Without a 'connect' listener Node drops a CONNECT request's socket unanswered; answer it like any wrong method.
	server.on('connect', (req: IncomingMessage, socket: Duplex) => {
		options.onRequest?.({path: pathOf(req), status: 405});
		socket.on('error', () => {});
		socket.end('HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
	});

	server.on('request', (req: IncomingMessage, res: ServerResponse) => {
		const answer = (status: number, title: string, message: string, after?: () => void): void => {
			options.onRequest?.({path: pathOf(req), status});
			sendPage(res, status, title, message, after);
		};
		const host = (req.headers.host ?? '').toLowerCase();
		if (!allowedHosts.has(host)) return answer(400, 'Bad request', 'Unexpected Host header.');
		if (req.method !== 'GET') return answer(405, 'Method not allowed', 'Only GET is accepted here.');
		let url: URL;
		try {
			url = new URL(req.url ?? '/', `http://${host}`);
		} catch {
			return answer(400, 'Bad request', 'Malformed request.');
		}
		if (url.pathname !== options.path) return answer(404, 'Not found', 'Nothing here.');
		if (state !== 'waiting') return answer(400, 'Already handled', 'This login has already been handled.');
		const params = url.searchParams;
		if (!stateMatches(options.expectedState, params.get('state'))) {
			// Could be a stale tab or a forged request: refuse it, keep waiting for the real one.
			return answer(
				400,
				'Login not accepted',
				'The state parameter is missing or does not match this login. Start the login again from the terminal if this persists.',
			);
		}
		try {
			options.validate?.(params);
		} catch (error) {
			const message = error instanceof TuiError ? error.message : 'the authorization response was not valid';
			state = 'ended';
			rejectCallback(error instanceof TuiError ? error : new TuiError(message));
			return answer(400, 'Login failed', message, () => void shutdown());
		}
		if (!params.get('code')) return answer(400, 'Login not accepted', 'The callback carries no authorization code.');
		state = 'accepted';
		clearTimeout(timer);
		let responded = false;
		resolveCallback({
			params: new URLSearchParams(params),
			respond: (outcome) =>
				new Promise<void>((resolve) => {
					if (responded) return resolve();
					responded = true;
					const after = (): void => void shutdown().then(resolve);
					if (outcome.ok) answer(200, 'Login complete', 'You are signed in.', after);
					else answer(400, 'Login failed', outcome.message, after);
				}),
		});
	});

	const close = async (reason?: string): Promise<void> => {
		end(new TuiError(reason ?? 'login cancelled'));
		await shutdown();
	};
	return {port, redirectUri, callback, closed, close};
}

function pathOf(req: IncomingMessage): string {
	return (req.url ?? '/').split('?')[0] ?? '/';
}

function formatDuration(ms: number): string {
	if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
	return `${Math.round(ms / 1000)} s`;
}

async function listenOnFirstFree(server: Server, ports: readonly number[]): Promise<number> {
	if (ports.length === 0) throw new TuiError('no redirect port configured');
	const busy: number[] = [];
	for (const port of ports) {
		const result = await new Promise<number | NodeJS.ErrnoException>((resolve) => {
			const onError = (error: NodeJS.ErrnoException): void => {
				server.off('listening', onListening);
				resolve(error);
			};
			const onListening = (): void => {
				server.off('error', onError);
				resolve((server.address() as AddressInfo).port);
			};
			server.once('error', onError);
			server.once('listening', onListening);
			// Bound to the loopback address only: nothing on the network can reach the callback.
			server.listen({port, host: BIND_HOST, exclusive: true});
		});
		if (typeof result === 'number') return result;
		if (result.code !== 'EADDRINUSE' && result.code !== 'EACCES')
			throw new TuiError(`cannot listen on ${BIND_HOST}:${port} (${result.code ?? 'error'})`);
		busy.push(port);
	}
	const holder = await describePortHolder(busy[0] ?? 0, 800).catch(() => undefined);
	const what = busy.length === 1 ? `port ${busy[0]} is in use` : `ports ${busy.join(' and ')} are in use`;
	throw new TuiError(`${what}${holder ? ` (by ${holder})` : ''} — another login running? use --method paste`);
}

/**
 * Best effort, Linux only: which process listens on 127.0.0.1/0.0.0.0:port ("pid 123 node").
 * Reads /proc within a time budget; returns undefined when it cannot tell.
 */
export async function describePortHolder(port: number, budgetMs = 800): Promise<string | undefined> {
	if (process.platform !== 'linux' || port <= 0) return undefined;
	const deadline = Date.now() + budgetMs;
	const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
	const inodes = new Set<string>();
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		const text = await readFile(table, 'utf8').catch(() => '');
		for (const line of text.split('\n').slice(1)) {
			const cols = line.trim().split(/\s+/);
			// local_address is col 1 ("0100007F:05AF"), st col 3 ("0A" = LISTEN), inode col 9.
			if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A' && cols[9] && cols[9] !== '0') inodes.add(cols[9]);
		}
	}
	if (inodes.size === 0) return undefined;
	const pids = (await readdir('/proc').catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
	for (const pid of pids) {
		if (Date.now() > deadline) return undefined;
		const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
		for (const fd of fds) {
			const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
			const match = /^socket:\[(\d+)\]$/.exec(link);
			if (match?.[1] && inodes.has(match[1])) {
				const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
				return safeLine(`pid ${pid}${comm.trim() ? ` ${comm.trim()}` : ''}`, 80);
			}
		}
	}
	return undefined;
}
