// `npm run screenshots`: drives the built app (`node dist/cli.cjs --sandbox`) in a 100×30 pseudo-terminal
// (60×20 for the small-terminal shots), reads each screen with its colours from a headless xterm, and writes
// screenshots/<name>.svg and .png. Nothing is drawn by hand: every cell comes from the running app, and the
// ChatGPT sign-in is completed through the sandbox's own pages. What would differ between runs is pinned
// (TUI_NOW freezes the app's clock, TZ=UTC, a fixed home path, spinners caught on their first frame) or masked
// with same-length constants (loopback ports, OAuth state/challenge/nonce, the host id).
// Run it twice: the files come out byte-identical.
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILT = path.join(ROOT, 'dist/cli.cjs');
const OUT = path.join(ROOT, 'screenshots');
/** The terminal's size; the small-terminal shots set 60×20 for their run. */
let COLS = 100;
let ROWS = 30;
/** The instant the app sees (TUI_NOW is honoured only with --sandbox). */
const NOW = '2026-03-02T09:30:00.000Z';
const NOW_MS = Date.parse(NOW);
/** Fixed paths, because the home folder is shown on screen (welcome, done). */
const WORK = path.join(os.tmpdir(), 'tui-screenshots');
const HOME = path.join(WORK, 'tui-home');
const USER_HOME = path.join(WORK, 'user');
const BIN = path.join(WORK, 'bin');
const OPENED = path.join(WORK, 'opened-urls.txt');
/** The app is run through a link at a fixed path: a screen that shows tui's own path (the status-line command) then
 * shows this one, not the folder this checkout happens to be in. */
const CLI = path.join(WORK, 'tui', 'dist/cli.cjs');
const TIMEOUT_MS = 20_000;

const KEYS = {
	enter: '\r',
	esc: '\u001B',
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	space: ' ',
	ctrlC: '\u0003',
};

// ---------- the pseudo-terminal ----------

