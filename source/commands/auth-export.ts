// `tui auth export FILE`: every account of both providers, encrypted with a passphrase
// (scrypt + AES-256-GCM, store/export-import.ts), written 0600 and atomically; never overwrites without --force.
import {PROVIDER_IDS, PROVIDER_NAMES} from '../core/schemas.js';
import {checkExportTarget, exportAccounts} from '../store/export-import.js';
import type {CommandContext} from '../app/context.js';
import {parseFd, readPassphrase} from './passphrase.js';

export type ExportOptions = {readonly force?: boolean; readonly passphraseFd?: string};

export async function run(ctx: CommandContext, file: string, options: ExportOptions = {}): Promise<number> {
	const fd = parseFd(options.passphraseFd);
	// Refuse a bad target before asking for a passphrase.
	await checkExportTarget(file, Boolean(options.force));
	const passphrase = await readPassphrase(ctx, {fd, confirm: true, command: `tui auth export ${file}`});
	const {counts} = await exportAccounts(ctx.home, file, passphrase, {force: Boolean(options.force), now: ctx.now()});
	const parts = PROVIDER_IDS.filter((p) => counts[p] > 0).map((p) => `${counts[p]} ${PROVIDER_NAMES[p]}`);
	ctx.stdout.write(
		`Exported ${parts.join(' and ')} account(s) to ${file} (encrypted; keep the passphrase apart from the file)\n`,
	);
	return 0;
}
