// Small HTTP helpers for the sandbox's own handlers.
import {randomBytes} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';

const BODY_LIMIT = 64 * 1024;

export async function readBody(request: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		size += (chunk as Buffer).length;
		if (size > BODY_LIMIT) throw new Error('request body too large');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

/** A JSON or form body as a flat record of strings; undefined when it does not parse. */
export function parseBody(request: IncomingMessage, body: Buffer): Record<string, unknown> | undefined {
	const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
	const text = body.toString('utf8');
	if (type === 'application/json') {
		try {
			const value: unknown = JSON.parse(text);
			return value && typeof value === 'object' && !Array.isArray(value)
				? (value as Record<string, unknown>)
				: undefined;
		} catch {
			return undefined;
		}
	}
	if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
	return undefined;
}

export function sendJson(
	response: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
		'cache-control': 'no-store',
		...headers,
	});
	response.end(text);
}

export function sendHtml(
	response: ServerResponse,
	status: number,
	html: string,
	headers: Record<string, string> = {},
): void {
	response.writeHead(status, {
		'content-type': 'text/html; charset=utf-8',
		'content-length': Buffer.byteLength(html),
		'cache-control': 'no-store',
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'no-referrer',
		...headers,
	});
	response.end(html);
}

import {escapeHtml} from '../core/text.js';

export {escapeHtml};

/** A fresh value for a provider's request-id header. */
export const requestId = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

/** The token of an `Authorization: Bearer` header. */
export function bearer(request: IncomingMessage): string | undefined {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
	return match?.[1];
}

/** A plain page with the sandbox banner; `body` must already be escaped. */
export function page(title: string, body: string): string {
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · tui-auth sandbox</title>
<style>
body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#222}
.sandbox{background:#fff4c2;border:1px solid #e0c050;padding:.5rem .75rem;border-radius:4px}
code,pre{background:#f3f3f3;padding:.2rem .4rem;border-radius:3px;word-break:break-all;white-space:pre-wrap}
button{font-size:1rem;padding:.4rem 1rem}
label{display:block;margin:.5rem 0}
</style>
</head>
<body>
<p class="sandbox"><strong>tui-auth sandbox</strong>: a local test provider on 127.0.0.1. No real account is used.</p>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>`;
}

export function isLoopbackHost(hostname: string): boolean {
	return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}
