import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/e2e/**/*.test.{ts,tsx}'],
		testTimeout: 120_000,
		hookTimeout: 60_000,
		pool: 'forks',
		fileParallelism: false,
		setupFiles: ['test/helpers/setup.ts'],
	},
});