function childEnv(extra = {}) {
	const keep = ['LANG', 'LC_ALL', 'SystemRoot'];
	const env = {};
	for (const name of keep) if (process.env[name]) env[name] = process.env[name];
	return {
		...env,
		// Our fake xdg-open first, then only what node needs: no `claude` CLI, no real keys, no Codex login.
		PATH: `${BIN}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
		HOME: USER_HOME,
		XDG_CONFIG_HOME: path.join(USER_HOME, '.config'),
		CODEX_HOME: path.join(USER_HOME, '.codex'),
		TERM: 'xterm-256color',
		COLORTERM: 'truecolor',
		FORCE_COLOR: '3',
		COLUMNS: String(COLS),
		LINES: String(ROWS),
		TZ: 'UTC',
		TUI_NOW: NOW,
		DISPLAY: ':0',
		...extra,
	};
}

function spawn(args, extraEnv) {
	const term = new xterm.Terminal({cols: COLS, rows: ROWS, allowProposedApi: true, scrollback: 0});
	const child = pty.spawn(process.execPath, [CLI, '--sandbox', '--home', HOME, ...args], {
		name: 'xterm-256color',
		cols: COLS,
		rows: ROWS,
		cwd: WORK,
		env: childEnv(extraEnv),
	});
	const listeners = new Set();
	let lastData = Date.now();
	child.onData((data) => {
		lastData = Date.now();
		term.write(data, () => {
			for (const listener of listeners) listener();
		});
	});
	let exitedWith;
	const exited = new Promise((resolve) => {
		child.onExit((event) => {
			term.write('', () => {
				exitedWith = event;
				for (const listener of listeners) listener();
				resolve(event);
			});
		});
	});
	const text = () => {
		const buffer = term.buffer.active;
		const lines = [];
		for (let y = 0; y < ROWS; y++) lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
		return lines.join('\n');
	};
	/**
	 * Resolves with the cells once `ready(text)` holds on a complete frame: the condition is checked again after
	 * the output has been quiet for a moment, so a frame split across reads is never taken.
	 */
	const capture = (ready, label) =>
		new Promise((resolve, reject) => {
			let quietTimer;
			const test =
				typeof ready === 'function'
					? ready
					: (screen) => (typeof ready === 'string' ? screen.includes(ready) : ready.test(screen));
			const done = (error, value) => {
				clearTimeout(deadline);
				clearTimeout(quietTimer);
				listeners.delete(check);
				if (error) reject(error);
				else resolve(value);
			};
			const settle = () => {
				clearTimeout(quietTimer);
				quietTimer = setTimeout(() => {
					if (Date.now() - lastData < 40) return settle();
					if (test(text())) done(undefined, readCells(term));
				}, 45);
			};
			const check = () => {
				if (test(text())) settle();
				else if (exitedWith)
					done(new Error(`${label}: the app exited (${exitedWith.exitCode}) first; screen:\n${text()}`));
			};
			const deadline = setTimeout(() => done(new Error(`${label}: timed out; screen:\n${text()}`)), TIMEOUT_MS);
			listeners.add(check);
			check();
		});
	return {
		write: (data) => child.write(data),
		text,
		capture,
		exited,
		kill: () => {
			try {
				child.kill('SIGKILL');
			} catch {}
		},
	};
}

/** Every cell of the visible screen: its text and what it looks like. */
function readCells(term) {
	const buffer = term.buffer.active;
	const rows = [];
	const cell = buffer.getNullCell();
	for (let y = 0; y < ROWS; y++) {
		const line = buffer.getLine(buffer.viewportY + y);
		const row = [];
		for (let x = 0; x < COLS; x++) {
			line?.getCell(x, cell);
			if (!line) {
				row.push({
					chars: ' ',
					width: 1,
					fg: undefined,
					bg: undefined,
					bold: false,
					dim: false,
					italic: false,
					underline: false,
					inverse: false,
				});
				continue;
			}
			row.push({
				chars: cell.getChars() || (cell.getWidth() === 0 ? '' : ' '),
				width: cell.getWidth(),
				fg: cell.isFgDefault() ? undefined : cell.isFgRGB() ? {rgb: cell.getFgColor()} : {palette: cell.getFgColor()},
				bg: cell.isBgDefault() ? undefined : cell.isBgRGB() ? {rgb: cell.getBgColor()} : {palette: cell.getBgColor()},
				bold: Boolean(cell.isBold()),
				dim: Boolean(cell.isDim()),
				italic: Boolean(cell.isItalic()),
				underline: Boolean(cell.isUnderline()),
				inverse: Boolean(cell.isInverse()),
			});
		}
		rows.push(row);
	}
	return rows;
}

// ---------- masking what differs between runs ----------

/** One UTF-16 unit per cell, so string indexes are columns. */
function rowString(row) {
	return row.map((cell) => (cell.width === 0 ? '\u0000' : cell.chars.length === 1 ? cell.chars : '\uFFFD')).join('');
}

function setChars(row, x, text) {
	for (let i = 0; i < text.length; i++) row[x + i].chars = text[i];
}

/** Replaces every match of `pattern` on each row by `replace(match)` (same length). */
function maskRows(cells, pattern, replace) {
	for (const row of cells) {
		const line = rowString(row);
		for (const match of line.matchAll(
			new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`),
		)) {
			const replacement = replace(match);
			if (replacement.length !== match[0].length) throw new Error(`mask for ${pattern} must keep the length`);
			setChars(row, match.index, replacement);
		}
	}
}

/**
 * Finds `text` on screen even where the app wrapped it over several rows (each row holds a contiguous
 * piece), and writes `replacement` (same length) into the same cells. Throws when it is not there whole.
 */
function maskWrapped(cells, text, replacement) {
	if (replacement.length !== text.length) throw new Error('wrapped mask must keep the length');
	const lines = cells.map(rowString);
	for (let start = 0; start < lines.length; start++) {
		const head = text.slice(0, Math.min(text.length, 12));
		const x0 = lines[start].indexOf(head);
		if (x0 < 0) continue;
		const places = [];
		let index = 0;
		let y = start;
		let x = x0;
		while (index < text.length && y < lines.length) {
			const begin = index;
			while (index < text.length && x < COLS && lines[y][x] === text[index]) places.push([y, x++, index++]);
			if (index === text.length) break;
			if (index === begin && y !== start) break;
			y++;
			if (y >= lines.length) break;
			const next = text.slice(index, index + Math.min(8, text.length - index));
			x = lines[y].indexOf(next);
			if (x < 0) break;
		}
		if (index === text.length) {
			for (const [py, px, pi] of places) cells[py][px].chars = replacement[pi];
			return;
		}
	}
	throw new Error(`could not find ${text.slice(0, 40)}… on screen to mask it`);
}

/** Same length, fixed content: "a1B2…" → "xxxx…" keeps a URL's shape without its random parts. */
const filler = (name, length) =>
	createHash('sha256').update(`tui-screenshots:${name}`).digest('base64url').repeat(4).slice(0, length);

