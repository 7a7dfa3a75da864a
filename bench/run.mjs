// npm run bench: runs every bench/*.bench.mjs, prints one table, writes bench/RESULTS.md, and exits 1 when a
// figure drifts more than 25% past its goal (the machine is noisy; the goal itself is reported as met or not).
// `npm run bench -- startup` runs only the matching files and writes nothing.
import {readdirSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {tempHome} from './lib.mjs';

const DRIFT = 1.25;
const only = process.argv[2];
// One code-cache folder for the whole run: each bench's untimed first run fills it, as a user's first run does
// (the wizard's first run ends with Ctrl+C, not a kill, so the launcher gets to write its cache).
process.env.XDG_CACHE_HOME = tempHome('tui-bench-cache-');
delete process.env.TUI_NO_CODE_CACHE;
// Node options of this shell are not the program's cost: an extra CA bundle (set on some machines, this one
// included) adds 25-50 ms to every node start, tui's and the baseline's alike, which flatters every ratio.
const UNSET = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'].filter((key) => process.env[key] !== undefined);
for (const key of UNSET) delete process.env[key];

const files = readdirSync('bench')
	.filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only)))
	.sort();
const rows = [];
for (const file of files) {
	const mod = await import(pathToFileURL(path.resolve('bench', file)).href);
	process.stderr.write(`bench: ${file}…\n`);
	for (const row of await mod.default()) rows.push(row);
}

const verdict = (r) =>
	r.check === undefined
		? ''
		: r.check.measured <= r.check.limit
			? 'yes'
			: r.check.measured <= r.check.limit * DRIFT
				? 'no (within 25%)'
				: 'NO, drifted';
const header = ['figure', 'value', 'baseline (node -e "")', 'ratio', 'goal', 'met'];
const table = rows.map((r) => [
	r.name,
	r.value,
	r.baseline ?? '',
	r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
	r.goal ?? '',
	verdict(r),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => String(row[i]).length)));
const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
console.log(line(header));
for (const row of table) console.log(line(row));

const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}, load average ${os
	.loadavg()
	.map((n) => n.toFixed(1))
	.join(' ')}`;
const md = [
	'# Benchmark results',
	'',
	`Measured ${new Date().toISOString()} on ${machine}. Every ratio is against bare \`node -e ''\` measured in the same run, interleaved; figures are medians unless the name says otherwise.`,
	'',
	`| ${header.join(' | ')} |`,
	`| ${header.map(() => '---').join(' | ')} |`,
	...table.map((row) => `| ${row.join(' | ')} |`),
	'',
	`Pseudo-terminal figures (first frame) use as baseline bare node writing one line in the same kind of pty (node-pty + headless xterm), time from spawn to the text on screen. tui's figures are with a warm code cache, as from a user's second run on (one untimed run first; the wizard's ends with Ctrl+C, as a user leaves it, so its cache is written), except the rows that say otherwise. Every run is without \`NODE_EXTRA_CA_CERTS\` and \`NODE_OPTIONS\`${UNSET.length > 0 ? ` (this shell set ${UNSET.join(', ')}; unset for the run)` : ''}. Peers run in an empty HOME; a peer not on PATH is marked not installed.`,
	'',
	`\`npm run bench\` exits 1 when a figure is more than ${Math.round((DRIFT - 1) * 100)}% past its goal.`,
	'',
].join('\n');
if (!only) writeFileSync('bench/RESULTS.md', md);

const drifted = rows.filter((r) => r.check !== undefined && r.check.measured > r.check.limit * DRIFT);
for (const r of drifted)
	console.error(
		`bench: "${r.name}" drifted: ${r.value}${r.ratio === undefined ? '' : ` (${r.ratio.toFixed(2)}×)`}, goal ${r.goal}, allowed up to ${Math.round((DRIFT - 1) * 100)}% more`,
	);
if (drifted.length > 0) process.exitCode = 1;
