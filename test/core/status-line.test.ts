import {describe, expect, it} from 'vitest';
import {
	installStatusLine,
	parseStatusLineInput,
	SettingsTextError,
	statusLineWindowStale,
	uninstallStatusLine,
	windowStillCounts,
} from '../../source/core/status-line.js';

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);
const CMD = "/usr/bin/node /opt/tui/dist/cli.cjs --home '/home/me/.config/tui' statusline claude";

describe('parseStatusLineInput', () => {
	it('reads five_hour and seven_day (resets_at in Unix seconds) as 5h and weekly windows', () => {
		const input = parseStatusLineInput(
			JSON.stringify({
				version: '2.1.90',
				model: {display_name: 'Opus'},
				rate_limits: {
					five_hour: {used_percentage: 23.5, resets_at: 1738425600},
					seven_day: {used_percentage: 41.2, resets_at: 1738857600},
				},
			}),
			NOW,
		);
		expect(input.windows).toEqual([
			{
				name: '5h',
				usedPercent: 23.5,
				windowSeconds: 18_000,
				resetsAt: 1_738_425_600_000,
				source: 'status-line',
				observedAt: NOW,
			},
			{
				name: 'weekly',
				usedPercent: 41.2,
				windowSeconds: 604_800,
				resetsAt: 1_738_857_600_000,
				source: 'status-line',
				observedAt: NOW,
			},
		]);
		expect(input).toMatchObject({version: '2.1.90', model: 'Opus', reasons: []});
	});

	it('never throws: garbage, arrays, missing or malformed rate_limits each give a reason and no windows', () => {
		for (const [text, reason] of [
			['', /empty/],
			['{"rate', /not JSON/],
			['[1,2]', /not a JSON object/],
			['{"version":"2.1.70"}', /no rate_limits/],
			[
				'{"version":"2.1.90","rate_limits":{"five_hour":{"used_percentage":"lots"}}}',
				/five_hour.used_percentage is not a percentage/,
			],
			['{"version":"2.1.90","rate_limits":{}}', /no five_hour or seven_day/],
		] as const) {
			const input = parseStatusLineInput(text, NOW);
			expect(input.windows).toEqual([]);
			expect(input.reasons.join(' ')).toMatch(reason);
		}
		// An odd version is only a note: the windows still count.
		const odd = parseStatusLineInput('{"version":"nightly","rate_limits":{"five_hour":{"used_percentage":5}}}', NOW);
		expect(odd.windows).toHaveLength(1);
		expect(odd.windows[0]!.resetsAt).toBeUndefined();
		expect(odd.reasons).toEqual(['unknown Claude Code version']);
	});

	it('strips escapes and controls from the model name', () => {
		const input = parseStatusLineInput(
			JSON.stringify({model: {display_name: '\u001B]0;x\u0007Op\u001B[31mus\u009B'}}),
			NOW,
		);
		expect(input.model).toBe('Opus');
	});
});

describe('status-line window age', () => {
	const w = {
		name: '5h',
		usedPercent: 97,
		windowSeconds: 18_000,
		resetsAt: NOW + 3_600_000,
		source: 'status-line' as const,
		observedAt: NOW,
	};
	it('is stale once older than its window or past its reset; a reset window stops counting for selection', () => {
		expect(statusLineWindowStale(w, NOW + 60 * 60_000 - 1)).toBe(false);
		expect(statusLineWindowStale(w, NOW + 60 * 60_000)).toBe(true);
		expect(statusLineWindowStale({...w, resetsAt: undefined}, NOW + 18_000_001)).toBe(true);
		expect(statusLineWindowStale({...w, resetsAt: undefined}, NOW + 17_999_000)).toBe(false);
		expect(windowStillCounts(w, NOW)).toBe(true);
		expect(windowStillCounts(w, NOW + 3_600_000)).toBe(false);
		// Other sources keep their own rules.
		expect(windowStillCounts({...w, source: 'usage-endpoint'}, NOW + 3_600_000)).toBe(true);
	});
});