/** The varying parts of an authorization URL: ports, state, PKCE challenge, nonce, this home's host id. */
function stableUrl(url) {
	return url
		.replace(
			/(127\.0\.0\.1|localhost)(:|%3A)(\d+)/gi,
			(_m, host, sep, port) => `${host}${sep}${'4'.repeat(port.length)}`,
		)
		.replace(
			/(state|code_challenge|nonce|ext_agent_host_id)=([^&]+)/g,
			(_m, name, value) => `${name}=${filler(name, value.length)}`,
		);
}

// ---------- SVG and PNG ----------

const FONT_SIZE = 14;
const CELL_W = 8.4;
const CELL_H = 18;
const PAD = 14;
const TITLE_H = 30;
const BACKGROUND = '#1e2029';
const FOREGROUND = '#d8dbe2';
/** A dark-theme ANSI palette (the first 16 colours). */
const ANSI16 = [
	'#2e3440',
	'#e06c75',
	'#98c379',
	'#e5c07b',
	'#61afef',
	'#c678dd',
	'#56b6c2',
	'#d8dbe2',
	'#7f8491',
	'#ef8189',
	'#a8d68b',
	'#f0d08c',
	'#7cc0f7',
	'#d68fe6',
	'#6fd0dc',
	'#ffffff',
];

function paletteColor(index) {
	if (index < 16) return ANSI16[index];
	if (index < 232) {
		const n = index - 16;
		const level = (v) => (v === 0 ? 0 : 55 + v * 40);
		return hex(level(Math.floor(n / 36)), level(Math.floor(n / 6) % 6), level(n % 6));
	}
	const grey = 8 + (index - 232) * 10;
	return hex(grey, grey, grey);
}

