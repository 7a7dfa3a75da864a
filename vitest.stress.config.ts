import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/stress/**/*.test.{ts,tsx}'],
		testTimeout: 600_000,
		hookTimeout: 60_000,
		pool: 'forks',
		fileParallelism: false,
		setupFiles: ['test/helpers/setup.ts'],
	},
});
