// The wizard in a real pty: time to its first frame (without and with --sandbox), keystroke-to-frame latency
// on the tier step, and the TUI's peak RSS. Baseline: bare node in the same kind of pty, printing one line.
import {readdirSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {median, percentile, tempHome, CLI} from './lib.mjs';
import {spawnPty} from './pty.mjs';

const DOWN = '\u001B[B';
const UP = '\u001B[A';
const RUNS = 10;

// No keys in the environment and an empty HOME: the welcome step finds nothing, as on a fresh machine.
function cleanEnv(home) {
	return {
		HOME: home,
		TUI_HOME: undefined,
		XDG_CONFIG_HOME: undefined,
		OPENAI_API_KEY: undefined,
		ANTHROPIC_API_KEY: undefined,
		CLAUDE_API_KEY: undefined,
		FORCE_COLOR: undefined,
	};
}

async function timeToText(args, text, env) {
	const session = spawnPty(process.execPath, args, {env});
	try {
		return (await session.until((screen) => screen.includes(text), 60_000)) - session.started;
	} finally {
		await session.kill();
	}
}

const baseline = () => timeToText(['-e', "process.stdout.write('ready\\n')"], 'ready', {});

/**
 * A user's first run: the welcome step, then Ctrl+C. The launcher writes the wizard's code cache after the first
 * frame or at exit; a run killed as soon as it draws (as the timed runs are) writes none.
 */
function hasCodeCache() {
	const folder = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'tui');
	try {
		return readdirSync(folder).some((name) => name.startsWith('v8-tui-wizard-') || name === 'node-compile-cache');
	} catch {
		return false;
	}
}

async function firstRun(args, env) {
	const session = spawnPty(process.execPath, args, {env});
	try {
		await session.until((screen) => screen.includes('Welcome to tui'), 60_000);
		session.write('\u0003');
		await session.exit(10_000);
	} finally {
		await session.kill();
	}
}

/**
 * Median time from spawn to the welcome step on screen, interleaved with the baseline: after a first run, as a
 * user's every later start; with `noCodeCache`, as the first run itself.
 */
export async function firstFrameOf(cli, extraArgs, {runs = RUNS, noCodeCache = false} = {}) {
	const base = [];
	const subject = [];
	const env = (home) => ({...cleanEnv(home), ...(noCodeCache ? {TUI_NO_CODE_CACHE: '1'} : {})});
	await baseline();
	const first = tempHome();
	const homes = [first];
	await firstRun([cli, ...extraArgs, '--home', first, 'onboard'], env(first));
	if (!noCodeCache && !hasCodeCache()) throw new Error(`${cli} wrote no code cache on its first run`);
	for (let i = 0; i < runs; i++) {
		base.push(await baseline());
		const home = tempHome();
		homes.push(home);
		subject.push(await timeToText([cli, ...extraArgs, '--home', home, 'onboard'], 'Welcome to tui', env(home)));
	}
	// A killed `--sandbox` run leaves its sandbox server running until idle; without its server.json it stops within
	// about 2 s (as after `tui reset`), so it does not share the machine with the next figures.
	if (extraArgs.includes('--sandbox'))
		for (const home of homes) rmSync(path.join(home, 'sandbox', 'server.json'), {force: true});
	return {ms: median(subject), baselineMs: median(base)};
}

const marker = (screen) => screen.split('\n').find((line) => line.includes('›')) ?? '';

function peakRssMb(pid) {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
	return kb / 1024;
}

// ink-select-input registers its key handler in an effect after the frame: a key sent at once can be lost,
// so Enter is sent again if the next step has not appeared within 2 s (it is idempotent until it lands).
async function press(session, key, arrived) {
	for (let attempt = 0; ; attempt++) {
		session.write(key);
		try {
			return await session.until(arrived, 2_000);
		} catch (error) {
			if (attempt === 4) throw error;
		}
	}
}

export async function keystrokes(cli = CLI) {
	const home = tempHome();
	const session = spawnPty(process.execPath, [cli, '--home', home, 'onboard'], {env: cleanEnv(home)});
	try {
		await session.until((screen) => screen.includes('No existing'), 60_000);
		await press(session, '\r', (screen) => screen.includes('Which provider first?') && screen.includes('› 1. OpenAI'));
		await press(session, '\r', (screen) => screen.includes('Your OpenAI plan') && marker(screen).includes('1. Free'));
		const items = session
			.screen()
			.split('\n')
			.filter((line) => /^\s*›?\s*\d+\. /.test(line)).length;
		const latencies = [];
		let position = 0;
		let direction = 1;
		for (let i = 0; i < 100; i++) {
			if (position + direction < 0 || position + direction >= items) direction = -direction;
			position += direction;
			const before = marker(session.screen());
			const sent = performance.now();
			session.write(direction > 0 ? DOWN : UP);
			const expected = `${position + 1}. `;
			const seen = await session.until((screen) => {
				const now = marker(screen);
				return now !== before && now.includes(expected);
			}, 10_000);
			latencies.push(seen - sent);
		}
		return {p50: percentile(latencies, 50), p95: percentile(latencies, 95), items, rssMb: peakRssMb(session.pid)};
	} finally {
		await session.kill();
	}
}

export default async function () {
	const fmt = (ms) => `${ms.toFixed(1)} ms`;
	const plain = await firstFrameOf(CLI, []);
	const firstEver = await firstFrameOf(CLI, [], {noCodeCache: true});
	const sandbox = await firstFrameOf(CLI, ['--sandbox']);
	const keys = await keystrokes();
	const frame = (name, result, goal) => ({
		name,
		value: fmt(result.ms),
		baseline: fmt(result.baselineMs),
		ratio: result.ms / result.baselineMs,
		...(goal === undefined ? {} : {goal: `≤ ${goal}×`, check: {measured: result.ms / result.baselineMs, limit: goal}}),
	});
	return [
		frame(`first wizard frame, tui onboard, 100×30 pty (median of ${RUNS})`, plain, 2.5),
		frame(`first wizard frame on a first run (no code cache yet), 100×30 pty (median of ${RUNS})`, firstEver),
		frame(`first wizard frame, tui --sandbox onboard, 100×30 pty (median of ${RUNS})`, sandbox),
		{
			name: `keystroke → next frame, tier step, 100 arrows (p50 / p95)`,
			value: `${keys.p50.toFixed(1)} / ${keys.p95.toFixed(1)} ms`,
			goal: 'p95 ≤ 16 ms',
			check: {measured: keys.p95, limit: 16},
		},
		{
			name: 'peak RSS of the wizard after 100 keystrokes (VmHWM)',
			value: `${keys.rssMb.toFixed(1)} MB`,
			goal: '≤ 80 MB',
			check: {measured: keys.rssMb, limit: 80},
		},
	];
}
