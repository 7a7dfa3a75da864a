// Builds the CLI as split ESM chunks (commands load only what they use) and
// the library face with its dependencies left external.
import {createHash} from 'node:crypto';
import {build} from 'esbuild';
import {chmod, rm, mkdir, readFile, writeFile, rename} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

// zod re-exports all 64 locales; our messages are English (core/zod.ts sets it), so the rest is dead weight at startup.
const englishOnlyZodLocales = {
	name: 'english-only-zod-locales',
	setup(build) {
		build.onResolve({filter: /\/locales\/index\.js$/}, (args) =>
			args.importer.includes('/zod/') ? {path: 'zod-locales-en', namespace: 'tui-stub'} : undefined,
		);
		build.onLoad({filter: /^zod-locales-en$/, namespace: 'tui-stub'}, () => ({
			contents: `export {default as en} from ${JSON.stringify(new URL('../node_modules/zod/v4/locales/en.js', import.meta.url).pathname)};`,
			loader: 'js',
			resolveDir: process.cwd(),
		}));
	},
};

// Every `string-width` import gets our fast path; the fast path itself gets the real package, loaded on its
// first call: its top level compiles Unicode property regexes (\p{RGI_Emoji} alone ~20 ms) before the first frame.
const fastStringWidth = {
	name: 'fast-string-width',
	setup(build) {
		const real = new URL('../node_modules/string-width/index.js', import.meta.url).pathname;
		build.onResolve({filter: /^string-width$/}, () => ({
			path: new URL('../source/ui/string-width-fast.ts', import.meta.url).pathname,
		}));
		build.onResolve({filter: /^string-width-real$/}, () => ({
			path: 'string-width-real',
			namespace: 'tui-lazy-string-width',
		}));
		// esbuild bundles a require() of an ES module as a lazy init, so the real module runs on first use.
		build.onLoad({filter: /.*/, namespace: 'tui-lazy-string-width'}, () => ({
			loader: 'js',
			resolveDir: process.cwd(),
			contents: `let real;\nexport default function stringWidth(input, options) {\n\treal ??= require(${JSON.stringify(real)}).default;\n\treturn real(input, options);\n}\n`,
		}));
	},
};

// Ink's `@alcalzone/ansi-tokenize` gets our fast path (source/ui/ansi-tokenize-fast.ts), which gets the real package.
const fastAnsiTokenize = {
	name: 'fast-ansi-tokenize',
	setup(build) {
		const real = new URL('../node_modules/@alcalzone/ansi-tokenize/build/index.js', import.meta.url).pathname;
		build.onResolve({filter: /^@alcalzone\/ansi-tokenize$/}, () => ({
			path: new URL('../source/ui/ansi-tokenize-fast.ts', import.meta.url).pathname,
		}));
		build.onResolve({filter: /^ansi-tokenize-real$/}, () => ({path: real}));
	},
};