function hex(r, g, b) {
	return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

function colorOf(spec, fallback) {
	if (!spec) return fallback;
	if ('rgb' in spec) return hex((spec.rgb >> 16) & 255, (spec.rgb >> 8) & 255, spec.rgb & 255);
	return paletteColor(spec.palette);
}

function cellStyle(cell) {
	let fg = colorOf(cell.fg, FOREGROUND);
	let bg = colorOf(cell.bg, undefined);
	if (cell.inverse) [fg, bg] = [bg ?? BACKGROUND, fg];
	// Bold text in the 8 base colours shows in the bright ones, as most terminals do.
	if (cell.bold && cell.fg && 'palette' in cell.fg && cell.fg.palette < 8) fg = ANSI16[cell.fg.palette + 8];
	return {fg, bg, bold: cell.bold, dim: cell.dim, italic: cell.italic, underline: cell.underline};
}

const escapeXml = (text) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function textAttributes(style) {
	const attrs = [`fill="${style.fg}"`];
	if (style.bold) attrs.push('font-weight="bold"');
	if (style.dim) attrs.push('fill-opacity="0.6"');
	if (style.italic) attrs.push('font-style="italic"');
	if (style.underline) attrs.push('text-decoration="underline"');
	return attrs.join(' ');
}

/** Light box-drawing characters by their arms, as terminals draw them: edge to edge, so borders join up. */
const BOX_ARMS = {
	'─': 'lr',
	'│': 'ud',
	'┌': 'rd',
	'┐': 'ld',
	'└': 'ru',
	'┘': 'lu',
	'├': 'udr',
	'┤': 'udl',
	'┬': 'lrd',
	'┴': 'lru',
	'┼': 'lrud',
};
const ROUND = {'╭': 'rd', '╮': 'ld', '╰': 'ru', '╯': 'lu'};

function boxPath(chars, left, top) {
	const cx = +(left + CELL_W / 2).toFixed(1);
	const cy = +(top + CELL_H / 2).toFixed(1);
	const ends = {l: [+left.toFixed(1), cy], r: [+(left + CELL_W).toFixed(1), cy], u: [cx, top], d: [cx, top + CELL_H]};
	if (BOX_ARMS[chars])
		return [...BOX_ARMS[chars]].map((arm) => `M${cx} ${cy}L${ends[arm][0]} ${ends[arm][1]}`).join('');
	if (ROUND[chars]) {
		const [horizontal, vertical] = [...ROUND[chars]];
		const r = CELL_W / 2;
		const h = ends[horizontal];
		const v = ends[vertical];
		const hx = +(cx + (horizontal === 'r' ? r : -r)).toFixed(1);
		const vy = +(cy + (vertical === 'd' ? r : -r)).toFixed(1);
		return `M${h[0]} ${h[1]}L${hx} ${cy}Q${cx} ${cy} ${cx} ${vy}L${v[0]} ${v[1]}`;
	}
	return undefined;
}

function toSvg(cells, title) {
	const width = Math.round(COLS * CELL_W + PAD * 2);
	const height = Math.round(ROWS * CELL_H + PAD * 2 + TITLE_H);
	const parts = [];
	parts.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
	);
	parts.push(`<rect width="${width}" height="${height}" rx="8" fill="${BACKGROUND}"/>`);
	parts.push(`<path d="M0 8a8 8 0 0 1 8-8h${width - 16}a8 8 0 0 1 8 8v${TITLE_H - 8}h-${width}z" fill="#2b2e3a"/>`);
	for (const [i, color] of ['#ff5f57', '#febc2e', '#28c840'].entries())
		parts.push(`<circle cx="${18 + i * 20}" cy="${TITLE_H / 2}" r="6" fill="${color}"/>`);
	parts.push(
		`<text x="${width / 2}" y="${TITLE_H / 2 + 5}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="13" fill="#9da3b2">${escapeXml(title)}</text>`,
	);
	parts.push(
		`<g font-family="DejaVu Sans Mono, Liberation Mono, monospace" font-size="${FONT_SIZE}" xml:space="preserve">`,
	);
	const top = TITLE_H + PAD;
	for (let y = 0; y < ROWS; y++) {
		const row = cells[y];
		const baseline = (top + y * CELL_H + CELL_H * 0.75).toFixed(1);
		// Backgrounds first, as runs.
		for (let x = 0; x < COLS;) {
			const bg = cellStyle(row[x]).bg;
			let end = x + 1;
			while (end < COLS && cellStyle(row[end]).bg === bg) end++;
			if (bg)
				parts.push(
					`<rect x="${(PAD + x * CELL_W).toFixed(1)}" y="${top + y * CELL_H}" width="${((end - x) * CELL_W).toFixed(1)}" height="${CELL_H}" fill="${bg}"/>`,
				);
			x = end;
		}
		// Text in runs of one style; every non-ASCII character is placed on its own cell, so a fallback
		// font with other advances cannot shift the rest of the row.
		for (let x = 0; x < COLS;) {
			const cell = row[x];
			if (cell.width === 0 || cell.chars === ' ' || cell.chars === '') {
				x++;
				continue;
			}
			const style = cellStyle(cell);
			const box = boxPath(cell.chars, PAD + x * CELL_W, top + y * CELL_H);
			if (box) {
				parts.push(
					`<path d="${box}" fill="none" stroke="${style.fg}" stroke-width="1.2"${style.dim ? ' stroke-opacity="0.6"' : ''}/>`,
				);
				x++;
				continue;
			}
			const key = textAttributes(style);
			let text = cell.chars;
			let end = x + Math.max(1, cell.width);
			if (/^[\x21-\x7e]$/.test(cell.chars)) {
				while (end < COLS) {
					const next = row[end];
					if (!/^[\x20-\x7e]$/.test(next.chars) || next.width !== 1 || textAttributes(cellStyle(next)) !== key) break;
					text += next.chars;
					end++;
				}
				text = text.replace(/ +$/, '');
			}
			parts.push(`<text x="${(PAD + x * CELL_W).toFixed(1)}" y="${baseline}" ${key}>${escapeXml(text)}</text>`);
			x = end;
		}
	}
	parts.push('</g>', '</svg>', '');
	return parts.join('\n');
}

/** Key material typed or stored during the tour: none of it may ever reach a screenshot. */
const CANARIES = ['sk-sandbox-demo-env', 'sk-demo-not-a-valid-key', 'sandbox-demo-openai', 'sandbox-demo-claude'];

function writeShot(name, cells, title) {
	const screen = cells.map((row) => row.map((cell) => cell.chars).join('')).join('\n');
	for (const canary of CANARIES)
		if (screen.includes(canary)) throw new Error(`${name}: a secret is on screen; not writing it:\n${screen}`);
	if (/\u001B|\uFFFD/.test(screen)) throw new Error(`${name}: stray escape or undecodable text on screen`);
	const svg = toSvg(cells, title);
	const svgPath = path.join(OUT, `${name}.svg`);
	writeFileSync(svgPath, svg);
	execFileSync('rsvg-convert', ['--format', 'png', '--output', path.join(OUT, `${name}.png`), svgPath]);
	const text = cells
		.map((row) =>
			row
				.map((cell) => cell.chars)
				.join('')
				.replace(/\s+$/, ''),
		)
		.join('\n');
	console.log(`screenshots/${name}.{svg,png}`);
	if (process.env.SCREENSHOTS_DEBUG) console.log(text);
}

