import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {readAuthFile} from '../../source/store/auth-file.js';
import {readPreferences} from '../../source/store/preferences.js';
import {PROVIDER_IDS, type ProviderId} from '../../source/core/schemas.js';
import {findTier, tiersFor} from '../../source/core/tiers.js';
import {ComparisonStep} from '../../source/ui/screens/onboarding/comparison-step.js';
import {OnboardingWizard, type OnboardingSummary, type WizardState} from '../../source/ui/screens/onboarding/index.js';
import {NO_USES} from '../../source/ui/screens/onboarding/state.js';
import {KEYS} from '../helpers/keys.js';
import {renderScreen, startModelsStub, tempHome, testServices, unmount, type Stub} from './helpers.js';
import {press, type, until, waitForFrame, type Rendered} from '../helpers/wait.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mount(
	element: Parameters<typeof renderScreen>[0],
	services: Parameters<typeof renderScreen>[1],
): Promise<Rendered> {
	const r = await renderScreen(element, services);
	cleanups.push(() => unmount(r));
	return r;
}

async function stub(statuses: ReadonlyArray<number | 'hang'>): Promise<Stub> {
	const s = await startModelsStub(statuses);
	cleanups.push(() => s.close());
	return s;
}

/** The wizard already at the comparison step for this plan (welcome, provider and tier behind it). */
function atComparison(provider: ProviderId, tier: string): WizardState {
	return {
		step: {kind: 'comparison', provider, tier, purpose: 'primary'},
		history: [{kind: 'welcome'}, {kind: 'provider'}, {kind: 'tier', provider, purpose: 'primary'}],
		uses: NO_USES,
	};
}

const frameOf = (r: Rendered) => r.lastFrame() ?? '';

describe('onboarding wizard: navigation', () => {
	it('goes welcome → provider → tier → comparison and back with Esc; Esc on the first step only explains Ctrl+C', async () => {
		const home = await tempHome();
		const secret = 'sk-test-SECRETSECRET1234';
		const services = testServices(home, {
			detected: {
				envKeys: [{provider: 'claude', variable: 'ANTHROPIC_API_KEY', key: secret}],
				claudeCli: {version: '2.1.50', supportsAuth: true},
			},
		});
		const onExit = vi.fn();
		const r = await mount(<OnboardingWizard onDone={() => {}} onExit={onExit} />, services);

		let frame = await waitForFrame(r, 'Found on this machine');
		expect(frame).toContain('This will:');
		expect(frame).toContain('ANTHROPIC_API_KEY is set (…1234)');
		expect(frame).toContain('Claude Code 2.1.50 is installed');
		expect(frame).toContain('↑↓ select');

		await press(r, KEYS.escape);
		frame = frameOf(r);
		expect(frame).toContain('Welcome to tui');
		expect(frame).toContain('Press Ctrl+C to quit');
		expect(onExit).not.toHaveBeenCalled();

		await press(r, 'u', KEYS.enter);
		frame = frameOf(r);
		expect(frame).toContain('Which provider first?');
		// The env key the user chose to use preselects Claude.
		expect(frame).toContain('› 2. Claude');
		expect(frame).toContain('↑↓ select · enter confirm · esc back');

		await press(r, KEYS.up, KEYS.enter);
		frame = frameOf(r);
		expect(frame).toContain('Your OpenAI plan');
		expect(frame).toMatch(/Plus\s+\$20\/mo/);
		expect(frame).toMatch(/Pro\s+\$200\/mo/);
		expect(frame).toMatch(/Business \/ Team\s+per seat/);
		expect(frame).toMatch(/API only\s+pay per token/);

		await press(r, KEYS.escape);
		// Back on the provider step, the earlier pick is highlighted again.
		expect(frameOf(r)).toContain('› 1. OpenAI');
		await press(r, KEYS.enter);
		await press(r, '3');
		frame = frameOf(r);
		expect(frame).toContain('How to use OpenAI Plus');
		expect(frame).toContain('★ Recommended for Plus: Auto.');

		await press(r, KEYS.escape);
		expect(frameOf(r)).toMatch(/› 3\. Plus/);
		await press(r, KEYS.escape, KEYS.escape);
		expect(frameOf(r)).toContain('Welcome to tui');
		for (const f of r.frames) expect(f).not.toContain(secret);
	});
});

