// `tui auth import FILE`: decrypts and checks the whole export before writing anything, then merges it in.
// Label clashes are renamed ("work" → "work-2") and reported; clashing ids get new ids.
import {randomBytes} from 'node:crypto';
import {describeImport, importAccounts} from '../store/export-import.js';
import type {CommandContext} from '../app/context.js';
import {parseFd, readPassphrase} from './passphrase.js';

export type ImportOptions = {readonly passphraseFd?: string};

export async function run(ctx: CommandContext, file: string, options: ImportOptions = {}): Promise<number> {
	const fd = parseFd(options.passphraseFd);
	const passphrase = await readPassphrase(ctx, {fd, command: `tui auth import ${file}`});
	const report = await importAccounts(ctx.home, file, passphrase, {
		newId: () => `acc_${randomBytes(9).toString('base64url')}`,
	});
	const lines = describeImport(report);
	if (lines.length === 0)
		ctx.stdout.write(`Nothing new to import from ${file}: all ${report.skipped.length} account(s) are already here\n`);
	else
		ctx.stdout.write(`Imported ${lines.length} account(s) from ${file}:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
	if (lines.length > 0 && report.skipped.length > 0)
		ctx.stdout.write(`Skipped ${report.skipped.length} already present\n`);
	return 0;
}
