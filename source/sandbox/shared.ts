// One sandbox per sandbox home, shared by every `tui --sandbox --home DIR` process on it.
// The first process starts it in the background (a detached `tui` running serveSharedSandbox) with its state
// in DIR/sandbox/ and its address and pid in DIR/sandbox/server.json; the others reuse it while it answers.
// It stops by itself after an idle spell, when its server.json is removed (tui reset) or names another process.
import {spawn} from 'node:child_process';
import {closeSync, openSync, readFileSync} from 'node:fs';
import {get, type IncomingMessage, type ServerResponse} from 'node:http';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {TuiError} from '../core/errors.js';
import {withFileLock} from '../store/lock.js';
import {ensurePrivateDir, writeFileAtomic} from '../store/secure-fs.js';

/** The route a running shared sandbox answers with its pid, before anything else is built. */
export const HEALTH_ROUTE = '/__tui/sandbox';
const SERVER_FILE = 'server.json';
/** Idle spell before the background sandbox stops (TUI_SANDBOX_IDLE_SECONDS overrides). */
const DEFAULT_IDLE_SECONDS = 15 * 60;

export type ServerInfo = {
	readonly pid: number;
	readonly url: string;
	readonly port: number;
	readonly env: Record<string, string>;
};

export function sandboxStateDir(home: string): string {
	return path.join(home, 'sandbox');
}

export function idleMsFrom(env: Readonly<Record<string, string | undefined>>): number {
	const seconds = Number(env.TUI_SANDBOX_IDLE_SECONDS);
	return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_IDLE_SECONDS) * 1000;
}

function readInfo(dir: string): ServerInfo | undefined {
	try {
		const info = JSON.parse(readFileSync(path.join(dir, SERVER_FILE), 'utf8')) as ServerInfo;
		return Number.isInteger(info.pid) && typeof info.url === 'string' ? info : undefined;
	} catch {
		return undefined;
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The pid a shared sandbox answers with. node:http, not fetch: loading undici and its keep-alive cost a second per CLI run. */
function healthPid(url: string, timeoutMs: number): Promise<number | undefined> {
	return new Promise((resolve) => {
		const request = get(`${url}${HEALTH_ROUTE}`, {agent: false, timeout: timeoutMs}, (response) => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (body += chunk));
			response.on('end', () => {
				try {
					resolve(response.statusCode === 200 ? (JSON.parse(body) as {pid?: number}).pid : undefined);
				} catch {
					resolve(undefined);
				}
			});
			response.on('error', () => resolve(undefined));
		});
		request.on('timeout', () => request.destroy());
		request.on('error', () => resolve(undefined));
	});
}

/** The running sandbox of this state folder: its pid is alive and it answers the health route with that pid. */
async function liveServer(dir: string): Promise<ServerInfo | undefined> {
	const info = readInfo(dir);
	if (!info || !alive(info.pid)) return undefined;
	return (await healthPid(info.url, 2000)) === info.pid ? info : undefined;
}

export type SharedSandbox = {
	readonly env: Record<string, string>;
	readonly url: string;
	readonly pid: number;
	/** Whether this call started it (false: it was already running). */
	readonly started: boolean;
	/** Stops the keep-alive pings of this process; the sandbox itself keeps running until idle. */
	release(): void;
};

/**
 * Reuses the sandbox of `home` or starts it. `command` is how to run the server in the background: a node
 * script and arguments that end up in serveSharedSandbox(stateDir), which prints one ready line.
 */
