import {tmpdir} from 'node:os';
import path from 'node:path';

// React's act() needs this flag, or it warns and does not flush updates before the assertion.
(globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = true;

// The CLI keeps a code cache under $XDG_CACHE_HOME/tui (else ~/.cache/tui). Tests that give the CLI a temp HOME
// check what it wrote there, so every spawned CLI shares one cache folder of the test run's instead.
process.env.XDG_CACHE_HOME = path.join(tmpdir(), `tui-test-code-cache-${process.getuid?.() ?? 'user'}`);
