// `tui statusline claude` as Claude Code runs it on every refresh: a status-line document on stdin, a delegated
// Claude account whose Claude Code login is already known (the cached `claude auth status`), the preferences tui
// wrote, against bare node.
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {CLI, median, tempHome, timeNode} from './lib.mjs';
import {writePreferences} from './fixtures.mjs';

export default async function () {
	const home = tempHome();
	const bin = path.join(home, 'bin');
	mkdirSync(path.join(home, 'auth'), {recursive: true, mode: 0o700});
	mkdirSync(bin);
	writeFileSync(
		path.join(home, 'auth', 'claude.json'),
		`${JSON.stringify({version: 1, active: 'cc1', accounts: [{id: 'cc1', label: 'max', kind: 'delegated', tool: 'claude-code', plan: 'max', email: 'bench@example.test', createdAt: new Date().toISOString()}]})}\n`,
		{mode: 0o600},
	);
	// A Claude Code user's preferences, as tui writes them.
	writePreferences(home, 'claude');
	// The first run asks this stand-in once; every timed run reads the cached answer instead.
	writeFileSync(
		path.join(bin, 'claude'),
		'#!/bin/sh\necho \'{"loggedIn": true, "email": "bench@example.test", "subscriptionType": "max"}\'\n',
	);
	chmodSync(path.join(bin, 'claude'), 0o755);
	const env = {
		PATH: `${bin}:${process.env.PATH}`,
		HOME: home,
		CLAUDE_CONFIG_DIR: path.join(home, '.claude'),
		NO_COLOR: '1',
	};
	const s = Math.floor(Date.now() / 1000);
	// Most refreshes carry the figures of the one before; the first run records them.
	const input = JSON.stringify({
		session_id: 'bench',
		version: '2.1.90',
		model: {id: 'claude-opus-4-1', display_name: 'Opus'},
		workspace: {current_dir: home, project_dir: home},
		cost: {total_cost_usd: 0.01},
		rate_limits: {
			five_hour: {used_percentage: 23.5, resets_at: s + 3600},
			seven_day: {used_percentage: 41.2, resets_at: s + 86_400},
		},
	});
	const args = [CLI, '--home', home, 'statusline', 'claude'];
	const status = [CLI, '--home', home, 'auth', 'status', '--json'];
	timeNode(['-e', '']);
	timeNode(args, {env, input, expectExit: 0});
	timeNode(status, {env});
	const base = [];
	const subject = [];
	const reference = [];
	for (let i = 0; i < 20; i++) {
		base.push(timeNode(['-e', '']));
		subject.push(timeNode(args, {env, input, expectExit: 0}));
		reference.push(timeNode(status, {env}));
	}
	const b = median(base);
	const m = median(subject);
	const r = median(reference);
	const fmt = (ms) => `${ms.toFixed(1)} ms`;
	return [
		{
			name: 'tui statusline claude, a refresh with unchanged figures (median of 20)',
			value: fmt(m),
			baseline: fmt(b),
			ratio: m / b,
			goal: `≤ auth status (${(r / b).toFixed(2)}× this run)`,
			met: m <= r * 1.1,
		},
	];
}
