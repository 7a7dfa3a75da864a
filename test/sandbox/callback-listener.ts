// A minimal loopback listener for tests: records the first callback request it receives.
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';

export type CallbackListener = {
	readonly port: number;
	/** http://127.0.0.1:PORT + path */
	redirectUri(path?: string): string;
	/** The full URL of the first request to arrive. */
	readonly received: Promise<URL>;
	close(): Promise<void>;
};

export async function startCallbackListener(): Promise<CallbackListener> {
	let resolveReceived!: (url: URL) => void;
	const received = new Promise<URL>((resolve) => {
		resolveReceived = resolve;
	});
	const server = createServer((request, response) => {
		resolveReceived(new URL(request.url ?? '/', `http://${request.headers.host}`));
		response.writeHead(200, {'content-type': 'text/html; charset=utf-8', connection: 'close'});
		response.end('<!DOCTYPE html><title>done</title><p>Signed in. You can close this tab.</p>');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		port,
		redirectUri: (path = '/auth/callback') => `http://127.0.0.1:${port}${path}`,
		received,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
