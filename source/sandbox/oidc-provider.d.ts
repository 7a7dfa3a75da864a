// oidc-provider ships no types; the sandbox uses a small, loosely typed surface of it.
declare module 'oidc-provider' {
	import type {IncomingMessage, ServerResponse} from 'node:http';

	export default class Provider {
		constructor(issuer: string, configuration?: Record<string, unknown>);
		callback(): (request: IncomingMessage, response: ServerResponse) => void;
		use(middleware: (ctx: any, next: () => Promise<void>) => Promise<void>): void;
		on(event: string, listener: (...args: any[]) => void): this;
		readonly issuer: string;
		proxy: boolean;
		[key: string]: any;
	}

	export const errors: Record<string, any>;
}
