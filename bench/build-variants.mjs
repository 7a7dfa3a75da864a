// Not part of `npm run bench`: evidence for build changes that are not ours to make (scripts/build.mjs,
// source/ui/render.tsx). Builds the CLI as scripts/build.mjs does, plus variants, under .tmp/bench-variants/,
// and measures each beside bare node in the same run (interleaved).
//   node bench/build-variants.mjs            all variants
// Variants: current | +locales (zod's 60 locale modules replaced by English only: zod/mini's namespace keeps
// them alive in a code-split build) | +prod (NODE_ENV=production defined: React's production builds, dev code
// dropped) | +fps120 (Ink maxFps 120 instead of 30: a keystroke waits at most ~8 ms for the render throttle).
import {build} from 'esbuild';
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import {compareToNode, median, tempHome} from './lib.mjs';
import {firstFrameOf, keystrokes} from './wizard.bench.mjs';

const ROOT = '.tmp/bench-variants';

const localesPlugin = {
	name: 'zod-locales-en-only',
	setup(b) {
		b.onResolve({filter: /locales\/index\.js$/}, (args) => (args.importer.includes('/node_modules/zod/') ? {path: 'en', namespace: 'zod-locales'} : undefined));
		b.onLoad({filter: /.*/, namespace: 'zod-locales'}, () => ({contents: "export {default as en} from 'zod/v4/locales/en.js';", resolveDir: process.cwd()}));
	},
};
const fpsPlugin = (fps) => ({
	name: 'ink-max-fps',
	setup(b) {
		b.onLoad({filter: /source\/ui\/render\.tsx$/}, async (args) => ({contents: (await readFile(args.path, 'utf8')).replace('patchConsole: false,', `patchConsole: false, maxFps: ${fps},`), loader: 'tsx'}));
	},
});

async function buildVariant(name, {locales = false, prod = false, fps} = {}) {
	const out = `${ROOT}/${name}`;
	await rm(out, {recursive: true, force: true});
	await mkdir(out, {recursive: true});
	await writeFile(`${out}/.devtools-stub.js`, 'export default {};\n');
	await build({
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		jsx: 'automatic',
		legalComments: 'none',
		logLevel: 'warning',
		external: ['oidc-provider'],
		entryPoints: {cli: 'source/cli.tsx'},
		outdir: out,
		splitting: true,
		chunkNames: 'chunks/[name]-[hash]',
		alias: {'react-devtools-core': `./${out}/.devtools-stub.js`},
		banner: {js: "#!/usr/bin/env node\nimport {createRequire as __tuiCreateRequire} from 'node:module';const require = __tuiCreateRequire(import.meta.url);"},
		define: {'process.env.DEV': '"false"', ...(prod ? {'process.env.NODE_ENV': '"production"'} : {})},
		plugins: [...(locales ? [localesPlugin] : []), ...(fps ? [fpsPlugin(fps)] : [])],
	});
	return `${out}/cli.js`;
}

const variants = [
	['current', {}],
	['locales', {locales: true}],
	['locales+prod', {locales: true, prod: true}],
	['locales+prod+fps120', {locales: true, prod: true, fps: 120}],
];
const home = tempHome();
for (const [name, options] of variants) {
	const cli = await buildVariant(name, options);
	const status = compareToNode([cli, '--home', home, 'auth', 'status', '--json'], {runs: 15, env: {OPENAI_API_KEY: 'sk-bench-0000000000000000'}});
	const frame = await firstFrameOf(cli, [], 8);
	const keys = await keystrokes(cli);
	console.log(
		`${name.padEnd(20)} auth status ${status.ms.toFixed(0)} ms (${status.ratio.toFixed(2)}×)  first frame ${frame.ms.toFixed(0)} ms (${(frame.ms / frame.baselineMs).toFixed(2)}×)  keys p50/p95 ${keys.p50.toFixed(1)}/${keys.p95.toFixed(1)} ms  RSS ${keys.rssMb.toFixed(0)} MB`,
	);
}
void median;
