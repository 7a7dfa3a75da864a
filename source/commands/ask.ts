// One y/n question at the terminal; Ctrl+C (the abort signal) or the end of input count as "no".
import type {CommandContext} from '../app/context.js';

export async function askYesNo(
	ctx: CommandContext,
	question: string,
	options: {readonly defaultYes?: boolean} = {},
): Promise<boolean> {
	const {createInterface} = await import('node:readline/promises');
	const rl = createInterface({input: ctx.stdin, output: ctx.stderr, terminal: false});
	try {
		const answer = (await rl.question(question, {signal: ctx.signal})).trim();
		if (answer === '') return options.defaultYes === true;
		return /^y(es)?$/i.test(answer);
	} catch {
		return false;
	} finally {
		rl.close();
	}
}
