// Start-up of the commands scripts call often, against bare node, and the peers' equivalents when installed.
// The code cache is warm (run.mjs gives every run one cache folder and this file one untimed run first), as it
// is from a user's second run on; the cold figure shows the same command without any cache.
import {compareCommandToNode, compareToNode, onPath, tempHome, CLI} from './lib.mjs';
import {onboardedHome} from './fixtures.mjs';

const RUNS = 40;
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const row = (name, result, goal) => ({
	name,
	value: fmt(result.ms),
	baseline: fmt(result.baselineMs),
	ratio: result.ratio,
	...(goal === undefined ? {} : {goal: `≤ ${goal}×`, check: {measured: result.ratio, limit: goal}}),
});

// Each peer's nearest equivalent of `tui auth status`, run in an empty home so none finds a login.
const PEERS = [
	['codex', ['login', 'status']],
	['claude', ['--version']],
	['gemini', ['--version']],
	['opencode', ['auth', 'list']],
];

export default async function () {
	const home = tempHome();
	const env = {OPENAI_API_KEY: undefined, ANTHROPIC_API_KEY: undefined, CLAUDE_API_KEY: undefined};
	const status = [CLI, '--home', home, 'auth', 'status', '--json'];
	const rows = [
		row(`tui auth status --json, empty home (median of ${RUNS})`, compareToNode(status, {runs: RUNS, env}), 1.3),
		row(
			`tui auth status --json, no code cache (median of ${RUNS})`,
			compareToNode(status, {runs: RUNS, env: {...env, TUI_NO_CODE_CACHE: '1'}}),
		),
		row(
			`tui auth token, empty home (median of ${RUNS})`,
			compareToNode([CLI, '--home', home, 'auth', 'token'], {runs: RUNS, env}),
		),
		row(`tui --help (median of ${RUNS})`, compareToNode([CLI, '--help'], {runs: RUNS, env})),
	];
	// What a user runs every day: an OpenAI login and the config.json tui writes are read and checked.
	const onboarded = onboardedHome();
	rows.push(
		row(
			`tui auth status --json, onboarded home (median of ${RUNS})`,
			compareToNode([CLI, '--home', onboarded, 'auth', 'status', '--json'], {runs: RUNS, env, expectExit: 0}),
		),
		row(
			`tui auth token, onboarded home (median of ${RUNS})`,
			compareToNode([CLI, '--home', onboarded, 'auth', 'token'], {runs: RUNS, env, expectExit: 0}),
		),
	);
	const peerHome = tempHome('tui-bench-peer-');
	for (const [name, args] of PEERS) {
		const label = `peer: ${name} ${args.join(' ')}`;
		const file = onPath(name);
		if (!file) {
			rows.push({name: label, value: 'not installed'});
			continue;
		}
		try {
			const peerEnv = {
				HOME: peerHome,
				XDG_CONFIG_HOME: undefined,
				XDG_DATA_HOME: undefined,
				CODEX_HOME: undefined,
				...env,
			};
			rows.push(row(`${label} (median of 10)`, compareCommandToNode(file, args, {runs: 10, env: peerEnv})));
		} catch (error) {
			rows.push({
				name: label,
				value: `failed: ${String(error.message ?? error)
					.split('\n')[0]
					.slice(0, 80)}`,
			});
		}
	}
	return rows;
}
