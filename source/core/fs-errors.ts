// Node's file-system errors ("EROFS: read-only file system, open '/x/.config.json.tmp-…'") as one line that
// says what is wrong, where, and what to do. Reads only the error's own fields.

/** The one-line form of a file-system error we know a fix for; undefined for anything else. */
export function describeFsError(error: unknown): string | undefined {
	const {code, path, dest} = (error ?? {}) as {code?: unknown; path?: unknown; dest?: unknown};
	if (typeof code !== 'string') return undefined;
	const where = typeof path === 'string' ? path : typeof dest === 'string' ? dest : 'a file in the home folder';
	switch (code) {
		case 'EROFS':
			return `cannot write ${where}: the file system is read-only; choose a writable home with --home DIR or TUI_HOME`;
		case 'ENOSPC':
			return `cannot write ${where}: no space left on its device; free some space and try again`;
		case 'EDQUOT':
			return `cannot write ${where}: your disk quota is used up; free some space and try again`;
		case 'EPERM':
		case 'EACCES':
			return `cannot use ${where}: permission denied; check its owner and mode (ls -ld), or choose another home with --home DIR`;
		default:
			return undefined;
	}
}
