// The quota panel and screen under ink-testing-library, from a home seeded like a host app fills it.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {act} from 'react';
import {KEYS} from '../helpers/keys.js';
import {press, until} from '../helpers/wait.js';
import type {QuotaReport} from '../../source/store/quota.js';
import {NOW, seededReport} from './quota-fixture.js';

// Colour support is decided when ink's chalk loads: force it on, then load ink, so that the frames carry
// escape codes exactly when the panel asks for colour.
const savedForceColor = process.env.FORCE_COLOR;
process.env.FORCE_COLOR = '1';
const {render} = await import('ink-testing-library');
const {QuotaPanel} = await import('../../source/ui/screens/quota/quota-panel.js');
const {QuotaScreen} = await import('../../source/ui/screens/quota/quota-screen.js');
afterAll(() => {
	if (savedForceColor === undefined) delete process.env.FORCE_COLOR;
	else process.env.FORCE_COLOR = savedForceColor;
});

const ESC = '\u001B[';
const strip = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '');

let report: QuotaReport;
beforeAll(async () => {
	({report} = await seededReport());
});

async function frameOf(element: React.ReactElement): Promise<string> {
	let r: ReturnType<typeof render> | undefined;
	await act(async () => {
		r = render(element);
	});
	const frame = r!.lastFrame() ?? '';
	await act(async () => r!.unmount());
	return frame;
}

describe('QuotaPanel', () => {
	it('shows per window a bar, "N% used", the reset time, the source and age', async () => {
		const frame = strip(await frameOf(<QuotaPanel report={report} columns={80} color={false} timeZone="UTC" />));
		expect(frame).toContain('█████████████████░░░ 85% used');
		expect(frame).toContain('resets in 2 h 14 m (14:30) · from headers 12 s ago');
		expect(frame).toContain('█████████░░░░░░░░░░░ 43% used');
		expect(frame).toContain('resets in 4 d (12:16 on 27 Nov) · from headers 5 s ago');
		expect(frame).toContain('spent $1.00 of $1.20 today (83%)');
		expect(frame).toContain('requests 499/500 left');
		// The ChatGPT sign-in: no bars (apps get no numbers), the plan, the last limit hit, the terms, Manage usage.
		expect(frame).toContain('personal (subscription, plus)');
		expect(frame).toContain('ChatGPT plan usage: on (plus)');
		expect(frame).toContain('last limit hit: 12:04, 12 m ago · plan paused; no reset time is given');
		expect(frame).toContain('Plus: a 5-hour limit shared by every app');
		expect(frame).toContain('Manage usage: https://chatgpt.com/settings/usage');
		// The selected provider (Claude, preferred) comes first.
		expect(frame.indexOf('Claude')).toBeLessThan(frame.indexOf('OpenAI'));
		expect(frame).toContain('selection: using Claude / ANTHROPIC_API_KEY: preferred, usable');
		// Secrets never reach the screen.
		expect(frame).not.toContain('canary');
	});

	it('marks ≥80% and ≥100% with text, so nothing is lost without colour', async () => {
		const frame = await frameOf(<QuotaPanel report={report} columns={80} color={false} timeZone="UTC" />);
		expect(frame).not.toContain(ESC);
		const lines = frame.split('\n');
		expect(lines.find((l) => l.includes('85% used'))).toContain('! high');
		expect(lines.find((l) => l.includes('100% used'))).toContain('✖ limit reached');
		expect(lines.find((l) => l.includes('43% used'))).not.toMatch(/!|✖/);
		expect(frame).toContain('alert: Claude team: weekly window at 100% (exhausted)');
	});

	it('adds colour when asked: yellow at ≥80%, red at 100%', async () => {
		const frame = await frameOf(<QuotaPanel report={report} columns={80} color timeZone="UTC" />);
		const line = (text: string) => frame.split('\n').find((l) => strip(l).includes(text))!;
		expect(line('85% used')).toContain(`${ESC}33m`);
		expect(line('100% used')).toContain(`${ESC}31m`);
		expect(line('43% used')).toContain(`${ESC}32m`);
		// Manage usage is an OSC 8 link to ChatGPT's usage settings where escapes are wanted.
		expect(frame).toContain('\u001B]8;;https://chatgpt.com/settings/usage\u0007Manage usage\u001B]8;;\u0007');
		expect(frame).not.toContain('Manage usage: https://');
	});

	it.each([80, 60])('fits %i columns: no line wider, bars halve below 80', async (columns) => {
		const frame = strip(await frameOf(<QuotaPanel report={report} columns={columns} color={false} timeZone="UTC" />));
		for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(columns);
		const bar = frame
			.split('\n')
			.find((l) => l.includes('85% used'))!
			.match(/[█░]+/)![0];
		expect(bar).toHaveLength(columns >= 80 ? 20 : 10);
		expect(frame).toContain('14:30');
	});

	it('compact: only the active account per provider, no spend lines', async () => {
		const frame = strip(
			await frameOf(<QuotaPanel report={report} compact showSelection={false} color={false} timeZone="UTC" />),
		);
		expect(frame).toContain('43% used');
		expect(frame).not.toContain('85% used');
		expect(frame).not.toContain('spent');
		expect(frame).not.toContain('selection:');
	});

	it('shows stale figures as stale, and a delegated account as managed elsewhere', async () => {
		const later = {...report, generatedAt: NOW + 20 * 60_000} as QuotaReport;
		const claude = later.providers.find((p) => p.provider === 'claude')!;
		const stale = claude.accounts.map((a) => ({
			...a,
			status: 'stale' as const,
			windows: a.windows.map((w) => ({...w, stale: true, ageMs: 20 * 60_000})),
		}));
		const delegated = {
			...claude.accounts[0]!,
			id: 'cc',
			kind: 'delegated' as const,
			label: 'cc',
			origin: 'file',
			status: 'delegated' as const,
			windows: [],
			note: 'managed by Claude Code — run /usage there',
		};
		const frame = strip(
			await frameOf(
				<QuotaPanel
					report={{...later, providers: [{...claude, accounts: [...stale, delegated]}]}}
					color={false}
					timeZone="UTC"
				/>,
			),
		);
		expect(frame).toMatch(/from headers 20 m ago · stale/);
		expect(frame).toContain('managed by Claude Code — run /usage there');
	});
});