// ---------- the tour ----------

function prepare() {
	rmSync(WORK, {recursive: true, force: true});
	for (const dir of [HOME, USER_HOME, BIN, OUT]) mkdirSync(dir, {recursive: true});
	symlinkSync(ROOT, path.join(WORK, 'tui'), 'dir');
	// A stand-in for the desktop opener: records the URL and succeeds, as xdg-open does.
	const opener = path.join(BIN, 'xdg-open');
	writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${OPENED}'\n`);
	chmodSync(opener, 0o755);
}

function openedUrls() {
	return existsSync(OPENED) ? readFileSync(OPENED, 'utf8').split('\n').filter(Boolean) : [];
}

async function waitUntil(condition, label) {
	const deadline = Date.now() + TIMEOUT_MS;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`${label}: timed out`);
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

/** A spinner line caught on its first frame, so repeated runs agree. */
const spinnerAt = (label) => (screen) => screen.includes(`⠋ ${label}`);

async function runCli(args, input) {
	const {spawnSync} = await import('node:child_process');
	const result = spawnSync(process.execPath, [CLI, '--sandbox', '--home', HOME, ...args], {
		env: childEnv(),
		input,
		encoding: 'utf8',
		timeout: TIMEOUT_MS,
	});
	if (result.status !== 0) throw new Error(`tui ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
	return result.stdout;
}

/** Types a key into the masked field and waits until all of it is in, so the Enter after it is its own keypress. */
async function typeKey(app, key) {
	app.write(key);
	await app.capture(`(${key.length} characters)`, 'key typed');
}

/**
 * Completes a sandbox sign-in as a browser would, with plain HTTP and a cookie jar: it follows the sandbox's
 * redirects, fills and posts each form (any email signs in), and lands on the app's loopback callback.
 */
async function completeSandboxLogin(startUrl, email = 'plus@example.com') {
	const origin = new URL(startUrl).origin;
	const cookies = new Map();
	const store = (response) => {
		for (const header of response.headers.getSetCookie()) {
			const [pair] = header.split(';');
			const index = pair.indexOf('=');
			const value = pair.slice(index + 1).trim();
			if (value === '' || /max-age=0\b/i.test(header)) cookies.delete(pair.slice(0, index).trim());
			else cookies.set(pair.slice(0, index).trim(), value);
		}
	};
	const unescape = (text) =>
		text
			.replace(/&amp;/g, '&')
			.replace(/&quot;/g, '"')
			.replace(/&lt;/g, '<')
			.replace(/&gt;/g, '>')
			.replace(/&#39;/g, "'");
	const attrs = (tag) =>
		Object.fromEntries([...tag.matchAll(/([\w-]+)\s*=\s*"([^"]*)"/g)].map((m) => [m[1].toLowerCase(), unescape(m[2])]));
	let request = {url: startUrl, method: 'GET'};
	for (let step = 0; step < 30; step++) {
		const response = await fetch(request.url, {
			method: request.method,
			redirect: 'manual',
			headers: {
				cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
				...(request.body ? {'content-type': 'application/x-www-form-urlencoded'} : {}),
			},
			body: request.body?.toString(),
		});
		store(response);
		const location = response.headers.get('location');
		if (response.status >= 300 && response.status < 400 && location) {
			await response.body?.cancel();
			const next = new URL(location, request.url);
			if (next.origin !== origin) {
				const landed = await fetch(next, {redirect: 'manual'});
				await landed.text();
				return;
			}
			request = {url: next.href, method: 'GET'};
			continue;
		}
		const body = await response.text();
		if (response.status >= 400)
			throw new Error(`sandbox sign-in: HTTP ${response.status} at ${new URL(request.url).pathname}`);
		const form = [...body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].find(
			(match) => (attrs(match[1]).method ?? 'get').toLowerCase() === 'post',
		);
		if (!form) throw new Error(`sandbox sign-in: no form at ${new URL(request.url).pathname}`);
		const fields = new URLSearchParams();
		for (const input of form[2].matchAll(/<input\b([^>]*)>/gi)) {
			const a = attrs(input[1]);
			if (a.name) fields.set(a.name, a.value ?? '');
		}
		if (fields.has('email')) fields.set('email', email);
		if (fields.has('request')) fields.set('decision', 'approve');
		request = {url: new URL(attrs(form[1]).action ?? '', request.url).href, method: 'POST', body: fields};
	}
	throw new Error('sandbox sign-in did not finish');
}

async function wizard() {
	// A key in the environment, so the welcome step has something to offer (it is ignored, not used).
	const app = spawn([], {OPENAI_API_KEY: 'sk-sandbox-demo-env-7f3a'});
	try {
		writeShot('welcome', await app.capture('Found on this machine:', 'welcome'), 'tui — welcome');
		app.write(KEYS.enter);
		writeShot('provider', await app.capture('Which provider first?', 'provider'), 'tui — provider');
		app.write(KEYS.enter);
		writeShot('tier', await app.capture('Your OpenAI plan', 'tier'), 'tui — plan');
		app.write(KEYS.down + KEYS.down);
		await app.capture('› 3. Plus', 'tier: Plus');
		app.write(KEYS.enter);
		writeShot('comparison', await app.capture('How to use OpenAI Plus', 'comparison'), 'tui — comparison');
		app.write('1');
		writeShot(
			'login-methods',
			await app.capture(
				(screen) => screen.includes('How do you want to sign in?') && screen.includes('› 1. Continue with ChatGPT'),
				'login methods',
			),
			'tui — sign in to OpenAI',
		);
		app.write(KEYS.enter);
		const browser = await app.capture(
			spinnerAt('Waiting for you to finish signing in…  times out in 5:00'),
			'browser login',
		);
		const [url] = openedUrls();
		if (!url) throw new Error('browser login: the app did not open a URL');
		maskWrapped(browser, url, stableUrl(url));
		maskRows(browser, /-L \d+:127\.0\.0\.1:\d+/, (m) =>
			m[0].replace(/\d+(?=:127)|(?<=127\.0\.0\.1:)\d+/g, (port) => '4'.repeat(port.length)),
		);
		writeShot('login-browser', browser, 'tui — Continue with ChatGPT');
		await completeSandboxLogin(url);
		await app.capture('6/7', 'wizard: the next provider');
		if (process.env.SCREENSHOTS_DEBUG) console.log(app.text());
		app.write(KEYS.enter);
		await app.capture('Your Claude plan', 'Claude tier');
		app.write(KEYS.up);
		await app.capture(/› \d\. API only/, 'Claude tier: API only');
		app.write(KEYS.enter);
		await app.capture('How to use Claude API only', 'Claude comparison');
		app.write(KEYS.enter);
		await app.capture('Add your Claude API key', 'Claude API key entry');
		await typeKey(app, 'sk-demo-not-a-valid-key');
		app.write(KEYS.enter);
		writeShot('api-key-error', await app.capture('Try again', 'API key error'), 'tui — API key');
		app.write(KEYS.enter);
		await app.capture('paste it here', 'API key entry again');
		await typeKey(app, 'sk-sandbox-demo-claude-0002');
		app.write(KEYS.enter);
		writeShot(
			'wizard-fallback',
			await app.capture('Fallback: order and triggers', 'wizard fallback order'),
			'tui — fallback',
		);
		app.write(KEYS.enter);
		writeShot('done', await app.capture('You are set up', 'done'), 'tui — done');
		app.write(KEYS.enter);
		await app.capture('Saved. Welcome aboard.', 'saved');
		const exit = await app.exited;
		if (exit.exitCode !== 0) throw new Error(`the wizard exited ${exit.exitCode}`);
	} finally {
		app.kill();
	}
}

/** Writes the stand-in `claude` CLI: signed in to a Max plan, as `claude auth status` reports it. */
function fakeClaude() {
	const claude = path.join(BIN, 'claude');
	writeFileSync(
		claude,
		`#!/bin/sh\nif [ "$1" = "--version" ]; then echo '2.1.90 (Claude Code)'; exit 0; fi\nif [ "$1 $2" = "auth status" ]; then echo '{"loggedIn": true, "email": "max@example.com", "subscriptionType": "max"}'; exit 0; fi\nexit 1\n`,
	);
	chmodSync(claude, 0o755);
}

