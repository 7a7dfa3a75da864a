#!/usr/bin/env node
// The `tui` launcher: scripts/build.mjs copies it to dist/cli.cjs and fills in the fast bundle. The commands
// scripts call often, and help, run from dist/tui-fast.cjs, one small CommonJS script of source/cli.tsx with only
// their modules, through a V8 code cache, so a warm start skips parsing and compiling it; every other command runs
// from dist/tui.js and its ESM chunks. The launcher itself is CommonJS, so a fast command never starts Node's ESM
// loader (nor the ESM face of node:fs, which loads every stream class). Node >= 22.1 has its own compile cache
// (used for both); on Node 20 the fast bundle's cache is a vm.Script `cachedData` blob.
// The cache is only an optimisation: failing to read or write it (read-only or shared folder, another
// version's blob, a race between processes) falls back to a plain compile, silently.
'use strict';
const {mkdirSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync} = require('node:fs');
const nodeModule = require('node:module');
const {homedir} = require('node:os');
const {dirname, join} = require('node:path');
const vm = require('node:vm');

/** @type {{id: string; encoding: 'latin1' | 'utf8'}} version+hash id of dist/tui-fast.cjs, its encoding */
const FAST_BUNDLE = '__TUI_FAST_BUNDLE__';
/** @type {string[][]} */
const FAST_COMMANDS = '__TUI_FAST_COMMANDS__';

/**
 * The fast bundle when argv names one of its commands, or asks only for help (`tui --help`, `tui auth -h`,
 * `tui help auth login`): it registers every command, so help is the same. Anything unusual goes to the full CLI.
 */
function bundleFor(argv) {
	const words = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--home' && words.length === 0) i++;
		else if (arg.startsWith('--home=') && words.length === 0) continue;
		else if ((arg === '--help' || arg === '-h') && i === argv.length - 1) return 'tui-fast';
		else if (arg.startsWith('-')) return words.length >= 2 && isFast(words) ? 'tui-fast' : 'tui';
		else words.push(arg);
	}
	return isFast(words) || (words[0] === 'help' && words.length <= 3) ? 'tui-fast' : 'tui';
}

function isFast(words) {
	return FAST_COMMANDS.some((command) => command.every((word, i) => words[i] === word));
}

function cacheFolder() {
	if (process.env.TUI_NO_CODE_CACHE === '1') return undefined;
	const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	return join(base, 'tui');
}

/** Creates the cache folder and, if need be, its parent (~/.cache), never more: a missing home stays missing. */
function ensureFolder(folder) {
	for (const dir of [dirname(folder), folder]) {
		try {
			mkdirSync(dir, {mode: 0o700});
		} catch (error) {
			if (error?.code !== 'EEXIST') return false;
		}
	}
	return true;
}

function writeAtomically(file, data) {
	const temporary = `${file}.${process.pid}.tmp`;
	try {
		writeFileSync(temporary, data, {mode: 0o600});
		renameSync(temporary, file);
		return true;
	} catch {
		try {
			unlinkSync(temporary);
		} catch {}
		return false;
	}
}

function runWithV8Cache(bundle, folder) {
	const {id, encoding} = FAST_BUNDLE;
	// The id covers the package version and the bundle's bytes; V8 itself rejects another V8's or flags' data.
	const prefix = 'v8-tui-fast-';
	const cacheName = `${prefix}${id}-${process.version}-${process.arch}.bin`;
	const cacheFile = folder && join(folder, cacheName);
	let cachedData;
	try {
		if (cacheFile) cachedData = readFileSync(cacheFile);
	} catch {}
	const source = readFileSync(bundle, encoding);
	// One line, so the bundle's line numbers in stack traces stay true.
	const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
	const script = new vm.Script(wrapper, {filename: bundle, cachedData});
	if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
		// Written at exit, so the blob also holds the functions this command compiled, not only the top level.
		process.once('exit', () => {
			if (!ensureFolder(folder) || !writeAtomically(cacheFile, script.createCachedData())) return;
			try {
				for (const other of readdirSync(folder))
					if (other.startsWith(prefix) && other !== cacheName) unlinkSync(join(folder, other));
			} catch {}
		});
	}
	const cjsModule = {exports: {}};
	script.runInThisContext()(cjsModule.exports, nodeModule.createRequire(bundle), cjsModule, bundle, dirname(bundle));
}

const folder = cacheFolder();
const compileCache = typeof nodeModule.enableCompileCache === 'function';
if (compileCache && folder && ensureFolder(folder)) {
	try {
		nodeModule.enableCompileCache(join(folder, 'node-compile-cache'));
	} catch {}
}
if (bundleFor(process.argv.slice(2)) === 'tui-fast') {
	const bundle = join(__dirname, 'tui-fast.cjs');
	if (compileCache) require(bundle);
	else runWithV8Cache(bundle, folder);
} else {
	// The wizard and screens: V8's smaller heap growth keeps peak RSS ~10 MB lower after many keystrokes
	// (a flag V8 reads as it goes, so setting it here takes effect); measured in bench/, not asserted in tests.
	require('node:v8').setFlagsFromString('--optimize-for-size');
	import('./tui.js').catch((error) => {
		process.exitCode = 1;
		console.error(error);
	});
}