export async function connectSharedSandbox(
	home: string,
	command: readonly string[],
	env: NodeJS.ProcessEnv = process.env,
): Promise<SharedSandbox> {
	const dir = sandboxStateDir(home);
	await ensurePrivateDir(home);
	await ensurePrivateDir(dir);
	const idleMs = idleMsFrom(env);
	const {info, started} = await withFileLock(
		path.join(dir, SERVER_FILE),
		async () => {
			const running = await liveServer(dir);
			if (running) return {info: running, started: false};
			return {info: await spawnServer(dir, command, env), started: true};
		},
		{timeoutMs: 30_000},
	);
	// Requests keep it alive; so does this process while it runs, even when it sits on a screen making none.
	const timer = setInterval(() => void healthPid(info.url, 2000), Math.max(1000, idleMs / 3));
	timer.unref();
	return {env: info.env, url: info.url, pid: info.pid, started, release: () => clearInterval(timer)};
}

async function spawnServer(dir: string, command: readonly string[], env: NodeJS.ProcessEnv): Promise<ServerInfo> {
	const log = openSync(path.join(dir, 'server.log'), 'a', 0o600);
	// Detached: its own session, so Ctrl+C in this terminal or the terminal closing does not stop it.
	const child = spawn(process.execPath, [...command, dir], {detached: true, stdio: ['ignore', 'pipe', log], env});
	closeSync(log);
	try {
		const line = await new Promise<string>((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new TuiError(`the sandbox did not start within 20 s; see ${path.join(dir, 'server.log')}`)),
				20_000,
			);
			const lines = createInterface({input: child.stdout!});
			lines.once('line', (text) => {
				clearTimeout(timer);
				lines.close();
				resolve(text);
			});
			child.once('exit', (code) => {
				clearTimeout(timer);
				reject(new TuiError(`the sandbox stopped at start (exit ${code}); see ${path.join(dir, 'server.log')}`));
			});
		});
		return JSON.parse(line) as ServerInfo;
	} catch (error) {
		// A server that never said it was ready is of no use to anyone: do not leave it behind.
		if (child.exitCode === null) child.kill();
		throw error;
	} finally {
		child.stdout!.destroy();
		child.removeAllListeners('exit');
		child.unref();
	}
}

/** Stops the running sandbox of `home`, if any, and waits until it is gone. */
export async function stopSharedSandbox(home: string): Promise<void> {
	const dir = sandboxStateDir(home);
	const info = await liveServer(dir);
	if (!info) return;
	process.kill(info.pid, 'SIGTERM');
	const deadline = Date.now() + 5000;
	while (alive(info.pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
}

/**
 * The background process: serves the sandbox with its state in `dir`, on the port of last time when it is
 * free (the OpenID issuer is the URL), prints one ready line, and stops when idle or disowned.
 */
export async function serveSharedSandbox(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
	const {startSandbox} = await import('./server.js');
	const idleMs = idleMsFrom(env);
	let lastRequest = Date.now();
	const onRequest = (request: IncomingMessage, response: ServerResponse) => {
		lastRequest = Date.now();
		if (request.url !== HEALTH_ROUTE) return false;
		response.writeHead(200, {'content-type': 'application/json', 'cache-control': 'no-store'});
		response.end(JSON.stringify({pid: process.pid}));
		return true;
	};
	const previous = readInfo(dir)?.port;
	const options = {lazy: true, stateDir: dir, onRequest};
	const sandbox = await startSandbox({...options, port: previous}).catch(() => startSandbox(options));
	const info: ServerInfo = {pid: process.pid, url: sandbox.url, port: sandbox.port, env: sandbox.env};
	const infoFile = path.join(dir, SERVER_FILE);
	await writeFileAtomic(infoFile, JSON.stringify(info));
	process.stdout.write(`${JSON.stringify(info)}\n`);

	const owned = () => readInfo(dir)?.pid === process.pid;
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		clearInterval(timer);
		// server.json stays: its pid is dead, so nobody reuses it, and its port is the one to take again next time.
		await sandbox.close();
		process.exit(0);
	};
	const timer = setInterval(
		() => {
			if (Date.now() - lastRequest >= idleMs || !owned()) void stop();
		},
		Math.min(2000, idleMs),
	);
	process.once('SIGTERM', () => void stop());
	process.once('SIGINT', () => void stop());
}
