#!/usr/bin/env node
// The `tui` launcher: scripts/build.mjs bundles it with scripts/code-cache.cjs and source/cli/script-commands.ts into
// dist/cli.cjs and fills in BUNDLES. A plain form of a command scripts call often runs from dist/tui-script.cjs
// (no commander); their other forms, and help, from dist/tui-fast.cjs; the wizard and the bare `tui` home
// screen from dist/tui-wizard.cjs: each one CommonJS script of source/cli.tsx with only its commands' modules, run
// through a V8 code cache, so a warm start skips parsing and compiling it. Every other command runs from dist/tui.js
// and its ESM chunks. The launcher itself is CommonJS, so a bundled command never starts Node's ESM loader (nor the
// ESM face of node:fs, which loads every stream class). Node >= 22.1 has its own compile cache (used for all); on
// Node 20 a bundle's cache is a vm.Script `cachedData` blob (scripts/code-cache.cjs).
'use strict';
const nodeModule = require('node:module');
const {join} = require('node:path');
// Both bundled in by scripts/build.mjs, so the launcher stays one file.
const {cacheFolder, ensureFolder, compileWithCache} = require('./code-cache.cjs');
const {plainScriptCall} = require('../source/cli/script-commands.ts');

/** @type {Record<string, {id: string; encoding: 'latin1' | 'utf8'; commands?: string[][]}>} version+hash id of each
 * CommonJS bundle, its encoding, the commands it holds (tui-script: those of script-commands.ts, told apart above) */
const BUNDLES = '__TUI_BUNDLES__';
/** What follows a bundle's function in its file: the call that runs it when require()d as a module. */
const MODULE_CALL = '__TUI_MODULE_CALL__';
// Emitted on process by source/ui/render.tsx once a screen's first frame is out.
const FIRST_FRAME = 'tui:first-frame';

/**
 * The fast bundle when argv names one of its commands, or asks only for help (`tui --help`, `tui auth -h`,
 * `tui help auth login`): it registers every command, so help is the same. The wizard bundle for `tui onboard`
 * and a bare `tui` (the home screen, or the wizard on a fresh machine). Anything unusual goes to the full CLI.
 */
function bundleFor(argv) {
	// A plain form of a script command never needs commander: its own script holds none, and its code cache holds
	// only what such a run compiles (help and usage errors keep theirs in tui-fast's).
	if (plainScriptCall(argv)) return 'tui-script';
	const args = argv.slice(2);
	// The sandbox (a global option, allowed after the command too) is in neither bundle.
	if (args.includes('--sandbox')) return 'tui';
	const words = [];
	for (let i = 0; i < args.length; i++) {
		const arg = args[i];
		if (arg === '--home' && words.length === 0) i++;
		else if (arg.startsWith('--home=') && words.length === 0) continue;
		else if ((arg === '--help' || arg === '-h') && i === args.length - 1) return 'tui-fast';
		else if (arg.startsWith('-')) return words.length > 0 ? named(words, words.length >= 2) : 'tui';
		else words.push(arg);
	}
	return words[0] === 'help' && words.length <= 3 ? 'tui-fast' : named(words, true);
}

function named(words, fastToo) {
	const fast = BUNDLES['tui-fast'].commands.some((command) => command.every((word, i) => words[i] === word));
	if (fastToo && fast) return 'tui-fast';
	const wizard = BUNDLES['tui-wizard'].commands.some((command) => command.join(' ') === words.join(' '));
	return wizard ? 'tui-wizard' : 'tui';
}

/**
 * Runs dist/<name>.cjs from a code cache, and writes one when there was none (or V8 rejected it): after the first
 * frame a screen draws (source/ui/render.tsx emits FIRST_FRAME), else at exit. A screen is killed more often than it exits.
 */
function runWithV8Cache(name, folder) {
	const {id, encoding} = BUNDLES[name];
	const file = join(__dirname, `${name}.cjs`);
	compileWithCache({file, name, id, encoding, moduleCall: MODULE_CALL, folder, savePoint: FIRST_FRAME}).run();
}

const folder = cacheFolder(process.env);
const compileCache = typeof nodeModule.enableCompileCache === 'function';
if (compileCache && folder && ensureFolder(folder)) {
	try {
		nodeModule.enableCompileCache(join(folder, 'node-compile-cache'));
	} catch {}
}
const name = bundleFor(process.argv);
// The wizard and screens: V8's smaller heap growth keeps peak RSS ~10 MB lower after many keystrokes
// (a flag V8 reads as it goes, so setting it here takes effect); measured in bench/, not asserted in tests.
if (name !== 'tui-fast' && name !== 'tui-script') require('node:v8').setFlagsFromString('--optimize-for-size');
if (name === 'tui') {
	import('./tui.js').catch((error) => {
		process.exitCode = 1;
		console.error(error);
	});
} else if (compileCache) require(join(__dirname, `${name}.cjs`));
else runWithV8Cache(name, folder);
