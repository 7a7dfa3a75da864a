// Runs the sandbox as its own process: prints its env as one JSON line on stdout, then serves
// until SIGTERM or SIGINT. Usage: node --import tsx source/sandbox/main.ts [--port N]
// [--access-token-ttl SECONDS] [--plan PLAN] [--state-dir DIR]
import {startSandbox, type SandboxOptions} from './server.js';

function parseArgs(argv: readonly string[]): SandboxOptions {
	const options: {port?: number; accessTokenTtl?: number; planType?: string; stateDir?: string} = {};
	for (let index = 0; index < argv.length; index += 2) {
		const [flag, value] = [argv[index], argv[index + 1]];
		if (value === undefined) throw new Error(`${flag} needs a value`);
		if (flag === '--port') options.port = Number.parseInt(value, 10);
		else if (flag === '--access-token-ttl') options.accessTokenTtl = Number.parseInt(value, 10);
		else if (flag === '--plan') options.planType = value;
		else if (flag === '--state-dir') options.stateDir = value;
		else throw new Error(`unknown option ${flag}`);
	}
	return options;
}

try {
	const sandbox = await startSandbox(parseArgs(process.argv.slice(2)));
	process.stdout.write(`${JSON.stringify(sandbox.env)}\n`);
	const stop = () => {
		void sandbox.close().then(() => process.exit(0));
	};
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
} catch (error) {
	process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(2);
}
