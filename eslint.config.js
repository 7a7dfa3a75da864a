// The lint gate (`npm run lint`, run first by `npm test`): types through tsc, typescript-eslint, the React hooks
// rules, a complexity limit of 20, files of at most 400 lines, and the one direction of imports that
// docs/architecture.md describes. There are no per-file exceptions: a rule changes only with its reason in
// docs/architecture.md.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const layer = (folder) => [`**/${folder}/**`, `**/${folder}.js`];
const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'http', 'https', 'net', 'child_process', 'os', 'path', 'process'];

/** Each folder may import only what sits below it. */
const BOUNDARIES = {
	'source/core/**': {
		patterns: [
			...nodeBuiltins,
			'ink',
			'ink-*',
			'react',
			...['app', 'store', 'oauth', 'providers', 'commands', 'ui', 'sandbox'].flatMap(layer),
		],
		why: 'core is pure: no Node, no UI, nothing of ours above it',
	},
	'source/app/**': {
		patterns: ['ink', 'ink-*', 'react', ...layer('commands'), ...layer('ui'), ...layer('sandbox')],
		why: 'use cases sit below the commands and the screens, and render nothing',
	},
	'source/{store,oauth,providers}/**': {
		patterns: ['ink', 'ink-*', 'react', ...layer('app'), ...layer('commands'), ...layer('ui')],
		why: 'the layers below the use cases render nothing and never reach up',
	},
	'source/ui/**': {
		patterns: [
			'node:fs',
			'node:fs/*',
			'fs',
			...layer('app'),
			...layer('commands'),
			...layer('store'),
			...layer('sandbox'),
		],
		why: 'screens render; their data comes through Services',
	},
	'source/{library,index,credentials}.ts': {
		patterns: layer('commands'),
		why: 'the library face never imports commands',
	},
};

export default tseslint.config(
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'coverage/**',
			'.tmp/**',
			'.demo-home/**',
			'bench/**',
			'scripts/**',
			'screenshots/**',
			'test/**',
		],
	},
	{
		files: ['source/**/*.{ts,tsx}'],
		extends: [tseslint.configs.recommended],
		plugins: {'react-hooks': reactHooks},
		rules: {
			'react-hooks/rules-of-hooks': 'error',
			'react-hooks/exhaustive-deps': 'error',
			complexity: ['error', 20],
			'max-lines': ['error', {max: 400, skipBlankLines: true, skipComments: true}],
			'@typescript-eslint/no-explicit-any': 'off',
			// A screen's `let screen` is read by a callback made before the render assigns it.
			'prefer-const': ['error', {ignoreReadBeforeAssign: true}],
			'@typescript-eslint/no-unused-vars': [
				'error',
				{argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none'},
			],
		},
	},
	...Object.entries(BOUNDARIES).map(([files, {patterns, why}]) => ({
		files: [files],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{patterns: [{group: patterns, message: why, allowTypeImports: true}]},
			],
		},
	})),
);
