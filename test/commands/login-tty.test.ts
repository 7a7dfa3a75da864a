// `tui auth login --with-api-key` at a real terminal: the key is read without echo.
import fs from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import {tempHome} from '../helpers/temp-home.js';
import {authFilePath} from '../../source/store/auth-file.js';
import {startProviderStub, type ProviderStub} from '../helpers/provider-stub.js';
import {spawnTui} from '../helpers/pty.js';
import {waitForText} from '../helpers/wait.js';

const KEY = 'sk-test-typed-at-a-terminal-0042-ZZZZ';

let stub: ProviderStub;
let home: string;
beforeAll(async () => {
	stub = await startProviderStub({openai: {goodKeys: [KEY]}});
});
afterAll(async () => {
	await stub.close();
});
beforeEach(async () => {
	home = await tempHome('tui-tty-');
});

const env = () => ({
	...stub.env,
	OPENAI_API_KEY: undefined,
	ANTHROPIC_API_KEY: undefined,
	CLAUDE_API_KEY: undefined,
	NO_COLOR: '1',
});

it('reads the key without echoing it, then logs in', async () => {
	const session = spawnTui(['--home', home, 'auth', 'login', '--provider', 'openai', '--with-api-key'], {env: env()});
	try {
		await waitForText(session, 'OpenAI API key (input hidden):');
		// A paste in bracketed-paste markers, a typo fixed with Backspace, then Enter.
		session.write(`\u001B[200~${KEY}x\u001B[201~`);
		session.write('\u007F\r');
		const {exitCode} = await session.exited;
		expect(session.screen()).toContain('Logged in to OpenAI as "api-key" (key …ZZZZ)');
		expect(exitCode).toBe(0);
		expect(session.output()).not.toContain(KEY.slice(0, -4));
		const file = JSON.parse(await fs.readFile(authFilePath(home, 'openai'), 'utf8'));
		expect(file.accounts[0].key).toBe(KEY);
	} finally {
		session.kill();
	}
});

it('Ctrl+C at the prompt cancels with nothing stored', async () => {
	const session = spawnTui(['--home', home, 'auth', 'login', '--provider', 'openai', '--with-api-key'], {env: env()});
	try {
		await waitForText(session, '(input hidden):');
		const before = stub.requests.length;
		session.write('sk-partial\u0003');
		const {exitCode} = await session.exited;
		expect(exitCode).toBe(130);
		expect(session.screen()).toContain('tui: cancelled');
		expect(session.output()).not.toContain('sk-partial');
		expect(stub.requests.length).toBe(before);
		await expect(fs.stat(authFilePath(home, 'openai'))).rejects.toThrow();
	} finally {
		session.kill();
	}
});
