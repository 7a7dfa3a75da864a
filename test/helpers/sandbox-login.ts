// Drives the sandbox's sign-in pages with plain fetch and a cookie jar: the ChatGPT and the Claude-shaped
// authorize pages.

export type SandboxLoginOptions = {
	/** The login typed into the form (default user@sandbox.test). */
	readonly email?: string;
	/** GET the final redirect off the sandbox (default true), so a loopback listener receives it. */
	readonly land?: boolean;
	/** Deny at the authorize page instead of approving. */
	readonly deny?: boolean;
};

export type SandboxLoginResult = {
	/** The redirect that left the sandbox (the client's callback), or the last sandbox page. */
	readonly finalUrl: string;
	/** True when the flow redirected off the sandbox's origin. */
	readonly leftSandbox: boolean;
	/** Status and text of the last response (of the callback when it was landed). */
	readonly status?: number;
	readonly body?: string;
};

const ENTITIES: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'"};
const unescape = (text: string) =>
	text.replace(/&(amp|lt|gt|quot|#39|#(\d+));/g, (_match, name: string, code?: string) =>
		code ? String.fromCharCode(Number(code)) : ENTITIES[name]!,
	);

function attributes(tag: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const match of tag.matchAll(/([\w-]+)\s*=\s*"([^"]*)"/g)) out[match[1]!.toLowerCase()] = unescape(match[2]!);
	return out;
}

type Form = {action: string; fields: URLSearchParams; id?: string};

function firstPostForm(html: string): Form | undefined {
	for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
		const attrs = attributes(match[1]!);
		if ((attrs.method ?? 'get').toLowerCase() !== 'post') continue;
		const fields = new URLSearchParams();
		for (const input of match[2]!.matchAll(/<input\b([^>]*)>/gi)) {
			const inputAttrs = attributes(input[1]!);
			if (inputAttrs.name) fields.set(inputAttrs.name, inputAttrs.value ?? '');
		}
		return {action: attrs.action ?? '', fields, id: attrs.id};
	}
	return undefined;
}

class CookieJar {
	private readonly cookies = new Map<string, string>();
	store(response: Response): void {
		for (const header of response.headers.getSetCookie()) {
			const [pair, ...rest] = header.split(';');
			const index = pair!.indexOf('=');
			const name = pair!.slice(0, index).trim();
			const value = pair!.slice(index + 1).trim();
			const expired = rest.some((part) => {
				const [key, attr] = part.split('=').map((item) => item.trim());
				if (key?.toLowerCase() === 'max-age') return Number(attr) <= 0;
				if (key?.toLowerCase() === 'expires') return Date.parse(attr ?? '') <= Date.now();
				return false;
			});
			if (expired || value === '') this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
	}
	header(): string {
		return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
	}
}

/** Walks from `startUrl` through the sandbox's pages until a redirect leaves the sandbox or no form is left. */
export async function completeSandboxLoginWithoutBrowser(
	startUrl: string,
	options: SandboxLoginOptions = {},
): Promise<SandboxLoginResult> {
	const origin = new URL(startUrl).origin;
	const email = options.email ?? 'user@sandbox.test';
	const jar = new CookieJar();
	let request: {url: string; method: 'GET' | 'POST'; body?: URLSearchParams} = {url: startUrl, method: 'GET'};
	for (let step = 0; step < 30; step++) {
		const response = await fetch(request.url, {
			method: request.method,
			redirect: 'manual',
			headers: {cookie: jar.header(), ...(request.body ? {'content-type': 'application/x-www-form-urlencoded'} : {})},
			body: request.body?.toString(),
		});
		jar.store(response);
		const location = response.headers.get('location');
		if (response.status >= 300 && response.status < 400 && location) {
			await response.body?.cancel();
			const next = new URL(location, request.url);
			if (next.origin !== origin) {
				if (options.land === false) return {finalUrl: next.href, leftSandbox: true};
				const landed = await fetch(next, {redirect: 'manual'});
				return {finalUrl: next.href, leftSandbox: true, status: landed.status, body: await landed.text()};
			}
			request = {url: next.href, method: 'GET'};
			continue;
		}
		const body = await response.text();
		if (response.status >= 400)
			throw new Error(
				`sandbox sign-in failed at ${new URL(request.url).pathname}: HTTP ${response.status}: ${body
					.replace(/<[^>]+>/g, ' ')
					.replace(/\s+/g, ' ')
					.slice(0, 300)}`,
			);
		const form = firstPostForm(body);
		if (!form) return {finalUrl: request.url, leftSandbox: false, status: response.status, body};
		const {fields} = form;
		if (fields.has('request') && fields.has('email')) {
			fields.set('email', email);
			fields.set('decision', options.deny ? 'deny' : 'approve');
		}
		request = {url: new URL(form.action, request.url).href, method: 'POST', body: fields};
	}
	throw new Error('sandbox sign-in did not finish within 30 steps');
}