describe('comparison step', () => {
	// The recommendation per tier (core/tiers.ts), one row per provider's plan.
	const expected: Record<'openai' | 'claude', Array<[string, string]>> = {
		claude: [
			['pro', 'API key'],
			['free', 'API key'],
			['api', 'API key'],
			['enterprise', 'Auto'],
			['max-5x', 'Auto'],
			['max-20x', 'Auto'],
			['team', 'Auto'],
		],
		openai: [
			['plus', 'Auto'],
			['pro', 'Subscription'],
			['free', 'API key'],
			['go', 'API key'],
			['business', 'API key'],
			['enterprise', 'API key'],
			['edu', 'API key'],
			['api', 'API key'],
		],
	};
	for (const provider of PROVIDER_IDS) {
		for (const [tier, title] of expected[provider]) {
			it(`${provider} ${tier}: highlights ${title} with its reason`, async () => {
				const r = await mount(
					<ComparisonStep
						isActive
						provider={provider}
						tier={tier}
						purpose="primary"
						onChosen={() => {}}
						onBack={() => {}}
					/>,
					testServices(await tempHome()),
				);
				const frame = frameOf(r);
				const name = findTier(provider, tier)!.name;
				expect(frame).toContain(`★ Recommended for ${name}: ${title}.`);
				// The recommended mode is the one highlighted at first, with the › marker.
				expect(frame).toMatch(new RegExp(`› \\d\\. ${title}`));
				expect(frame.match(/★ recommended/g)).toHaveLength(1);
			});
		}
	}

	it('shows three columns at 100 columns, stacked blocks at 60, and fits 80×24', async () => {
		for (const columns of [100, 80, 60]) {
			const r = await mount(
				<ComparisonStep
					isActive
					provider="claude"
					tier="pro"
					purpose="primary"
					onChosen={() => {}}
					onBack={() => {}}
				/>,
				testServices(await tempHome(), {columns}),
			);
			const frame = frameOf(r);
			const lines = frame.split('\n');
			for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
			const header = lines.find((line) => line.includes('1. Subscription'))!;
			if (columns >= 80) expect(header).toMatch(/1\. Subscription.*2\. API key.*3\. Auto/);
			else for (const line of lines) expect(line.includes('Subscription') && line.includes('API key')).toBe(false);
			if (columns === 80) expect(lines.length).toBeLessThanOrEqual(24);
			for (const text of [
				'+ No per-token charge',
				'− 200K context',
				'+ Up to 1M context',
				'− A key to manage',
				'− Only through Claude',
				'− Needs both a',
				'2026-01-09',
				'`claude`',
				'★ Recommended for Pro: API key.',
			])
				expect(frame).toContain(text);
			if (columns < 80) {
				for (const text of [
					'− Only through Claude Code (policy)',
					'− Needs both a subscription and a key',
					'− Pay per token, about $0.10–0.15 per module',
				])
					expect(frame).toContain(text);
			}
			expect(frame.replace(/\s+/g, ' ')).toContain(
				'The subscription quota is small, and per-token use of about $0.10–0.15 per module is cheaper',
			);
			await unmount(r);
		}
	});

	it('fits 80×24 for every plan of both providers', async () => {
		for (const provider of PROVIDER_IDS) {
			for (const tier of tiersFor(provider)) {
				const r = await mount(
					<ComparisonStep
						isActive
						provider={provider}
						tier={tier.id}
						purpose="primary"
						onChosen={() => {}}
						onBack={() => {}}
					/>,
					testServices(await tempHome(), {columns: 80}),
				);
				const lines = frameOf(r).split('\n');
				expect({plan: `${provider} ${tier.id}`, lines: lines.length}).toEqual({
					plan: `${provider} ${tier.id}`,
					lines: expect.toSatisfy((n: number) => n <= 24),
				});
				for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
				await unmount(r);
			}
		}
	});

	it('refuses an unavailable mode with its reason and writes nothing', async () => {
		const home = await tempHome();
		const onChosen = vi.fn();
		const r = await mount(
			<ComparisonStep isActive provider="openai" tier="free" purpose="primary" onChosen={onChosen} onBack={() => {}} />,
			testServices(home, {columns: 60}),
		);
		// Eligibility is stated: ChatGPT Free is steered to an API key, with the reason.
		expect(frameOf(r).replace(/\s+/g, ' ')).toContain('✗ unavailable: Free: Plus and Pro only; use an API key');
		await press(r, '1');
		expect(frameOf(r).replace(/\s+/g, ' ')).toContain(
			'That mode is unavailable: Free: Plus and Pro only; use an API key',
		);
		await press(r, KEYS.left, KEYS.left, KEYS.enter);
		expect(onChosen).not.toHaveBeenCalled();
		expect(await readdir(home)).toEqual([]);
	});
});

