// `--sandbox`: where its home is and which sandbox serves it. A named home (--home, TUI_HOME; `npm run demo`
// uses .demo-home/) shares one background sandbox that keeps its state there; without one, a throwaway home
// with an in-process sandbox, both gone on exit.
import type {Env} from '../app/context.js';
import {SANDBOX_API_KEY_PREFIX} from '../sandbox/constants.js';

export type SandboxSetup = {
	readonly home: string;
	readonly env: Env;
	/** False for a throwaway home. */
	readonly named: boolean;
	readonly cleanup: () => Promise<void>;
	/** API keys this sandbox accepts start with it. */
	readonly keyPrefix: string;
};

export async function setUpSandbox(
	home: string | undefined,
	options: {readonly fresh?: boolean; readonly serveCommand: readonly string[]},
): Promise<SandboxSetup> {
	if (home) {
		const {connectSharedSandbox, stopSharedSandbox} = await import('../sandbox/shared.js');
		if (options.fresh) {
			await stopSharedSandbox(home);
			await (await import('../store/reset.js')).resetHome(home);
		}
		const shared = await connectSharedSandbox(home, options.serveCommand);
		return {
			home,
			env: {...process.env, ...shared.env},
			named: true,
			cleanup: async () => shared.release(),
			keyPrefix: SANDBOX_API_KEY_PREFIX,
		};
	}
	const [{mkdtemp, rm}, {tmpdir}, {join}, {startSandbox}] = await Promise.all([
		import('node:fs/promises'),
		import('node:os'),
		import('node:path'),
		import('../sandbox/server.js'),
	]);
	const throwaway = await mkdtemp(join(tmpdir(), 'tui-sandbox-'));
	// Lazy: the providers build on the first request, so the first frame does not wait for RSA key generation.
	// Memory only: nothing outlives this home.
	const sandbox = await startSandbox({lazy: true});
	return {
		home: throwaway,
		env: {...process.env, ...sandbox.env},
		named: false,
		keyPrefix: SANDBOX_API_KEY_PREFIX,
		cleanup: async () => {
			await sandbox.close();
			await rm(throwaway, {recursive: true, force: true});
		},
	};
}