// Ink's tokenizer and slice-ansi create an Intl.Segmenter as they load (~15 ms, ~2.5 MB before the first frame);
// source/ui/segmenter-fast.ts takes its place and creates the real one when a string first needs it.
const SEGMENTER_MODULES = /(@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize|slice-ansi[\\/]tokenize-ansi)\.js$/;
const lazyGraphemeSegmenter = {
	name: 'lazy-grapheme-segmenter',
	setup(build) {
		const stand = new URL('../source/ui/segmenter-fast.ts', import.meta.url).pathname;
		build.onLoad({filter: SEGMENTER_MODULES}, async (args) => {
			const source = await readFile(args.path, 'utf8');
			const created = /new Intl\.Segmenter\(undefined, \{\s*granularity: ["']grapheme["']\s*\}\)/g;
			if ((source.match(created) ?? []).length !== 1)
				throw new Error(`lazy-grapheme-segmenter: ${args.path} changed; update the plugin`);
			return {
				contents: `import {graphemeSegmenter as __tuiGraphemeSegmenter} from ${JSON.stringify(stand)};\n${source.replace(created, "__tuiGraphemeSegmenter(undefined, {granularity: 'grapheme'})")}`,
				loader: 'js',
			};
		});
	},
};

// Ink's Output fills each frame's grid with a fresh blank-cell object (and styles array) per cell, 3,000 for a
// 100×30 screen, on every keystroke. Cells are only ever replaced, never changed, so one frozen blank serves.
const inkSharedBlankCell = {
	name: 'ink-shared-blank-cell',
	setup(build) {
		build.onLoad({filter: /ink[\\/]build[\\/]output\.js$/}, async (args) => {
			const source = await readFile(args.path, 'utf8');
			const blank = /row\.push\(\{\s*type: 'char',\s*value: ' ',\s*fullWidth: false,\s*styles: \[\],\s*\}\);/;
			if (!blank.test(source)) throw new Error(`ink-shared-blank-cell: ${args.path} changed; update the plugin`);
			const shared =
				"const BLANK_CELL = Object.freeze({type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([])});\n";
			return {contents: shared + source.replace(blank, 'row.push(BLANK_CELL);'), loader: 'js'};
		});
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
			if (patched === source)
				throw new Error(`yoga-without-fetch: no fetch check found in ${args.path}; update the plugin`);
			// The embedded wasm, exported once for the synchronous loader below.
			const dataUri = /"data:application\/octet-stream;base64,[A-Za-z0-9+/=]+"/.exec(patched)?.[0];
			if (!dataUri) throw new Error(`yoga-without-fetch: no embedded wasm in ${args.path}; update the plugin`);
			return {
				contents: `const yogaWasmDataUri = ${dataUri};\nexport {yogaWasmDataUri};\n${patched.replace(dataUri, 'yogaWasmDataUri')}`,
				loader: 'js',
			};
		});
	},
};

// yoga-layout awaits its wasm at the top level, which a CommonJS bundle cannot do. The emscripten glue lets us
// instantiate the module ourselves: done synchronously from the same embedded bytes, it is ready on return.
const yogaWithoutTopLevelAwait = {
	name: 'yoga-without-top-level-await',
	setup(build) {
		build.onLoad({filter: /yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/}, async (args) => {
			const source = await readFile(args.path, 'utf8');
			if (!source.includes('wrapAssembly(await loadYoga())'))
				throw new Error(`yoga-without-top-level-await: ${args.path} changed; update the plugin`);
			return {
				resolveDir: path.dirname(args.path),
				loader: 'js',
				contents: `import loadYoga, {yogaWasmDataUri} from '../binaries/yoga-wasm-base64-esm.js';
import wrapAssembly from './wrapAssembly.js';
const lib = {
	instantiateWasm(imports, receive) {
		const bytes = Buffer.from(yogaWasmDataUri.slice(yogaWasmDataUri.indexOf(',') + 1), 'base64');
		const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
		receive(instance);
		return instance.exports;
	},
};
let failure;
loadYoga(lib).catch((error) => { failure = error; });
if (!lib.calledRun) throw new Error('yoga-layout did not initialise synchronously' + (failure ? ': ' + failure : ''));
export default wrapAssembly(lib);
export * from './generated/YGEnums.js';
`,
			};
		});
	},
};

// Ink's reconciler awaits two imports at the top level, both only when DEV=true (React devtools, its own
// package.json). The bundle never runs with devtools, so both awaits go.
const inkWithoutDevAwaits = {
	name: 'ink-without-dev-awaits',
	setup(build) {
		build.onLoad({filter: /ink[\\/]build[\\/]reconciler\.js$/}, async (args) => {
			const source = await readFile(args.path, 'utf8');
			const awaits = ["await import('./devtools.js');", '? await loadPackageJson()'];
			if (!awaits.every((text) => source.includes(text)))
				throw new Error(`ink-without-dev-awaits: ${args.path} changed; update the plugin`);
			return {
				contents: source.replace(awaits[0], '').replace(awaits[1], '? {name: undefined, version: undefined}'),
				loader: 'js',
			};
		});
	},
};

// node:crypto, node:child_process and node:fs/promises cost several ms to load (child_process brings net, dgram
// and streams; fs/promises brings readline and streams), and most runs never call them: commander requires
// child_process for external subcommands we do not have, and reads go through synchronous node:fs.
// Every bundled import of them gets a stand-in whose functions load the real module on first call.
const LAZY_BUILTINS = ['crypto', 'child_process', 'fs/promises'];
const lazyBuiltins = {
	name: 'lazy-builtins',
	setup(build) {
		const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
		// The stand-in's own require() is the real module.
		build.onResolve({filter}, (args) =>
			args.namespace === 'tui-lazy-builtin'
				? {path: args.path, external: true}
				: {path: args.path.replace(/^node:/, ''), namespace: 'tui-lazy-builtin'},
		);
		build.onLoad({filter: /.*/, namespace: 'tui-lazy-builtin'}, async (args) => {
			const real = await import(`node:${args.path}`);
			const functions = Object.keys(real).filter((key) => key !== 'default' && typeof real[key] === 'function');
			const skip = new Set(['length', 'name', 'prototype']);
			const extras = (name) => ({
				statics: Object.getOwnPropertyNames(real[name]).filter((key) => !skip.has(key)),
				// exec, execFile and generateKeyPair promisify to more than (error, value): promisify() the real one.
				promisify: Object.getOwnPropertySymbols(real[name]).length > 0,
			});
			const lines = [
				`let real;`,
				`const load = () => (real ??= require('node:${args.path}'));`,
				// new-able, so classes (Hash, ChildProcess, …) still construct; instanceof against them would not hold.
				`const lazy = (name, {statics, promisify}) => {`,
				`	const stand = function (...args) { return new.target ? Reflect.construct(load()[name], args) : load()[name].apply(this, args); };`,
				`	for (const key of statics) Object.defineProperty(stand, key, {get: () => load()[name][key]});`,
				`	if (promisify) Object.defineProperty(stand, Symbol.for('nodejs.util.promisify.custom'), {get: () => require('node:util').promisify(load()[name])});`,
				`	return stand;`,
				`};`,
				...functions.map(
					// Pure, so a bundle keeps only the stand-ins it imports.
					(name) =>
						`export const ${name} = /* @__PURE__ */ lazy(${JSON.stringify(name)}, ${JSON.stringify(extras(name))});`,
				),
				// Anything else (constants, webcrypto) through the default export, read on use.
				`export default new Proxy({}, {get: (_, key) => load()[key], has: (_, key) => key in load()});`,
			];
			return {contents: lines.join('\n'), loader: 'js'};
		});
	},
};

// The CommonJS bundles: most fast commands build no schema, and evaluating zod's modules cost ~1 ms of each start.
// Our modules take zod from source/core/zod.ts; here they get a stand-in whose functions load that module (bundled,
// so esbuild initialises it on that first require) when first called.
const ZOD_MODULE = fileURLToPath(new URL('../source/core/zod.ts', import.meta.url));
const lazyZod = {
	name: 'lazy-zod',
	setup(build) {
		build.onResolve({filter: /\/zod\.js$/}, async (args) => {
			if (args.namespace === 'tui-lazy-zod' || args.pluginData === 'real') return undefined;
			const resolved = await build.resolve(args.path, {
				kind: args.kind,
				resolveDir: args.resolveDir,
				pluginData: 'real',
			});
			return resolved.path === ZOD_MODULE ? {path: ZOD_MODULE, namespace: 'tui-lazy-zod'} : undefined;
		});
		build.onLoad({filter: /.*/, namespace: 'tui-lazy-zod'}, async () => {
			const text = await readFile(ZOD_MODULE, 'utf8');
			const names = /export \{([^}]*)\} from 'zod\/mini'/
				.exec(text)?.[1]
				.split(',')
				.map((name) => name.trim())
				.filter(Boolean);
			if (!names?.length) throw new Error(`lazy-zod: no export list in ${ZOD_MODULE}`);
			const zod = await import('zod/mini');
			const lines = [
				`let real;`,
				`const load = () => (real ??= require(${JSON.stringify(ZOD_MODULE)}));`,
				`const lazy = (get) => function (...args) { return get().apply(this, args); };`,
			];
			names.forEach((name, index) => {
				const value = zod[name];
				if (typeof value === 'function')
					lines.push(`const z${index} = /* @__PURE__ */ lazy(() => load()[${JSON.stringify(name)}]);`);
				else {
					// A namespace of functions (iso): each member is a stand-in too.
					const members = Object.keys(value).filter((key) => typeof value[key] === 'function');
					const entries = members.map(
						(key) => `${JSON.stringify(key)}: lazy(() => load()[${JSON.stringify(name)}][${JSON.stringify(key)}])`,
					);
					lines.push(`const z${index} = /* @__PURE__ */ (() => ({${entries.join(', ')}}))();`);
				}
				lines.push(`export {z${index} as ${name}};`);
			});
			return {contents: lines.join('\n'), loader: 'js', resolveDir: path.dirname(ZOD_MODULE)};
		});
	},
};

