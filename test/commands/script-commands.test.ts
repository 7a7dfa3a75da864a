// The plain forms of the script commands run without commander's program: which argv counts as plain, and that
// the built CLI answers a plain form exactly as commander does (the same argv ending in `--` goes through commander).
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {plainScriptCall, SCRIPT_COMMANDS} from '../../source/cli/script-commands.js';
import {addAccount} from '../../source/core/accounts.js';
import {updateAuthFile} from '../../source/store/auth-file.js';
import {runCli} from '../helpers/run-cli.js';
import {tempHome} from '../helpers/temp-home.js';

const argv = (...words: string[]) => ['node', 'tui', ...words];
const call = (...words: string[]) => {
	const found = plainScriptCall(argv(...words));
	return found && {words: found.command.words.join(' '), home: found.globals.home, args: found.args};
};

describe('plainScriptCall', () => {
	it('reads the plain forms as commander hands them to the action', () => {
		expect(call('auth', 'status')).toEqual({words: 'auth status', home: undefined, args: [{}]});
		expect(call('--home', '/h', 'auth', 'status', '--json')).toEqual({
			words: 'auth status',
			home: '/h',
			args: [{json: true}],
		});
		// --home is a program option: commander takes it anywhere.
		expect(call('auth', '--home=/h', 'status')).toMatchObject({home: '/h', args: [{}]});
		expect(call('auth', 'token')).toEqual({words: 'auth token', home: undefined, args: [undefined, {}]});
		expect(call('auth', 'token', 'claude')).toMatchObject({args: ['claude', {}]});
		expect(call('auth', 'env')).toMatchObject({args: [{shell: 'sh'}]});
		expect(call('auth', 'env', '--shell=fish', '--provider', 'claude')).toMatchObject({
			args: [{shell: 'fish', provider: 'claude'}],
		});
		expect(call('statusline', 'claude', '--debug')).toMatchObject({args: ['claude', {debug: true}]});
	});

	it('leaves every other form to commander', () => {
		for (const words of [
			[],
			['auth'],
			['auth', 'login'],
			['quota', '--json'],
			['auth', 'status', '--help'],
			['auth', 'status', '-h'],
			['auth', 'status', '--jsn'],
			['auth', 'status', '--json', '--json'],
			['auth', 'status', '--json=yes'],
			['auth', 'status', 'extra'],
			['auth', 'status', '--json', '--'],
			['--json', 'auth', 'status'],
			['--sandbox', 'auth', 'status'],
			['auth', 'status', '--home'],
			['auth', 'status', '--home', '--json'],
			['--home', '/a', '--home', '/b', 'auth', 'status'],
			['auth', 'token', 'openai', 'claude'],
			['auth', 'env', '--shell'],
			['auth', 'env', '--shell', '-x'],
			['auth', 'env', '--shell='],
			['statusline'],
			['statusline', 'claude', '--install', '--install'],
		])
			expect(plainScriptCall(argv(...words)), words.join(' ')).toBeUndefined();
	});

	it('knows each option of each script command', () => {
		for (const command of SCRIPT_COMMANDS)
			for (const option of command.options) {
				const [flag] = option.flags.split(' ');
				const words = [...command.words, ...(command.argument?.required ? ['claude'] : [])];
				const value = option.flags.includes('<') ? ['v'] : [];
				expect(plainScriptCall(argv(...words, flag!, ...value)), option.flags).toBeDefined();
			}
	});
});

describe('a plain form and the same argv through commander', () => {
	const key = 'sk-script-commands-canary-0001';
	const runBoth = async (words: string[], env: Record<string, string> = {}) => {
		const plain = await runCli(words, {env});
		const commander = await runCli([...words, '--'], {env});
		return {plain, commander};
	};

	it('print the same, to the byte, and exit the same', async () => {
		const home = await tempHome('tui-script-commands-');
		await updateAuthFile(home, 'openai', (file) => {
			const added = addAccount(file, {kind: 'api-key', label: 'work', key}, {now: Date.now(), newId: () => 'acc_sc_1'});
			return {file: added.file, result: undefined};
		});
		// A damaged file set aside: every command but auth status names it on stderr.
		await writeFile(path.join(home, 'auth', 'claude.json.corrupt-2026-12-01T00-00-00Z'), '{');
		for (const words of [
			['auth', 'status'],
			['auth', 'status', '--json'],
			['auth', 'token'],
			['auth', 'token', 'claude'],
			['auth', 'env', '--shell', 'json'],
			['auth', 'env', '--provider', 'claude'],
			['auth', 'env', '--shell', 'csh'],
		]) {
			const {plain, commander} = await runBoth(['--home', home, ...words]);
			expect(plain, words.join(' ')).toEqual(commander);
		}
		const {plain} = await runBoth(['--home', home, 'auth', 'token']);
		expect(plain).toMatchObject({code: 0, stdout: `${key}\n`});
		expect(plain.stderr).toMatch(/^tui: warning: .*claude\.json\.corrupt-.* is a damaged file tui set aside/);
		expect((await runCli(['--home', home, 'auth', 'status'])).stderr).not.toContain('damaged file');
	});

	it('statusline: the same line from the same document on stdin', async () => {
		const home = await tempHome('tui-script-commands-');
		const input = JSON.stringify({model: {display_name: 'Opus'}});
		const plain = await runCli(['--home', home, 'statusline', 'claude'], {input});
		const commander = await runCli(['--home', home, 'statusline', 'claude', '--'], {input});
		expect(plain).toEqual(commander);
		expect(plain.code).toBe(0);
		expect(plain.stdout).not.toBe('');
	});
});
