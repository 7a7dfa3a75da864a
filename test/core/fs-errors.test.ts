// Raw EROFS / ENOSPC / EPERM / EACCES texts become one line with the path and the fix.
import fs from 'node:fs';
import {expect, it} from 'vitest';
import {describeFsError} from '../../source/core/fs-errors.js';
import {runCli} from '../helpers/run-cli.js';

const thrown = (fn: () => unknown): unknown => {
	try {
		fn();
	} catch (error) {
		return error;
	}
	throw new Error('expected a throw');
};

it('a real ENOSPC (/dev/full) and a real EACCES (/sys) read as one line with the fix', () => {
	const full = describeFsError(thrown(() => fs.writeFileSync('/dev/full', 'x')));
	expect(full).toBe(
		'cannot write a file in the home folder: no space left on its device; free some space and try again',
	);
	const denied = describeFsError(thrown(() => fs.writeFileSync('/sys/tui-test-file', 'x')));
	expect(denied).toBe(
		'cannot use /sys/tui-test-file: permission denied; check its owner and mode (ls -ld), or choose another home with --home DIR',
	);
});

it('EROFS names the path and a writable home; unknown codes are left alone', () => {
	const erofs = Object.assign(new Error("EROFS: read-only file system, open '/ro/home/config.json'"), {
		code: 'EROFS',
		path: '/ro/home/config.json',
	});
	expect(describeFsError(erofs)).toBe(
		'cannot write /ro/home/config.json: the file system is read-only; choose a writable home with --home DIR or TUI_HOME',
	);
	expect(describeFsError(Object.assign(new Error('x'), {code: 'ENOENT'}))).toBeUndefined();
	expect(describeFsError('text')).toBeUndefined();
});

it('the CLI prints the one-line form, not the raw text', async () => {
	const result = await runCli(['--home', '/sys/tui-test-home', 'auth', 'fallback', '--off']);
	expect(result.code).toBe(1);
	expect(result.stderr).toBe(
		'tui: cannot use /sys/tui-test-home: permission denied; check its owner and mode (ls -ld), or choose another home with --home DIR\n',
	);
	expect(result.stderr).not.toContain('EACCES');
});
