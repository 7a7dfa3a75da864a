// Builds the CLI as split ESM chunks (commands load only what they use) and
// the library face with its dependencies left external.
import {build} from 'esbuild';
import {rm, mkdir, readFile, writeFile, rename} from 'node:fs/promises';

// zod re-exports all 64 locales; our messages are English (schemas.ts sets it), so the rest is dead weight at startup.
const englishOnlyZodLocales = {
	name: 'english-only-zod-locales',
	setup(build) {
		build.onResolve({filter: /\/locales\/index\.js$/}, (args) => (args.importer.includes('/zod/') ? {path: 'zod-locales-en', namespace: 'tui-stub'} : undefined));
		build.onLoad({filter: /^zod-locales-en$/, namespace: 'tui-stub'}, () => ({
			contents: `export {default as en} from ${JSON.stringify(new URL('../node_modules/zod/v4/locales/en.js', import.meta.url).pathname)};`,
			loader: 'js',
			resolveDir: process.cwd(),
		}));
	},
};

// Every `string-width` import gets our fast path; the fast path itself gets the real package.
const fastStringWidth = {
	name: 'fast-string-width',
	setup(build) {
		const real = new URL('../node_modules/string-width/index.js', import.meta.url).pathname;
		build.onResolve({filter: /^string-width$/}, () => ({path: new URL('../source/ui/string-width-fast.ts', import.meta.url).pathname}));
		build.onResolve({filter: /^string-width-real$/}, () => ({path: real}));
	},
};

// yoga's emscripten loader fetch()es its own base64 data: URL when fetch exists, which loads undici (~20 ms and
// several MB) before the first frame; with fetch out of sight it decodes the same bytes synchronously.
const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(build) {
		build.onLoad({filter: /yoga-layout[\\/]dist[\\/]binaries[\\/].*\.js$/}, async (args) => {
			const source = await readFile(args.path, 'utf8');
			const patched = source.replaceAll('"function"!=typeof fetch', 'true');
			if (patched === source) throw new Error(`yoga-without-fetch: no fetch check found in ${args.path}; update the plugin`);
			return {contents: patched, loader: 'js'};
		});
	},
};

const started = Date.now();
// Build beside dist/ and swap it in, so a test running the old build never sees a half-written one.
const out = `dist.tmp-${process.pid}`;
await rm(out, {recursive: true, force: true});
await mkdir(out, {recursive: true});
// ink imports react-devtools-core only when DEV is set; an empty stub keeps the bundle loadable.
await writeFile(`${out}/.devtools-stub.js`, 'export default {};\n');

const shared = {
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	jsx: 'automatic',
	legalComments: 'none',
	logLevel: 'warning',
	// oidc-provider loads views and koa at run time; only the sandbox needs it.
	external: ['oidc-provider'],
	plugins: [englishOnlyZodLocales],
};

await build({
	...shared,
	entryPoints: {cli: 'source/cli.tsx'},
	outdir: out,
	splitting: true,
	chunkNames: 'chunks/[name]-[hash]',
	plugins: [englishOnlyZodLocales, fastStringWidth, yogaWithoutFetch],
	alias: {'react-devtools-core': `./${out}/.devtools-stub.js`, 'is-in-ci': './source/ui/is-in-ci-shim.ts'},
	banner: {js: "#!/usr/bin/env node\nimport {createRequire as __tuiCreateRequire} from 'node:module';const require = __tuiCreateRequire(import.meta.url);"},
	// React's production build: the development one roughly doubles keystroke-to-frame latency.
	define: {'process.env.DEV': '"false"', 'process.env.NODE_ENV': '"production"'},
});

await build({
	...shared,
	entryPoints: {index: 'source/index.ts', credentials: 'source/credentials.ts'},
	outdir: out,
	packages: 'external',
});

if (process.env.TUI_BUILD_TYPES === '1') {
	const {execFileSync} = await import('node:child_process');
	execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', `${out}/types`], {stdio: 'inherit'});
}
const old = `dist.old-${process.pid}`;
await rename('dist', old).catch(() => {});
await rename(out, 'dist');
await rm(old, {recursive: true, force: true});
console.error(`built dist/ in ${Date.now() - started} ms`);