// An ES-module package left outside a CommonJS bundle is require()d (Node >= 20.19), which returns its namespace;
// esbuild's interop would hand that over whole as `default`. Its stand-in passes the real default on.
// oidc-provider (sandbox only) in the CLI's bundles, conf in the library's core.
const esmOnlyExternals = (packages) => ({
	name: 'esm-only-externals',
	setup(build) {
		const filter = new RegExp(`^(${packages.join('|')})$`);
		build.onResolve({filter}, (args) =>
			args.namespace === 'tui-esm-only'
				? {path: args.path, external: true}
				: {path: args.path, namespace: 'tui-esm-only'},
		);
		build.onLoad({filter: /.*/, namespace: 'tui-esm-only'}, (args) => ({
			contents: `const ns = require(${JSON.stringify(args.path)});\nexport default ns.default;\n`,
			loader: 'js',
		}));
	},
});

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

/** The words of each command in source/cli/script-commands.ts, the one list of them. */
async function scriptCommandWords() {
	const {outputFiles} = await build({
		entryPoints: ['source/cli/script-commands.ts'],
		bundle: true,
		write: false,
		format: 'esm',
		platform: 'node',
		logLevel: 'warning',
	});
	const {SCRIPT_COMMANDS} = await import(
		`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`
	);
	return SCRIPT_COMMANDS.map(({words}) => words);
}

