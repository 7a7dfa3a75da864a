// argv → command. A plain form of a script command (cli/script-commands.ts) runs at once; anything else goes through
// the commander program (cli/program.ts). cli/run-command.ts wires the real dependencies.
import {runCommand, runMain} from './cli/run-command.js';
import {plainScriptCall} from './cli/script-commands.js';
import {scriptRun} from './cli/script-runs.js';

void runMain(process.argv, async (argv) => {
	const call = plainScriptCall(argv);
	if (!call) return (await import('./cli/program.js')).parseWithCommander(argv);
	const {command, globals, args} = call;
	await runCommand(globals, command, scriptRun(command), args, command.words.at(-1));
});
