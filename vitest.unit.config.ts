// The fast tier (`npm run test:unit`): pure core, the screens through ink-testing-library, and the store in
// this process. No child process, no pseudo-terminal, no browser; the full `npm test` runs everything.
import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/core/**/*.test.ts', 'test/ui/**/*.test.{ts,tsx}', 'test/store/**/*.test.ts'],
		exclude: [
			// These start real processes (the CLI, a second writer, `claude`, a Secret Service).
			'test/ui/onboard-cli.test.ts',
			'test/ui/claude-code.test.tsx',
			'test/store/processes.test.ts',
			'test/store/lock.test.ts',
			'test/store/keyring.test.ts',
			'test/store/sessions.test.ts',
			'test/store/export-import.test.ts',
			'test/store/usage-ledger.test.ts',
			'test/store/preferences.test.ts',
			'node_modules/**',
		],
		testTimeout: 30_000,
		pool: 'forks',
		setupFiles: ['test/helpers/setup.ts'],
	},
});