// Commands scripts call often get two bundles of their own, with every other command's module left out: tui-script
// for their plain forms (no commander), tui-fast for the rest and help (the same cli.tsx, every command registered,
// so parsing, --help and errors are the same). The launcher picks one from argv.
const FAST_COMMANDS = await scriptCommandWords();
// The wizard (`tui onboard`) and the bare `tui` home screen, which starts the wizard on a fresh machine.
const WIZARD_COMMANDS = [['onboard'], []];
const WIZARD_MODULES = ['./commands/onboard.js', './commands/home.js'];
const commandModules = (commands) => commands.map((words) => `./commands/${words.join('-')}.js`);
const onlyCommands = (bundle, modules) => ({
	name: `only-${bundle}-commands`,
	setup(build) {
		const kept = new Set(modules);
		// The entry's modules (source/cli/) import each command as ../commands/<name>.js.
		build.onResolve({filter: /^\.\.\/(commands|sandbox)\//}, (args) =>
			path.dirname(args.importer).endsWith(`source${path.sep}cli`) && !kept.has(args.path.slice(1))
				? {path: args.path, namespace: 'tui-left-out'}
				: undefined,
		);
		build.onLoad({filter: /.*/, namespace: 'tui-left-out'}, (args) => ({
			loader: 'js',
			contents: `const leftOut = () => { throw new Error(${JSON.stringify(`internal: ${args.path} is not in ${bundle}; scripts/launcher.cjs routed wrongly`)}); };\nexport {leftOut as run, leftOut as startSandbox};\n`,
		}));
	},
});

// Packages only a write needs stay out of the CommonJS bundles, so a start that only reads does not read their bytes:
// conf (with ajv, about 200 KB) is bundled alone into dist/conf.cjs, and proper-lockfile (CommonJS) is
// required from node_modules. Both load on the first write.
const writeOnlyPackages = {
	name: 'write-only-packages',
	setup(build) {
		build.onResolve({filter: /^conf$/}, () => ({path: './conf.cjs', external: true}));
		build.onResolve({filter: /^proper-lockfile$/}, (args) => ({path: args.path, external: true}));
	},
};

const {version} = JSON.parse(await readFile('package.json', 'utf8'));
// The version is written in at build time: reading package.json at start would load node:url for its path.
// What every build of the screens gets: English-only zod, the fast string width and tokenizer, the lazy
// segmenter, the shared blank cell and yoga without fetch.
const SCREEN_PLUGINS = [
	englishOnlyZodLocales,
	fastStringWidth,
	fastAnsiTokenize,
	lazyGraphemeSegmenter,
	inkSharedBlankCell,
	yogaWithoutFetch,
];
// ESM output whose code calls require() (the lazy builtins' stand-ins, CommonJS packages).
const ESM_REQUIRE_BANNER = {
	js: "import {createRequire as __tuiCreateRequire} from 'node:module';const require = __tuiCreateRequire(import.meta.url);",
};

const cliDefine = {
	'process.env.DEV': '"false"',
	'process.env.NODE_ENV': '"production"',
	'process.env.TUI_BUILT_VERSION': JSON.stringify(version),
};
const cliAlias = {'react-devtools-core': `./${out}/.devtools-stub.js`, 'is-in-ci': './source/ui/is-in-ci-shim.ts'};

// Every command: split ESM chunks, so a command loads only what it uses (one big script would hold every
// screen and SDK in memory, ~20 MB more for the wizard). Node >= 22.1 caches their compilation.
const full = await build({
	...shared,
	entryPoints: {tui: 'source/cli.tsx'},
	outdir: out,
	splitting: true,
	chunkNames: 'chunks/[name]-[hash]',
	metafile: true,
	plugins: [...SCREEN_PLUGINS, lazyBuiltins],
	alias: cliAlias,
	banner: ESM_REQUIRE_BANNER,
	// React's production build: the development one roughly doubles keystroke-to-frame latency.
	define: cliDefine,
	minify: true,
});

// The fast commands and the wizard: each one CommonJS script, which the launcher runs through a V8 code cache on
// Node 20. import() of a bundled module becomes a call of its init function; oidc-provider is require()d.
// The script is one function called as a module: require() runs it (Node >= 22.1), and on Node 20 the launcher
// compiles the function alone from a slice of the text, without copying ~250 KB into a wrapped string first.
// The function opens on the first line, so the bundle's line numbers in stack traces stay true.
const CJS_FUNCTION = '(function (exports, require, module, __filename, __dirname) {';
const CJS_MODULE_CALL = '.apply(this, arguments);';
// The function's head, and import.meta.url, computed only when read.
const CJS_BANNER = `${CJS_FUNCTION}var __tuiImportMeta = {get url() { return require('node:url').pathToFileURL(__filename).href; }};`;
/** A CommonJS script's code-cache identity: the version and a hash of its bytes, and how the launcher reads it. */
const cjsIdentity = (bytes) => ({
	id: `${version}-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`,
	// esbuild escapes non-ASCII where it can; when it could not, the file is read as UTF-8 (slower than latin1).
	encoding: bytes.every((byte) => byte < 0x80) ? 'latin1' : 'utf8',
});
async function cjsBundle(name, modules, {external = [], plugins = []} = {}) {
	const result = await build({
		...shared,
		entryPoints: {[name]: 'source/cli.tsx'},
		outdir: out,
		outExtension: {'.js': '.cjs'},
		format: 'cjs',
		supported: {'dynamic-import': false},
		minify: true,
		metafile: true,
		external: [...shared.external, ...external],
		plugins: [
			...SCREEN_PLUGINS,
			yogaWithoutTopLevelAwait,
			inkWithoutDevAwaits,
			lazyBuiltins,
			lazyZod,
			esmOnlyExternals(['oidc-provider']),
			onlyCommands(name, modules),
			...plugins,
		],
		alias: cliAlias,
		banner: {js: CJS_BANNER},
		footer: {js: `})${CJS_MODULE_CALL}`},
		define: {...cliDefine, 'import.meta.url': '__tuiImportMeta.url'},
	});
	if (process.env.TUI_BUILD_META === '1') await writeFile(`${out}/meta-${name}.json`, JSON.stringify(result.metafile));
	const bytes = await readFile(`${out}/${name}.cjs`);
	if (!bytes.toString('latin1').trimEnd().endsWith(`})${CJS_MODULE_CALL}`))
		throw new Error(`${name}.cjs does not end with its module call; the launcher could not slice its function`);
	return cjsIdentity(bytes);
}
// A plain form of a script command, which the launcher tells with script-commands.ts, never needs commander.
const withoutCommander = {
	name: 'without-commander',
	setup(build) {
		build.onResolve({filter: /^\.\/cli\/program\.js$/}, (args) => ({path: args.path, namespace: 'no-commander'}));
		build.onLoad({filter: /.*/, namespace: 'no-commander'}, () => ({
			loader: 'js',
			contents: `export const parseWithCommander = () => { throw new Error('internal: tui-script got an argv for commander; scripts/launcher.cjs routed wrongly'); };\n`,
		}));
	},
};
const bundles = {
	'tui-script': await cjsBundle('tui-script', commandModules(FAST_COMMANDS), {
		plugins: [writeOnlyPackages, withoutCommander],
	}),
	'tui-fast': {
		...(await cjsBundle('tui-fast', commandModules(FAST_COMMANDS), {plugins: [writeOnlyPackages]})),
		commands: FAST_COMMANDS,
	},
	// The SDKs only check a key, and the wizard writes only at its end: outside its script, a start does not read
	// their bytes (SDKs ~0.6 MB, conf ~0.2 MB); the first frame came ~10% sooner for each (bench/, interleaved A/B).
	'tui-wizard': {
		...(await cjsBundle('tui-wizard', WIZARD_MODULES, {
			external: ['openai', '@anthropic-ai/sdk'],
			plugins: [writeOnlyPackages],
		})),
		commands: WIZARD_COMMANDS,
	},
};
await build({
	...shared,
	// module.exports is the class: `await import('conf')` in a CommonJS bundle takes module.exports as default.
	stdin: {contents: "module.exports = require('conf').default;", resolveDir: '.', sourcefile: 'conf-entry.js'},
	outfile: `${out}/conf.cjs`,
	format: 'cjs',
	minify: true,
});
const launcher = (await readFile('scripts/launcher.cjs', 'utf8'))
	.replace("'__TUI_BUNDLES__'", JSON.stringify(bundles))
	.replace("'__TUI_MODULE_CALL__'", JSON.stringify(CJS_MODULE_CALL));
// Bundled only to take in scripts/code-cache.cjs, so the launcher stays one file to read.
await build({
	stdin: {contents: launcher, resolveDir: 'scripts', sourcefile: 'launcher.cjs', loader: 'js'},
	outfile: `${out}/cli.cjs`,
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	external: ['./tui.js'],
	logLevel: 'warning',
});
await chmod(`${out}/cli.cjs`, 0o755);
if (process.env.TUI_BUILD_META === '1') await writeFile(`${out}/meta-tui.json`, JSON.stringify(full.metafile));

// The library: packages stay the host's to install and share, except zod. Its ESM files cost a host ~80 ms to
// load (every locale too) against ~2 ms for the English-only copy bundled here, and our copy keeps our
// English messages out of the host's own zod configuration.
const packagesButZod = {
	name: 'packages-but-zod',
	setup(build) {
		build.onResolve({filter: /^[^./]/}, (args) =>
			args.path === 'zod' || args.path.startsWith('zod/') || args.importer.includes('/node_modules/zod/')
				? undefined
				: {path: args.path, external: true},
		);
	},
};
// The library in two parts. Its core, every module the screens do not need (the credential path, the store, the
// OAuth engine), is one CommonJS script, dist/library/core.cjs, which scripts/library-core.mjs runs through the V8
// code cache as the launcher runs the CLI's bundles: Node 20 caches no ES module, and compiling each function on
// its first call was most of a host's first resolveCredential(). The screens stay ES modules, split into chunks
// (ink and react are the host's; ink cannot be require()d). Each core module a screen imports becomes a facade
// over the one core, so a host holding both entries has one copy of every module: one lock registry, one cache.
const LIBRARY_ENTRIES = {index: 'source/index.ts', credentials: 'source/credentials.ts'};
const libraryPlugins = [englishOnlyZodLocales, lazyBuiltins, packagesButZod];
const SCREEN_PACKAGES = /^(ink|react|ink-[\w-]+|@inkjs\/.*)(\/.*)?$/;
const libraryGraph = await build({
	...shared,
	entryPoints: LIBRARY_ENTRIES,
	outdir: out,
	splitting: true,
	write: false,
	metafile: true,
	plugins: libraryPlugins,
});
// A screen module: under source/ui/, or importing a screen package or a screen module.
const libraryInputs = Object.entries(libraryGraph.metafile.inputs).filter(([file]) => file.startsWith('source/'));
const screenModules = new Set(libraryInputs.filter(([file]) => file.startsWith('source/ui/')).map(([file]) => file));
for (let grew = true; grew;) {
	grew = false;
	for (const [file, {imports}] of libraryInputs)
		if (
			!screenModules.has(file) &&
			imports.some((i) => screenModules.has(i.path) || (i.external && SCREEN_PACKAGES.test(i.path)))
		) {
			screenModules.add(file);
			grew = true;
		}
}
const coreFiles = libraryInputs
	.map(([file]) => file)
	.filter((file) => !screenModules.has(file) && file !== LIBRARY_ENTRIES.index)
	.sort();
if (!coreFiles.includes(LIBRARY_ENTRIES.credentials))
	throw new Error(`library core: ${LIBRARY_ENTRIES.credentials} imports a screen module`);
// Each core module's export names, for its facade.
const coreExports = await build({
	...shared,
	entryPoints: coreFiles,
	outdir: out,
	splitting: true,
	write: false,
	metafile: true,
	plugins: libraryPlugins,
});
const coreIndex = new Map();
for (const output of Object.values(coreExports.metafile.outputs))
	if (coreFiles.includes(output.entryPoint))
		coreIndex.set(output.entryPoint, {
			index: coreFiles.indexOf(output.entryPoint),
			names: output.exports,
		});
if (coreIndex.size !== coreFiles.length) throw new Error('library core: a module has no export list');
const core = await build({
	...shared,
	stdin: {
		// require() of a bundled ES module becomes a call of its init function: each module starts on first use.
		contents: [
			'const modules = [',
			...coreFiles.map((file) => `\t() => require(${JSON.stringify(path.resolve(file))}),`),
			'];',
			'const started = [];',
			'exports.coreModule = (index) => (started[index] ??= modules[index]());',
		].join('\n'),
		resolveDir: '.',
		sourcefile: 'library-core-entry.js',
		loader: 'js',
	},
	outfile: `${out}/library/core.cjs`,
	format: 'cjs',
	supported: {'dynamic-import': false},
	metafile: true,
	plugins: [esmOnlyExternals(['conf']), ...libraryPlugins],
	banner: {js: CJS_BANNER},
	footer: {js: `})${CJS_MODULE_CALL}`},
	define: {'import.meta.url': '__tuiImportMeta.url'},
});
const screenImports = Object.values(core.metafile.inputs).flatMap(({imports}) =>
	imports.filter((i) => i.external && SCREEN_PACKAGES.test(i.path)).map((i) => i.path),
);
if (screenImports.length > 0) throw new Error(`library core imports screen packages: ${screenImports.join(', ')}`);
const coreBytes = await readFile(`${out}/library/core.cjs`);
const LIBRARY_CORE_LOADER = fileURLToPath(new URL('./library-core.mjs', import.meta.url));
const coreFacades = {
	name: 'core-facades',
	setup(build) {
		build.onResolve({filter: /.*/}, async (args) => {
			if (args.pluginData === 'real' || !(args.kind === 'entry-point' || /^[./]/.test(args.path))) return undefined;
			const {path: resolved} = await build.resolve(args.path, {
				kind: args.kind,
				importer: args.importer,
				resolveDir: args.resolveDir,
				pluginData: 'real',
			});
			// Relative, so no folder of the build machine is written into dist/.
			const file = path.relative('.', resolved);
			return coreIndex.has(file) ? {path: file, namespace: 'tui-core-facade'} : undefined;
		});
		build.onLoad({filter: /.*/, namespace: 'tui-core-facade'}, (args) => {
			const {index, names} = coreIndex.get(args.path);
			const named = names.filter((name) => name !== 'default');
			const lines = [
				`import {coreModule} from ${JSON.stringify(LIBRARY_CORE_LOADER)};`,
				`const core = coreModule(${index});`,
				named.length > 0 ? `export const {${named.join(', ')}} = core;` : '',
				names.includes('default') ? 'export default core.default;' : '',
			];
			return {contents: lines.join('\n'), loader: 'js', resolveDir: path.dirname(path.resolve(args.path))};
		});
	},
};
const library = await build({
	...shared,
	entryPoints: LIBRARY_ENTRIES,
	outdir: out,
	splitting: true,
	chunkNames: 'library/[name]-[hash]',
	metafile: true,
	plugins: [coreFacades, ...libraryPlugins],
	banner: ESM_REQUIRE_BANNER,
	define: {
		LIBRARY_CORE: JSON.stringify({name: 'library-core', ...cjsIdentity(coreBytes), moduleCall: CJS_MODULE_CALL}),
	},
});
// The loader finds core.cjs beside itself.
const loaderOutputs = Object.entries(library.metafile.outputs)
	.filter(([, output]) => Object.keys(output.inputs).some((input) => path.resolve(input) === LIBRARY_CORE_LOADER))
	.map(([file]) => file);
if (loaderOutputs.length !== 1 || path.dirname(loaderOutputs[0]) !== `${out}/library`)
	throw new Error(`library core loader landed in ${loaderOutputs.join(', ')}, not beside core.cjs`);

if (process.env.TUI_BUILD_TYPES === '1') {
	const {execFileSync} = await import('node:child_process');
	execFileSync(
		process.execPath,
		['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', `${out}/types`],
		{stdio: 'inherit'},
	);
}
const old = `dist.old-${process.pid}`;
await rename('dist', old).catch(() => {});
await rename(out, 'dist');
await rm(old, {recursive: true, force: true});
console.error(`built dist/ in ${Date.now() - started} ms`);
