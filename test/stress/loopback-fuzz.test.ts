// Check 5: fast-check fuzzing of the live loopback listener (in its own process) over raw TCP.
// The listener answers every request with `Connection: close` (callback-page.ts), so each request is its own connection.
import net from 'node:net';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createPkce} from '../../source/oauth/pkce.js';
import {killHard, startWorker, removeWorkerBundle, workerBundle, type Worker} from './fixtures/bundle.js';
import {waitForLine} from '../helpers/wait.js';

const RUNS = Number(process.env.TUI_FUZZ_RUNS ?? 100_000);
const CONCURRENCY = 8;
const SLOW_CLIENTS = 40;
const BOUND_MS = 100;

const STATE = createPkce().state;
let listener: Worker;
let port: number;
beforeAll(async () => {
	await workerBundle();
	listener = await startWorker(['listen', STATE]);
	port = Number((await waitForLine(listener, /^port \d+$/)).split(' ')[1]);
}, 60_000);
afterAll(async () => {
	await removeWorkerBundle();
	if (listener) await killHard(listener);
});

type Reply = {readonly status: number; readonly ms: number; readonly error?: string};

/** Sends raw bytes (in `pieces`, `gapMs` apart, for slow clients) on a new connection; times last byte written → first byte back. */
function exchange(pieces: readonly string[], gapMs = 0): Promise<Reply> {
	return new Promise((resolve) => {
		const socket = net.connect({port, host: '127.0.0.1'});
		let sentAt = 0;
		let firstAt = 0;
		let settled = false;
		const done = (reply: Reply) => {
			if (settled) return;
			settled = true;
			socket.destroy();
			resolve(reply);
		};
		const timer = setTimeout(
			() => done({status: 0, ms: Number.POSITIVE_INFINITY, error: 'no answer within 10 s'}),
			10_000 + pieces.length * gapMs,
		);
		socket.setNoDelay(true);
		socket.on('connect', async () => {
			for (const [n, piece] of pieces.entries()) {
				if (n > 0 && gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
				if (socket.destroyed) return;
				socket.write(piece, 'latin1');
				sentAt = performance.now();
			}
		});
		let received = '';
		socket.on('data', (chunk: Buffer) => {
			// Timed to the first byte (an interim 100 Continue counts); the status is the final one.
			firstAt ||= performance.now();
			received += chunk.toString('latin1');
			const statuses = [...received.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]));
			const final = statuses.find((status) => status >= 200);
			if (final !== undefined || (statuses.length === 0 && received.length > 12)) {
				clearTimeout(timer);
				// A server may answer a malformed request before the client finished writing it: that counts as 0.
				done({status: final ?? -1, ms: Math.max(0, firstAt - sentAt)});
			}
		});
		socket.on('error', (error) => {
			clearTimeout(timer);
			done({status: 0, ms: Number.POSITIVE_INFINITY, error: (error as NodeJS.ErrnoException).code ?? error.message});
		});
		socket.on('close', () => {
			clearTimeout(timer);
			done({status: 0, ms: Number.POSITIVE_INFINITY, error: 'closed without an answer'});
		});
	});
}

// ------------------------------------------------------------------ generators

const pct = (text: string) => encodeURIComponent(text);
const nearMisses = [
	STATE.slice(1),
	`${STATE}x`,
	STATE.toUpperCase() === STATE ? STATE.toLowerCase() : STATE.toUpperCase(),
	`${STATE.slice(0, -1)}${STATE.endsWith('A') ? 'B' : 'A'}`,
	` ${STATE}`,
	`${STATE}%00`,
	`${STATE}%`,
	'',
	STATE.slice(0, 16),
];
const badEncodings = [
	'%',
	'%G1',
	'%zz',
	'%E0%A4%A',
	'%ff%fe',
	'%C0%AF',
	'%00',
	'%00%00',
	'%2',
	'%%32',
	'%u0041',
	'%ED%A0%80',
	'+%+',
];

const value = fc.oneof(
	{weight: 3, arbitrary: fc.string({maxLength: 40}).map(pct)},
	{weight: 2, arbitrary: fc.constantFrom(...badEncodings)},
	{weight: 2, arbitrary: fc.constantFrom(...nearMisses)},
	{weight: 1, arbitrary: fc.string({unit: 'binary', maxLength: 30}).map(pct)},
	{
		weight: 1,
		arbitrary: fc
			.array(fc.constantFrom(...badEncodings, 'a', '=', '&', '#', '?', '/'), {maxLength: 12})
			.map((parts) => parts.join('')),
	},
	{weight: 1, arbitrary: fc.nat({max: 3000}).map((n) => 'x'.repeat(n))},
);
const name = fc.oneof(
	{
		weight: 5,
		arbitrary: fc.constantFrom('state', 'code', 'iss', 'error', 'error_description', 'scope', 'STATE', 'state[]', ''),
	},
	{weight: 1, arbitrary: fc.string({maxLength: 10}).map(pct)},
);
// Repeated parameters come from the list itself (state twice, code twice, ...).
const query = fc
	.array(fc.tuple(name, value), {maxLength: 6})
	.map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));
