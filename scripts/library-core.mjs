// The library's core, dist/library/core.cjs (every module the screens do not need), run through the V8 code cache
// (scripts/code-cache.cjs). Node 20 caches no ES module, so without it a host's first resolveCredential() compiles
// each function it calls. The blob is written once the first credential has been resolved (library.ts emits
// CREDENTIAL_RESOLVED), else at exit. TUI_NO_CODE_CACHE=1 turns it off. scripts/build.mjs fills in LIBRARY_CORE.
import {fileURLToPath} from 'node:url';
import codeCache from './code-cache.cjs';

const CREDENTIAL_RESOLVED = 'tui:credential-resolved';

const {run} = codeCache.compileWithCache({
	...LIBRARY_CORE,
	file: fileURLToPath(new URL('core.cjs', import.meta.url)),
	folder: codeCache.cacheFolder(process.env),
	savePoint: CREDENTIAL_RESOLVED,
});

/** The exports of the core module numbered `index` (scripts/build.mjs numbers them), initialised on first use. */
export const {coreModule} = run();