describe('API key login', () => {
	it('shows "invalid key" on a 401, retries, saves on the 200, then finishes with the summary', async () => {
		const api = await stub([401, 200]);
		const home = await tempHome();
		const services = testServices(home, {env: {ANTHROPIC_BASE_URL: api.url}});
		let summary: OnboardingSummary | undefined;
		const r = await mount(
			<OnboardingWizard initialState={atComparison('claude', 'pro')} onDone={(s) => (summary = s)} onExit={() => {}} />,
			services,
		);

		await press(r, KEYS.enter);
		await waitForFrame(r, 'Add your Claude API key');
		// The comparison step completed: its choice is on disk, nothing else.
		expect((await readPreferences(home)).providers.claude).toEqual({tier: 'pro', mode: 'api'});
		expect(await readdir(home)).toEqual(['config.json']);

		const bad = 'sk-ant-test-bad-0000000000001';
		await type(r, bad);
		expect(frameOf(r)).toContain('•'.repeat(bad.length > 24 ? 24 : bad.length));
		expect(frameOf(r)).toContain(`(${bad.length} characters)`);
		await press(r, KEYS.enter);
		let frame = await waitForFrame(r, '✗ invalid key');
		expect(frame).toContain('Try again');
		expect(frame).toContain('Back to the comparison');
		expect((await readAuthFile(home, 'claude')).accounts).toEqual([]);

		await press(r, KEYS.enter);
		frame = await waitForFrame(r, 'Key:');
		expect(frame).toContain('paste it here');
		const good = 'sk-ant-test-good-000000000002';
		await type(r, good);
		await press(r, KEYS.enter);
		frame = await waitForFrame(r, 'A fallback provider?');

		expect(api.requests).toHaveLength(2);
		expect(JSON.stringify(api.requests[1])).toContain(good);
		const file = await readAuthFile(home, 'claude');
		expect(file.accounts).toHaveLength(1);
		expect(file.accounts[0]).toMatchObject({kind: 'api-key', key: good, label: 'api-key'});
		expect(file.active).toBe(file.accounts[0]!.id);

		await press(r, '2');
		frame = await waitForFrame(r, 'You are set up');
		expect(frame).toContain('Active: Claude Pro, mode api, account "api-key" (api-key)');
		expect(frame).toContain(path.join(home, 'config.json'));
		expect(frame).toContain(path.join(home, 'auth', 'claude.json'));
		for (const command of ['tui auth switch', 'tui quota', 'tui auth status']) expect(frame).toContain(command);
		expect((await readPreferences(home)).onboardingCompletedAt).toBeUndefined();

		await press(r, KEYS.enter);
		await until(() => summary !== undefined, 'onDone');
		const preferences = await readPreferences(home);
		expect(preferences.onboardingCompletedAt).toBe(summary!.completedAt);
		expect(preferences.activeProvider).toBe('claude');
		expect(preferences.fallback.enabled).toBe(false);
		expect(summary).toMatchObject({
			provider: 'claude',
			tier: 'pro',
			mode: 'api',
			account: {label: 'api-key', kind: 'api-key'},
		});
		for (const f of r.frames) {
			expect(f).not.toContain(bad);
			expect(f).not.toContain(good);
		}
	});

	it('adds the other provider as a fallback through the same steps, then saves order and triggers', async () => {
		const api = await stub([200]);
		const home = await tempHome();
		const services = testServices(home, {env: {ANTHROPIC_BASE_URL: api.url, OPENAI_BASE_URL: `${api.url}/v1`}});
		let summary: OnboardingSummary | undefined;
		const r = await mount(
			<OnboardingWizard initialState={atComparison('claude', 'pro')} onDone={(s) => (summary = s)} onExit={() => {}} />,
			services,
		);
		await press(r, KEYS.enter);
		await waitForFrame(r, 'Add your Claude API key');
		await type(r, 'sk-ant-test-good-claude-00001');
		await press(r, KEYS.enter);
		await waitForFrame(r, 'A fallback provider?');

		await press(r, '1');
		expect(frameOf(r)).toContain('Your OpenAI plan');
		await press(r, '8');
		await waitForFrame(r, 'How to use OpenAI API only');
		await press(r, KEYS.enter);
		await waitForFrame(r, 'Add your OpenAI API key');
		await type(r, 'sk-good-openai-000000001');
		await press(r, KEYS.enter);
		let frame = await waitForFrame(r, 'Fallback: order and triggers');
		expect(frame).toContain('› Order: 1. Claude  2. OpenAI');
		expect(frame).toContain('[x] quota at or over the threshold');

		await press(r, KEYS.space, KEYS.down, KEYS.space);
		frame = frameOf(r);
		expect(frame).toContain('Order: 1. OpenAI  2. Claude');
		expect(frame).toContain('[ ] quota at or over the threshold');
		// Two keys in one read (fast typing, a loaded machine) act in order: down to the next trigger, then toggle it.
		await press(r, KEYS.down + KEYS.space, KEYS.space);
		frame = frameOf(r);
		expect(frame).toContain('[ ] quota at or over the threshold');
		expect(frame).toContain('[x] rate limited until a reset');
		await press(r, KEYS.enter);
		frame = await waitForFrame(r, 'You are set up');
		expect(frame).toContain('Fallback: OpenAI → Claude on rate-limit, auth-error, outage');
		expect(frame).toContain(path.join(home, 'auth', 'openai.json'));

		const preferences = await readPreferences(home);
		expect(preferences.fallback).toEqual({
			enabled: true,
			order: ['openai', 'claude'],
			triggers: ['rate-limit', 'auth-error', 'outage'],
			thresholdPercent: 95,
		});
		expect(preferences.providers).toEqual({
			claude: {tier: 'pro', mode: 'api'},
			openai: {tier: 'openai-api', mode: 'api'},
		});
		expect(preferences.activeProvider).toBe('claude');
		expect((await readAuthFile(home, 'openai')).accounts).toHaveLength(1);
		await press(r, KEYS.enter);
		await until(() => summary !== undefined, 'onDone');
		expect(summary!.accounts.map((a) => a.provider)).toEqual(['claude', 'openai']);
	});
});