const pathArb = fc.oneof(
	{weight: 8, arbitrary: fc.constant('/auth/callback')},
	{
		weight: 2,
		arbitrary: fc.constantFrom(
			'/',
			'/favicon.ico',
			'/auth/callback/',
			'/AUTH/callback',
			'//auth/callback',
			'/auth/%63allback',
			'/auth/callback%00',
			'/auth/callback/..',
			'*',
			'http://evil.test/auth/callback',
			'/auth/callback;x=1',
		),
	},
	{
		weight: 1,
		arbitrary: fc.array(fc.string({maxLength: 8}).map(pct), {maxLength: 4}).map((parts) => `/${parts.join('/')}`),
	},
);
const method = fc.oneof(
	{weight: 10, arbitrary: fc.constant('GET')},
	{
		weight: 3,
		arbitrary: fc.constantFrom(
			'POST',
			'PUT',
			'DELETE',
			'HEAD',
			'OPTIONS',
			'PATCH',
			'TRACE',
			'CONNECT',
			'get',
			'PROPFIND',
		),
	},
	{weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{1,12}$/)},
);
const hostArb = (p: number) =>
	fc.oneof(
		{weight: 8, arbitrary: fc.constantFrom(`127.0.0.1:${p}`, `localhost:${p}`, `LOCALHOST:${p}`)},
		{
			weight: 3,
			arbitrary: fc.constantFrom(
				'evil.test',
				'localhost',
				'127.0.0.1',
				`127.0.0.1:${p + 1}`,
				`[::1]:${p}`,
				`evil.test:${p}`,
				`localhost.:${p}`,
				`127.0.0.1:${p}@evil.test`,
				'',
				`0.0.0.0:${p}`,
				`127.1:${p}`,
			),
		},
		{weight: 1, arbitrary: fc.string({maxLength: 30}).filter((h) => !/[\r\n]/.test(h))},
	);
const extraHeaders = fc.oneof(
	{weight: 10, arbitrary: fc.constant('')},
	{weight: 1, arbitrary: fc.constantFrom(16 * 1024, 15 * 1024, 64 * 1024).map((n) => `X-Pad: ${'a'.repeat(n)}\r\n`)},
	{
		weight: 1,
		arbitrary: fc.constant(`${Array.from({length: 200}, (_, n) => `X-H${n}: ${'b'.repeat(60)}`).join('\r\n')}\r\n`),
	},
	{
		weight: 1,
		arbitrary: fc.constantFrom(
			'Host: evil.test\r\n',
			'Transfer-Encoding: chunked\r\n',
			'Content-Length: 5\r\n',
			'Content-Length: -1\r\n',
			'Upgrade: websocket\r\nConnection: Upgrade\r\n',
			'Expect: 100-continue\r\n',
			'X-Bad\u0000: 1\r\n',
			'X-Nul: a\u0000b\r\n',
		),
	},
);

type Req = {readonly raw: string; readonly host: string; readonly method: string};

const requestArb = (p: number): fc.Arbitrary<Req> =>
	fc
		.record({
			method,
			path: pathArb,
			query,
			host: fc.option(hostArb(p), {nil: undefined, freq: 20}),
			extra: extraHeaders,
			version: fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0'),
			raw: fc.option(
				fc.string({unit: 'binary', minLength: 1, maxLength: 200}).filter((text) => /[^\r\n]/.test(text)),
				{freq: 40},
			),
		})
		.map((r) => {
			// Arbitrary bytes, then the end of a header section, so that the server must answer.
			if (r.raw !== null) return {raw: `${Buffer.from(r.raw).toString('latin1')}\r\n\r\n`, host: '', method: 'RAW'};
			const hostLine = r.host === undefined ? '' : `Host: ${r.host}\r\n`;
			return {
				raw: `${r.method} ${r.path}${r.query} ${r.version}\r\n${hostLine}${r.extra}\r\n`,
				host: r.host ?? '',
				method: r.method,
			};
		});

// ------------------------------------------------------------------ the run

function percentile(sorted: readonly number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? Number.NaN;
}

