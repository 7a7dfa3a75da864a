// npm run bench: runs every bench/*.bench.mjs, prints one table, writes bench/RESULTS.md.
import {readdirSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

const only = process.argv[2];
const files = readdirSync('bench').filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only))).sort();
const rows = [];
for (const file of files) {
	const mod = await import(pathToFileURL(path.resolve('bench', file)).href);
	process.stderr.write(`bench: ${file}…\n`);
	for (const row of await mod.default()) rows.push(row);
}

const header = ['figure', 'value', 'baseline (node -e "")', 'ratio', 'goal', 'met'];
const table = rows.map((r) => [r.name, r.value, r.baseline ?? '', r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`, r.goal ?? '', r.met === undefined ? '' : r.met ? 'yes' : 'NO']);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => String(row[i]).length)));
const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
console.log(line(header));
for (const row of table) console.log(line(row));

const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
const md = [
	'# Benchmark results',
	'',
	`Measured ${new Date().toISOString()} on ${machine}. Every ratio is against bare \`node -e ''\` measured in the same run; figures are medians unless the name says otherwise.`,
	'',
	`| ${header.join(' | ')} |`,
	`| ${header.map(() => '---').join(' | ')} |`,
	...table.map((row) => `| ${row.join(' | ')} |`),
	'',
	"Pseudo-terminal figures (first frame) use as baseline bare node writing one line in the same kind of pty (node-pty + headless xterm), time from spawn to the text on screen.",
	'',
].join('\n');
if (!only) writeFileSync('bench/RESULTS.md', md);