/**
 * Fills the home the wizard made (a ChatGPT Plus sign-in and a Claude API key) with what a user adds later and
 * what a host app records after its calls. Each account gets the quota it really has: the API keys their
 * request and token limits from the rate-limit headers, the ChatGPT plan none (apps get no usage numbers), and
 * Claude Code its 5-hour and weekly windows through `tui statusline claude`, as Claude Code pipes them.
 */
async function seed() {
	const library = await import(pathToFileURL(path.join(ROOT, 'dist/index.js')).href);
	const at = NOW_MS - 12_000;
	const host = {home: HOME, env: {}, now: at};
	// The Claude API key from the wizard is active now.
	await library.recordRateLimitHeaders(
		'claude',
		{
			'anthropic-ratelimit-requests-limit': '50',
			'anthropic-ratelimit-requests-remaining': '47',
			'anthropic-ratelimit-requests-reset': new Date(at + 20_000).toISOString(),
			'anthropic-ratelimit-tokens-limit': '30000',
			'anthropic-ratelimit-tokens-remaining': '26500',
			'anthropic-ratelimit-tokens-reset': new Date(at + 20_000).toISOString(),
		},
		host,
	);
	await library.recordUsage(
		{
			provider: 'claude',
			model: 'claude-sonnet-4-5',
			inputTokens: 41_000,
			outputTokens: 6_200,
			at: NOW_MS - 2 * 3_600_000,
		},
		{home: HOME, env: {}},
	);
	// A second OpenAI account, an API key, through the app's own login; it becomes the active one.
	await runCli(
		['auth', 'login', '--provider', 'openai', '--method', 'api-key', '--with-api-key', '--label', 'work'],
		'sk-sandbox-demo-openai-0003\n',
	);
	await library.recordRateLimitHeaders(
		'openai',
		{
			'x-ratelimit-limit-requests': '5000',
			'x-ratelimit-remaining-requests': '4212',
			'x-ratelimit-reset-requests': '9.5s',
			'x-ratelimit-limit-tokens': '800000',
			'x-ratelimit-remaining-tokens': '611000',
			'x-ratelimit-reset-tokens': '14s',
		},
		host,
	);
	await library.recordUsage(
		{provider: 'openai', model: 'gpt-5.1', inputTokens: 182_000, outputTokens: 21_500, at: NOW_MS - 3_600_000},
		{home: HOME, env: {}},
	);
	// Back to the ChatGPT plan, then Claude Code's Max plan on the stand-in `claude`.
	await runCli(['auth', 'switch', 'openai/plus@example.com']);
	await library.recordUsage(
		{provider: 'openai', model: 'gpt-5.1-codex', inputTokens: 96_000, outputTokens: 12_400, at: NOW_MS - 1_800_000},
		{home: HOME, env: {}},
	);
	fakeClaude();
	await runCli([
		'auth',
		'login',
		'--provider',
		'claude',
		'--method',
		'claude-code',
		'--label',
		'max',
		'--yes',
		'--no-status-line',
	]);
	const s = Math.floor(NOW_MS / 1000);
	const document = {
		session_id: 'screenshot',
		version: '2.1.90',
		model: {id: 'claude-opus-4-1', display_name: 'Opus'},
		workspace: {current_dir: WORK, project_dir: WORK},
		cost: {total_cost_usd: 0.42},
		rate_limits: {
			five_hour: {used_percentage: 62, resets_at: s + 2 * 3600 + 14 * 60},
			seven_day: {used_percentage: 83, resets_at: s + 3 * 86_400 + 5 * 3600},
		},
	};
	const fed = await runCli(['statusline', 'claude'], JSON.stringify(document));
	if (!fed.includes('claude 62% 5h')) throw new Error(`tui statusline claude: ${fed}`);
}