describe('loopback listener fuzzing', () => {
	it(`${RUNS} generated requests: no crash, every answer 2xx/4xx within ${BOUND_MS} ms, only the valid state accepted`, async () => {
		const seed = Number(process.env.TUI_FUZZ_SEED ?? Date.now() % 2 ** 31);
		const started = Date.now();
		const times: number[] = [];
		const statuses: Record<string, number> = {};
		const bad: string[] = [];
		let sent = 0;
		const remeasured: number[] = [];
		let batch = 0;
		// Answers over the bound, re-measured alone on an idle socket: a loaded 2-core machine deschedules whole
		// processes for 100+ ms now and then, which stalls every request in flight at once; a slow request stays slow.
		const outliers: Req[] = [];
		const record = (req: Req, reply: Reply, remeasured = false) => {
			if (!remeasured) {
				statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
				times.push(reply.ms);
			}
			const ok = (reply.status >= 200 && reply.status < 300) || (reply.status >= 400 && reply.status < 500);
			if (ok && reply.ms >= BOUND_MS && !remeasured) {
				outliers.push(req);
				return;
			}
			if ((!ok || reply.ms >= BOUND_MS) && bad.length < 20)
				bad.push(
					`${reply.status} ${reply.error ?? ''} ${reply.ms.toFixed(1)} ms: ${JSON.stringify(req.raw.slice(0, 300))}`,
				);
			// 200 is only for the accepted callback, which the fuzzer never sends.
			if (reply.status >= 200 && reply.status < 300 && bad.length < 20)
				bad.push(`accepted: ${JSON.stringify(req.raw.slice(0, 300))}`);
		};

		const drainOutliers = async () => {
			while (outliers.length > 0) {
				const req = outliers.shift()!;
				let best: Reply = {status: 0, ms: Number.POSITIVE_INFINITY};
				for (let attempt = 0; attempt < 3 && !(best.ms < BOUND_MS); attempt++) {
					const reply = await exchange([req.raw]);
					if (reply.ms < best.ms) best = reply;
				}
				remeasured.push(best.ms);
				record(req, best, true);
			}
		};

		// Slow clients dribble a request a few bytes at a time while the fuzzer runs; timed from their last byte.
		const slow = (async () => {
			const samples = fc.sample(requestArb(port), {numRuns: SLOW_CLIENTS, seed: seed + 1});
			await Promise.all(
				samples.map(async (req, n) => {
					await new Promise((r) => setTimeout(r, n * 50));
					const pieces = req.raw.match(/[\s\S]{1,7}/g) ?? [req.raw];
					record(
						req,
						await exchange(pieces.slice(0, 60).concat(pieces.length > 60 ? [pieces.slice(60).join('')] : []), 15),
					);
				}),
			);
		})();

		while (sent < RUNS) {
			const size = Math.min(1000, RUNS - sent);
			const requests = fc.sample(requestArb(port), {numRuns: size, seed: seed + 1000 + batch++});
			let next = 0;
			await Promise.all(
				Array.from({length: CONCURRENCY}, async () => {
					while (next < requests.length) {
						const req = requests[next++]!;
						record(req, await exchange([req.raw]));
					}
				}),
			);
			sent += size;
			await drainOutliers();
			const crash = listener.lines.find(
				(l) => l.startsWith('crash') || l.startsWith('accepted') || l.startsWith('ended'),
			);
			if (crash) throw new Error(`listener: ${crash.slice(0, 500)}`);
			if (listener.exitCode !== null) throw new Error(`listener exited: ${listener.stderrText()}`);
		}
		await slow;
		await drainOutliers();

		// The one valid callback is accepted, once, and its code is the one handed over.
		const valid = await exchange([
			`GET /auth/callback?code=the-one-code&state=${STATE} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
		]);
		const accepted = await waitForLine(listener, /^accepted /);
		const sorted = times.filter(Number.isFinite).sort((a, b) => a - b);
		const p99 = percentile(sorted, 0.99);
		const max = sorted.at(-1) ?? Number.NaN;
		const total = times.length;
		const answered = total - (statuses['0'] ?? 0);
		console.log(
			`loopback fuzz: ${answered}/${total} answered 2xx/4xx, p50 ${percentile(sorted, 0.5).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${max.toFixed(2)} ms ` +
				`(${remeasured.length} over ${BOUND_MS} ms in flight, re-measured alone: max ${Math.max(0, ...remeasured).toFixed(2)} ms); ` +
				`statuses ${JSON.stringify(statuses)}; accepted only the valid state: ${accepted === 'accepted the-one-code' ? 'yes' : 'NO'}; seed ${seed}; ${Math.round((Date.now() - started) / 1000)} s`,
		);
		expect(bad).toEqual([]);
		expect(total).toBe(RUNS + SLOW_CLIENTS);
		expect(Math.max(0, ...remeasured)).toBeLessThan(BOUND_MS);
		expect(valid.status).toBe(200);
		expect(accepted).toBe('accepted the-one-code');
		expect(listener.lines.filter((l) => /^(crash|accepted|ended)/.test(l))).toEqual(['accepted the-one-code']);
		expect(listener.stderrText()).toBe('');
	});
});