describe('settings.json round trips', () => {
	it('into an empty file, and back', () => {
		const edit = installStatusLine('', CMD);
		expect(JSON.parse(edit.text)).toEqual({statusLine: {type: 'command', command: CMD}});
		expect(edit.previous).toBeUndefined();
		expect(uninstallStatusLine(edit.text, edit.value, edit.previous)).toBe('{}\n');
		const empty = installStatusLine('{}', CMD);
		expect(JSON.parse(empty.text).statusLine.command).toBe(CMD);
		expect(uninstallStatusLine(empty.text, empty.value, empty.previous)).toBe('{}');
	});

	it('over an existing statusLine: chained, padding kept, restored exactly', () => {
		const before =
			'{\n\t"statusLine": { "type": "command", "command": "~/.claude/bar.sh --x \\"q\\"", "padding": 0 },\n\t"theme": "dark"\n}';
		const edit = installStatusLine(before, CMD);
		expect(edit.previous).toBe('{ "type": "command", "command": "~/.claude/bar.sh --x \\"q\\"", "padding": 0 }');
		expect(edit.previousCommand).toBe('~/.claude/bar.sh --x "q"');
		expect(JSON.parse(edit.text)).toEqual({statusLine: {type: 'command', command: CMD, padding: 0}, theme: 'dark'});
		// The member keeps the file's own indentation (tabs here).
		expect(edit.text).toContain('\t"statusLine": {\n\t\t"type": "command",');
		expect(edit.text.endsWith('},\n\t"theme": "dark"\n}')).toBe(true);
		expect(uninstallStatusLine(edit.text, edit.value, edit.previous)).toBe(before);
	});

	it('into a file with many other keys: every other byte identical, and uninstall gives the file back', () => {
		const before = `{
  "$schema": "https://json.schemastore.org/claude-code-settings.json",
  "model": "opus",
  "env": {"FOO": "a \\"quoted\\" } brace", "BAR": "[not an array"},
  "permissions": {
    "allow": ["Bash(npm run lint)", "Read(~/.zshrc)"],
    "deny": []
  },
  "hooks": {"PostToolUse": [{"matcher": "Edit", "hooks": [{"type": "command", "command": "prettier --write"}]}]},
  "cleanupPeriodDays": 20,
  "includeCoAuthoredBy": false,
  "unicode": "é ✓ \\u00e9"
}
`;
		const edit = installStatusLine(before, CMD);
		const closing = before.lastIndexOf('\n}');
		// Everything before the insertion point and the closing brace are untouched.
		expect(edit.text.slice(0, closing)).toBe(before.slice(0, closing));
		expect(edit.text.slice(-3)).toBe('\n}\n');
		expect(JSON.parse(edit.text)).toEqual({...JSON.parse(before), statusLine: {type: 'command', command: CMD}});
		expect(uninstallStatusLine(edit.text, edit.value, edit.previous)).toBe(before);
		// A statusLine that is the first member, removed with what follows it.
		const first = '{"statusLine": {"type":"command","command":"x"}, "a": 1}';
		const firstEdit = installStatusLine(first, CMD);
		expect(uninstallStatusLine(firstEdit.text, firstEdit.value, undefined)).toBe('{"a": 1}');
	});

	it('refuses what it must not edit, and an uninstall after the user changed statusLine', () => {
		expect(() => installStatusLine('{"a": 1,}', CMD)).toThrow(SettingsTextError);
		expect(() => installStatusLine('[]', CMD)).toThrow(/not a JSON object/);
		const edit = installStatusLine('{"a": 1}', CMD);
		const changed = edit.text.replace('statusline claude', 'something else');
		expect(() => uninstallStatusLine(changed, edit.value, edit.previous)).toThrow(/changed since the install/);
	});
});
