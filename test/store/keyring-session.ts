// A real Secret Service for the keyring tests: a private D-Bus session (dbus-run-session) with gnome-keyring's
// secrets component, unlocked with a random password, its files in a temp folder. Nothing is faked: when it
// cannot start here, `available` is false with the reason, and the keyring tests skip saying so.
// Debian packages: dbus-daemon (dbus-run-session) and gnome-keyring.
import {spawn, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {tempDir} from '../helpers/temp-home.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START_TIMEOUT_MS = 20_000;

export type KeyringSession =
	| {readonly available: true; readonly env: {readonly DBUS_SESSION_BUS_ADDRESS: string}; close(): Promise<void>}
	| {readonly available: false; readonly reason: string; close(): Promise<void>};

const onPath = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], {stdio: 'ignore'}).status === 0;

// The script dbus-run-session runs: unlock the keyring, say where the bus is, then live until stdin closes
// (so the session ends with the test process, even if that one is killed).
const SCRIPT =
	'printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || exit 3; echo "BUS=$DBUS_SESSION_BUS_ADDRESS"; exec cat >/dev/null';

// The same probe the CLI makes, through the binding, in a child with the session's bus.
const PROBE = `const {Entry} = require('@napi-rs/keyring');
const e = new Entry('tui-auth-test-probe', String(process.pid), {linux: {store: 'secret-service'}});
e.setPassword('probe-value'); const back = e.getPassword(); e.deletePassword();
if (back !== 'probe-value') { console.error('read back differs'); process.exit(1); }`;

export async function startKeyringSession(): Promise<KeyringSession> {
	const unavailable = (reason: string): KeyringSession => ({available: false, reason, close: async () => {}});
	if (process.platform !== 'linux')
		return unavailable(
			`the real-keyring tests start a private Secret Service, which needs Linux (this is ${process.platform})`,
		);
	for (const tool of ['dbus-run-session', 'gnome-keyring-daemon']) {
		if (!onPath(tool))
			return unavailable(`${tool} is not installed (Debian: apt-get install dbus-daemon gnome-keyring)`);
	}
	const dir = await tempDir('tui-keyring-session-');
	await fs.mkdir(path.join(dir, 'run'), {mode: 0o700});
	const env = {
		PATH: process.env.PATH ?? '/usr/bin:/bin',
		HOME: dir,
		XDG_DATA_HOME: path.join(dir, 'data'),
		XDG_RUNTIME_DIR: path.join(dir, 'run'),
		KEYRING_PASSWORD: randomBytes(12).toString('hex'),
	};
	const child = spawn('dbus-run-session', ['--', 'sh', '-c', SCRIPT], {env, stdio: ['pipe', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	const close = async (): Promise<void> => {
		child.stdin.end();
		const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
		await exited;
		clearTimeout(timer);
		await fs.rm(dir, {recursive: true, force: true});
	};
	const bus = await new Promise<string | undefined>((resolve) => {
		const timer = setTimeout(() => resolve(undefined), START_TIMEOUT_MS);
		createInterface({input: child.stdout}).on('line', (line) => {
			if (line.startsWith('BUS=')) {
				clearTimeout(timer);
				resolve(line.slice(4));
			}
		});
		void exited.then(() => {
			clearTimeout(timer);
			resolve(undefined);
		});
	});
	if (!bus) {
		await close();
		return unavailable(
			`no Secret Service could be started with dbus-run-session + gnome-keyring-daemon (${stderr.trim().split('\n').pop() || 'no output'})`,
		);
	}
	const probe = spawnSync(process.execPath, ['-e', PROBE], {
		cwd: ROOT,
		env: {PATH: env.PATH, HOME: dir, DBUS_SESSION_BUS_ADDRESS: bus},
		encoding: 'utf8',
		timeout: 20_000,
	});
	if (probe.status !== 0) {
		await close();
		return unavailable(
			`a Secret Service started but @napi-rs/keyring could not use it (${(probe.stderr || '').trim().split('\n').pop() || `exit ${probe.status}`})`,
		);
	}
	return {available: true, env: {DBUS_SESSION_BUS_ADDRESS: bus}, close};
}
