// Startup of the commands scripts call often, against bare node.
import {compareToNode, tempHome, CLI} from './lib.mjs';

export default async function () {
	const home = tempHome();
	const env = {OPENAI_API_KEY: 'sk-bench-0000000000000000', ANTHROPIC_API_KEY: undefined, CLAUDE_API_KEY: undefined};
	const status = compareToNode([CLI, '--home', home, 'auth', 'status', '--json'], {runs: 20, env});
	const help = compareToNode([CLI, '--help'], {runs: 20, env});
	const fmt = (ms) => `${ms.toFixed(1)} ms`;
	return [
		{name: 'tui auth status --json (median of 20)', value: fmt(status.ms), baseline: fmt(status.baselineMs), ratio: status.ratio, goal: '≤ 2×', met: status.ratio <= 2},
		{name: 'tui --help (median of 20)', value: fmt(help.ms), baseline: fmt(help.baselineMs), ratio: help.ratio},
	];
}