/** Opens `args` at the terminal, shoots the frame `ready` names, then leaves with Ctrl+C. */
async function shoot(name, title, args, ready, actions = async () => {}) {
	const app = spawn(args);
	try {
		await actions(app);
		const cells = await app.capture(ready, name);
		writeShot(name, cells, title);
		app.write(KEYS.ctrlC);
		await app.exited;
	} finally {
		app.kill();
	}
}

async function later() {
	await seed();
	const debug = (screen) => (process.env.SCREENSHOTS_DEBUG ? (console.log(screen), true) : true);
	await shoot('home', 'tui', [], (screen) => screen.includes('Quota:') && screen.includes('Got it') && debug(screen));
	await shoot(
		'switcher',
		'tui auth switch',
		['auth', 'switch'],
		(screen) => /› +plus@example\.com/.test(screen) && screen.includes('max') && debug(screen),
	);
	await shoot('fallback', 'tui auth fallback', ['auth', 'fallback'], (screen) => screen.includes('Preview:'));
	// Four accounts' quota is taller than 30 rows: a taller terminal shows all of it.
	[ROWS] = [36];
	try {
		await shoot(
			'quota',
			'tui quota',
			['quota'],
			(screen) =>
				screen.includes('Manage usage') &&
				!screen.includes('loading…') &&
				!screen.includes('refreshing') &&
				debug(screen),
		);
	} finally {
		[ROWS] = [30];
	}
}

