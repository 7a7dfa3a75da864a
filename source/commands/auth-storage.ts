// `tui auth storage [file|keyring]`: where secrets live. The auth files are the default. The OS keyring goes
// through @napi-rs/keyring; where no keyring answers, `keyring` fails in one line and nothing moves.
// Moving either way is ordered so that a secret is always in at least one place (store/keyring.ts).
import {UsageError} from '../core/errors.js';
import {readPreferences} from '../store/preferences.js';
import type {CommandContext} from '../app/context.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function run(ctx: CommandContext, where?: string): Promise<number> {
	const current = (await readPreferences(ctx.home)).storage;
	if (where === undefined) {
		ctx.stdout.write(
			current === 'file'
				? `Secrets are stored in the auth files under ${ctx.home}/auth (the default)\n`
				: 'Secrets are stored in the OS keyring; the auth files keep everything else\n',
		);
		return 0;
	}
	if (where !== 'file' && where !== 'keyring')
		throw new UsageError(`unknown storage ${JSON.stringify(where)}; valid: file, keyring`);
	const keyring = await import('../store/keyring.js');
	if (where === 'keyring') {
		const moved = await keyring.moveSecretsToKeyring(ctx.home);
		ctx.stdout.write(
			moved.secrets > 0
				? `Moved ${plural(moved.secrets, 'secret')} of ${plural(moved.accounts, 'account')} to the OS keyring; the auth files keep everything else\n`
				: current === 'keyring'
					? 'Secrets already live in the OS keyring; nothing changed\n'
					: 'Secrets will be stored in the OS keyring (there were none to move)\n',
		);
		return 0;
	}
	// Already "file" with no reference left in any auth file: a no-op that never loads the binding.
	if (!(await keyring.keyringInUse(ctx.home))) {
		ctx.stdout.write('Secrets already live in the auth files (the default); nothing changed\n');
		return 0;
	}
	const moved = await keyring.moveSecretsToFile(ctx.home);
	ctx.stdout.write(
		`Moved ${plural(moved.secrets, 'secret')} of ${plural(moved.accounts, 'account')} back into the auth files; removed them from the OS keyring\n`,
	);
	if (moved.missing > 0)
		ctx.stderr.write(
			`tui: ${plural(moved.missing, 'secret')} could not be found in the OS keyring; those accounts need a new login (tui auth status shows which)\n`,
		);
	return 0;
}