describe('welcome: use what is there', () => {
	it('a detected env key, when used, preselects its provider and fills the key field (validated before saving)', async () => {
		const api = await stub([200]);
		const home = await tempHome();
		const key = 'sk-ant-test-from-env-00000005';
		const services = testServices(home, {
			env: {ANTHROPIC_BASE_URL: api.url},
			detected: {envKeys: [{provider: 'claude', variable: 'CLAUDE_API_KEY', key}]},
		});
		const r = await mount(<OnboardingWizard onDone={() => {}} onExit={() => {}} />, services);
		await waitForFrame(r, 'CLAUDE_API_KEY is set (…0005)');
		await press(r, 'u', KEYS.enter);
		expect(frameOf(r)).toContain('› 2. Claude');
		await press(r, KEYS.enter, '2');
		await waitForFrame(r, 'How to use Claude Pro');
		await press(r, KEYS.enter);
		const frame = await waitForFrame(r, 'Add your Claude API key');
		expect(frame).toContain(`(${key.length} characters)`);
		await press(r, KEYS.enter);
		await waitForFrame(r, 'A fallback provider?');
		expect((await readAuthFile(home, 'claude')).accounts[0]).toMatchObject({kind: 'api-key', key});
		expect(api.requests).toHaveLength(1);
	});

	it('ignoring it leaves the field empty', async () => {
		const home = await tempHome();
		const services = testServices(home, {
			detected: {envKeys: [{provider: 'openai', variable: 'OPENAI_API_KEY', key: 'sk-env-0000000000006'}]},
		});
		const r = await mount(<OnboardingWizard onDone={() => {}} onExit={() => {}} />, services);
		await waitForFrame(r, 'OPENAI_API_KEY is set');
		await press(r, 'i');
		expect(frameOf(r)).toContain('[– ignored]');
		// Plus recommends Auto; pick the API key (2).
		await press(r, KEYS.enter, KEYS.enter, '3', '2');
		const frame = await waitForFrame(r, 'Add your OpenAI API key');
		expect(frame).toContain('paste it here');
	});
});