/**
 * A Claude Max plan signed in through Claude Code (the stand-in `claude`) in a new home: the offer to show
 * the Claude windows in Claude Code's status line, which the sign-in makes before the next step.
 */
async function claudeCode() {
	const app = spawn(['--home', path.join(WORK, 'claude-home')], {OPENAI_API_KEY: 'sk-sandbox-demo-env-7f3a'});
	const debug = (label) => (screen) => (process.env.SCREENSHOTS_DEBUG ? (console.log(label, screen), true) : true);
	try {
		await app.capture('Found on this machine:', 'claude welcome');
		app.write(KEYS.enter);
		await app.capture('Which provider first?', 'claude provider');
		app.write(KEYS.down);
		await app.capture('› 2. Claude', 'claude provider chosen');
		app.write(KEYS.enter);
		await app.capture('Your Claude plan', 'claude tier');
		app.write(KEYS.down + KEYS.down);
		await app.capture(/› \d\. Max 5x/, 'claude tier: Max 5x');
		app.write(KEYS.enter);
		await app.capture('How to use Claude Max 5x', 'claude comparison');
		app.write('1');
		await app.capture(/› 1\. Sign in through Claude Code/, 'claude code method');
		app.write(KEYS.enter);
		writeShot(
			'login-claude-code',
			await app.capture(
				(screen) => screen.includes("Claude Code's status line") && screen.includes('n skip') && debug('offer')(screen),
				'status-line offer',
			),
			'tui — Claude through Claude Code',
		);
		app.write(KEYS.ctrlC);
		await app.exited;
	} finally {
		app.kill();
	}
}

/** The screens most likely to overflow, in a 60×20 terminal: each fits, title and cursor on screen. */
async function small() {
	[COLS, ROWS] = [60, 20];
	try {
		await shoot(
			'switcher-60x20',
			'tui auth switch — 60×20',
			['auth', 'switch'],
			(screen) => screen.includes('Accounts') && /› +plus@example\.com/.test(screen),
		);
		// A second, new home for the wizard, so the first one's accounts are not offered again.
		const app = spawn(['--home', path.join(WORK, 'small-home')], {OPENAI_API_KEY: 'sk-sandbox-demo-env-7f3a'});
		try {
			// The found key is below the fold at 60×20; its hint in the footer says the search has finished.
			await app.capture('u use it', 'small welcome');
			app.write(KEYS.enter);
			await app.capture('Which provider first?', 'small provider');
			app.write(KEYS.enter);
			await app.capture('Your OpenAI plan', 'small tier');
			app.write(KEYS.down + KEYS.down);
			await app.capture('› 3. Plus', 'small tier: Plus');
			app.write(KEYS.enter);
			writeShot(
				'comparison-60x20',
				await app.capture(
					(screen) => screen.includes('How to use OpenAI Plus') && screen.includes('enter'),
					'small comparison',
				),
				'tui — comparison, 60×20',
			);
			app.write('1');
			await app.capture('How do you want to sign in?', 'small login methods');
			app.write(KEYS.enter);
			// 60×20 has no room left for the countdown: the URL whole and the key hints are the frame.
			const login = await app.capture(
				(screen) =>
					screen.includes('Sign in to OpenAI') &&
					screen.replace(/\n/g, '').includes('agent_name_hint=tui') &&
					screen.includes('esc cancel'),
				'small browser login',
			);
			const url = openedUrls().at(-1);
			maskWrapped(login, url, stableUrl(url));
			maskRows(login, /-L \d+:127\.0\.0\.1:\d+/, (m) =>
				m[0].replace(/\d+(?=:127)|(?<=127\.0\.0\.1:)\d+/g, (port) => '4'.repeat(port.length)),
			);
			writeShot('login-60x20', login, 'tui — Continue with ChatGPT, 60×20');
			app.write(KEYS.ctrlC);
			await app.exited;
		} finally {
			app.kill();
		}
	} finally {
		[COLS, ROWS] = [100, 30];
	}
}

async function main() {
	if (!existsSync(BUILT)) throw new Error('dist/cli.cjs is missing: run `npm run build` first');
	prepare();
	await wizard();
	await later();
	await claudeCode();
	await small();
	rmSync(WORK, {recursive: true, force: true});
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
});