describe('QuotaScreen', () => {
	it('loads, refreshes on r, quits on q', async () => {
		let loads = 0;
		let exited = false;
		const load = async () => {
			loads++;
			return {...report, generatedAt: NOW + loads * 1000};
		};
		let r: ReturnType<typeof render> | undefined;
		await act(async () => {
			r = render(<QuotaScreen load={load} color={false} columns={80} timeZone="UTC" onExit={() => (exited = true)} />);
		});
		await act(async () => {});
		expect(loads).toBe(1);
		expect(r!.lastFrame()).toContain('85% used');
		expect(r!.lastFrame()).toContain('r refresh · q quit');
		await press(r!, 'r');
		await act(async () => {});
		expect(loads).toBe(2);
		expect(exited).toBe(false);
		await press(r!, 'q');
		expect(exited).toBe(true);
		await act(async () => r!.unmount());
	});

	it('under --sandbox it says so on one line, first; without it, no such line', async () => {
		let r: ReturnType<typeof render> | undefined;
		await act(async () => {
			r = render(
				<QuotaScreen
					load={async () => report}
					initial={report}
					color={false}
					columns={60}
					timeZone="UTC"
					sandbox={{home: '.demo-home', throwaway: false}}
				/>,
			);
		});
		expect(r!.lastFrame()!.split('\n')[0]).toBe(' Sandbox: no real account is used · home .demo-home');
		await act(async () => r!.unmount());
		await act(async () => {
			r = render(<QuotaScreen load={async () => report} initial={report} color={false} columns={60} timeZone="UTC" />);
		});
		expect(r!.lastFrame()).not.toContain('Sandbox');
		await act(async () => r!.unmount());
	});

	it('Esc quits too, and a failed refresh keeps the last report with the reason', async () => {
		let calls = 0;
		let exited = false;
		const load = async () => {
			calls++;
			if (calls > 1) throw new Error('OpenAI usage endpoint failed (HTTP 500); try later');
			return report;
		};
		let r: ReturnType<typeof render> | undefined;
		await act(async () => {
			r = render(<QuotaScreen load={load} color={false} onExit={() => (exited = true)} />);
		});
		await act(async () => {});
		await press(r!, 'r');
		await act(async () => {});
		expect(r!.lastFrame()).toContain('85% used');
		expect(r!.lastFrame()).toContain('OpenAI usage endpoint failed (HTTP 500); try later');
		await press(r!, KEYS.escape);
		// Ink tells a lone Esc from an escape sequence after a short pause.
		await until(() => exited, 'Esc to quit');
		await act(async () => r!.unmount());
	});
});