describe('welcome: keys in one read', () => {
	it('down and u typed at once mark the second finding, as typed one by one would', async () => {
		const home = await tempHome();
		const services = testServices(home, {
			detected: {
				envKeys: [
					{provider: 'openai', variable: 'OPENAI_API_KEY', key: 'sk-test-openai-00000001'},
					{provider: 'claude', variable: 'ANTHROPIC_API_KEY', key: 'sk-ant-test-claude-0002'},
				],
			},
		});
		const r = await mount(<OnboardingWizard onDone={() => {}} onExit={() => {}} />, services);
		await waitForFrame(r, 'ANTHROPIC_API_KEY is set');
		// Ink hands text typed in one read over as one input, so the keys split at the escape sequence.
		await press(r, KEYS.down + 'u');
		await press(r, KEYS.enter);
		const frame = await waitForFrame(r, 'Which provider first?');
		// Only the Claude key is used, so Claude is preselected.
		expect(frame).toContain('› 2. Claude');
	});
});

describe('leaving', () => {
	it('Ctrl+C before any step completes leaves the home empty', async () => {
		const home = await tempHome();
		const onExit = vi.fn();
		const r = await mount(
			<OnboardingWizard initialState={atComparison('claude', 'max-5x')} onDone={() => {}} onExit={onExit} />,
			testServices(home),
		);
		await press(r, KEYS.down);
		await press(r, KEYS.ctrlC);
		expect(onExit).toHaveBeenCalledTimes(1);
		expect(frameOf(r)).toContain('Onboarding cancelled');
		expect(await readdir(home)).toEqual([]);
	});

	it('Ctrl+C during key validation aborts the request and saves no account', async () => {
		const api = await stub(['hang']);
		const home = await tempHome();
		const onExit = vi.fn();
		const r = await mount(
			<OnboardingWizard initialState={atComparison('claude', 'pro')} onDone={() => {}} onExit={onExit} />,
			testServices(home, {env: {ANTHROPIC_BASE_URL: api.url}}),
		);
		await press(r, KEYS.enter);
		await waitForFrame(r, 'Add your Claude API key');
		await type(r, 'sk-ant-test-good-000000000003');
		await press(r, KEYS.enter);
		await waitForFrame(r, 'Checking the key with Claude');
		await until(() => api.requests.length === 1, 'the validation request');
		await press(r, KEYS.ctrlC);
		expect(onExit).toHaveBeenCalledTimes(1);
		await until(() => api.aborted() === 1, 'the request to be aborted');
		// Only the completed comparison step is on disk; no auth file.
		expect(await readdir(home)).toEqual(['config.json']);
		expect(JSON.parse(await readFile(path.join(home, 'config.json'), 'utf8')).onboardingCompletedAt).toBeUndefined();
	});

	it('Esc during key validation cancels it and returns to the key field', async () => {
		const api = await stub(['hang']);
		const home = await tempHome();
		const r = await mount(
			<OnboardingWizard initialState={atComparison('claude', 'pro')} onDone={() => {}} onExit={() => {}} />,
			testServices(home, {env: {ANTHROPIC_BASE_URL: api.url}}),
		);
		await press(r, KEYS.enter);
		await waitForFrame(r, 'Add your Claude API key');
		await type(r, 'sk-ant-test-good-000000000004');
		await press(r, KEYS.enter);
		await waitForFrame(r, 'Checking the key with Claude');
		await press(r, KEYS.escape);
		await until(() => api.aborted() === 1, 'the request to be aborted');
		const frame = frameOf(r);
		expect(frame).not.toContain('Checking the key');
		expect(frame).toContain('Key:');
		await press(r, KEYS.escape);
		expect(frameOf(r)).toContain('How to use Claude Pro');
		expect(await readdir(home)).toEqual(['config.json']);
	});
});
