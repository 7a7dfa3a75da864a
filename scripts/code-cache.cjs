// The V8 code cache on Node 20, in one place for its two users: the `tui` launcher (scripts/launcher.cjs, the CLI's
// CommonJS bundles) and the library's core (scripts/library-core.mjs, dist/library/core.cjs). Each runs a file of the
// form `(function (exports, require, module, __filename, __dirname) {…})` and a module call, from a vm.Script
// `cachedData` blob in the user's cache folder. The blob is written after the code ran, so it holds the functions
// that ran compiled, not only the top level.
// The cache is only an optimisation: failing to read or write it (read-only or shared folder, another version's
// blob, a race between processes) falls back to a plain compile, silently.
'use strict';
const {mkdirSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync} = require('node:fs');
const nodeModule = require('node:module');
const {homedir} = require('node:os');
const {dirname, join} = require('node:path');
const vm = require('node:vm');

/** $XDG_CACHE_HOME/tui, else ~/.cache/tui; none when TUI_NO_CODE_CACHE=1. */
function cacheFolder(env) {
	if (env.TUI_NO_CODE_CACHE === '1') return undefined;
	const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
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

/**
 * Compiles the function of `file` (its text up to `moduleCall`) from the blob `v8-<name>-<id>-…bin` in `folder`.
 * `run()` calls it as a module and returns its exports. When there was no usable blob, one is written once the code
 * has run: just after `process` emits `savePoint` (the moment the code worth caching has run), else at exit; the
 * name's blobs of other builds are removed then.
 */
function compileWithCache({file, name, id, encoding, moduleCall, folder, savePoint}) {
	// The id covers the package version and the file's bytes; V8 itself rejects another V8's or flags' data.
	const prefix = `v8-${name}-`;
	const cacheName = `${prefix}${id}-${process.version}-${process.arch}.bin`;
	const cacheFile = folder && join(folder, cacheName);
	let cachedData;
	try {
		if (cacheFile) cachedData = readFileSync(cacheFile);
	} catch {}
	const source = readFileSync(file, encoding);
	// Compiled is the function alone, a slice of the text, which V8 reads in place (wrapping the text made a second copy).
	const script = new vm.Script(source.slice(0, source.lastIndexOf(moduleCall)), {filename: file, cachedData});
	if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
		let saved = false;
		const save = () => {
			if (saved) return;
			saved = true;
			if (!ensureFolder(folder) || !writeAtomically(cacheFile, script.createCachedData())) return;
			try {
				for (const other of readdirSync(folder))
					if (other.startsWith(prefix) && other !== cacheName) unlinkSync(join(folder, other));
			} catch {}
		};
		process.once('exit', save);
		process.once(savePoint, () => setImmediate(save).unref());
	}
	const run = () => {
		const cjsModule = {exports: {}};
		script.runInThisContext()(cjsModule.exports, nodeModule.createRequire(file), cjsModule, file, dirname(file));
		return cjsModule.exports;
	};
	return {run};
}

module.exports = {cacheFolder, ensureFolder, compileWithCache};
