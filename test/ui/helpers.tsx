// Shared pieces for screen tests: render inside act and real services over a temp home (the real store;
// validation against a local HTTP stub). Keys and waits are in test/helpers/wait.ts.
import {tempHome as makeTempHome} from '../helpers/temp-home.js';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {PassThrough} from 'node:stream';
import {act, type ReactElement} from 'react';
import {render} from 'ink-testing-library';
import type {Rendered} from '../helpers/wait.js';
import type {CommandContext} from '../../source/app/context.js';
import {createRealServices} from '../../source/app/services.js';
import {ServicesProvider, type Detected, type Services} from '../../source/ui/services.js';

export async function renderScreen(element: ReactElement, services: Services): Promise<Rendered> {
	let rendered: Rendered | undefined;
	await act(async () => {
		rendered = render(<ServicesProvider services={services}>{element}</ServicesProvider>);
	});
	return rendered!;
}

export async function unmount(r: Rendered): Promise<void> {
	await act(async () => {
		r.unmount();
	});
}

export function tempHome(): Promise<string> {
	return makeTempHome('tui-ui-');
}

export function fakeContext(home: string, env: Record<string, string | undefined> = {}): CommandContext {
	const stdout = Object.assign(new PassThrough(), {isTTY: false, columns: 100});
	return {
		home,
		env: {PATH: process.env.PATH, HOME: home, ...env},
		stdin: new PassThrough(),
		stdout,
		stderr: new PassThrough(),
		sandbox: false,
		now: Date.now,
		fetch: globalThis.fetch,
		signal: new AbortController().signal,
	};
}

export const NOTHING_DETECTED: Detected = {envKeys: []};

/** Real services over a temp home; the UI knobs fixed for stable frames. */
export function testServices(
	home: string,
	options: {
		env?: Record<string, string | undefined>;
		columns?: number;
		detected?: Detected;
		overrides?: Partial<Services>;
	} = {},
): Services {
	const real = createRealServices(fakeContext(home, options.env));
	return {
		...real,
		color: false,
		animate: false,
		columns: options.columns ?? 100,
		detect: async () => options.detected ?? NOTHING_DETECTED,
		...options.overrides,
	};
}

export type Stub = {
	readonly url: string;
	readonly requests: Array<{method: string; url: string; authorization?: string; apiKey?: string}>;
	/** Requests whose client went away before an answer (aborted). */
	readonly aborted: () => number;
	close(): Promise<void>;
};

/** A local provider API: answers GET /v1/models with the statuses given in turn (the last repeats); "hang" never answers. */
export async function startModelsStub(statuses: ReadonlyArray<number | 'hang'>): Promise<Stub> {
	const requests: Stub['requests'] = [];
	let aborted = 0;
	const server = http.createServer((req, res) => {
		requests.push({
			method: req.method ?? '',
			url: req.url ?? '',
			authorization: req.headers.authorization,
			apiKey: req.headers['x-api-key'] as string | undefined,
		});
		const status = statuses[Math.min(requests.length - 1, statuses.length - 1)]!;
		if (status === 'hang') {
			res.on('close', () => {
				if (!res.writableEnded) aborted++;
			});
			return;
		}
		res.writeHead(status, {'content-type': 'application/json'});
		if (status === 200)
			res.end(JSON.stringify({object: 'list', data: [], has_more: false, first_id: null, last_id: null}));
		else
			res.end(
				JSON.stringify({
					type: 'error',
					error: {type: status === 401 ? 'authentication_error' : 'rate_limit_error', message: 'no'},
				}),
			);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		aborted: () => aborted,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
