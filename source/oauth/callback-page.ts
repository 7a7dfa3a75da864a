// The pages the loopback listener serves: fixed, self-contained, no scripts or styles (CSP default-src 'none'), every reflected value escaped.
import {escapeHtml} from '../core/text.js';
import type {ServerResponse} from 'node:http';

export const CALLBACK_PAGE_HEADERS: Readonly<Record<string, string>> = {
	'Content-Type': 'text/html; charset=utf-8',
	'Content-Security-Policy': "default-src 'none'",
	'X-Content-Type-Options': 'nosniff',
	'Cache-Control': 'no-store',
	'Referrer-Policy': 'no-referrer',
	// One request per connection, so closing the listener never waits on an idle keep-alive socket.
	Connection: 'close',
};

export function callbackPageHtml(title: string, message: string): string {
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
</head><body><h1>${escapeHtml(title)}</h1><p id="message">${escapeHtml(message)}</p><p>You can close this tab and return to the terminal.</p></body></html>
`;
}

export function sendPage(res: ServerResponse, status: number, title: string, message: string, done?: () => void): void {
	const body = callbackPageHtml(title, message);
	res.writeHead(status, {...CALLBACK_PAGE_HEADERS, 'Content-Length': Buffer.byteLength(body)});
	res.end(body, done);
}
