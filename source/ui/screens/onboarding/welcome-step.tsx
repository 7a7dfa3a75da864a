// Step 1: what the wizard will do, and what it found already (env keys, a Codex login, the claude CLI).
import {useEffect, useRef, useState} from 'react';
import {Box, Text} from 'ink';
import {useKeys} from '../../hooks/use-keys.js';
import {PROVIDER_NAMES, type ProviderId} from '../../../core/schemas.js';
import {lastFour} from '../../../core/text.js';
import {Bullet} from '../../components/bullet.js';
import {Frame} from '../../components/frame.js';
import {wrappedLines} from '../../components/viewport.js';
import {useTerminalSize} from '../../hooks/use-terminal-size.js';
import {KeyHints} from '../../components/key-hints.js';
import {Spinner} from '../../components/spinner.js';
import {useTask} from '../../hooks/use-task.js';
import {isBack, isConfirm, isDown, isUp, type Hint} from '../../keymap.js';
import {useServices, type Detected, type SavedAccount} from '../../services.js';
import {useTheme} from '../../theme.js';
import type {DetectionUses} from './state.js';

type Finding =
	| {readonly kind: 'env'; readonly provider: ProviderId; readonly text: string}
	| {readonly kind: 'codex'; readonly text: string}
	| {readonly kind: 'claude-cli'; readonly text: string};

export function findings(detected: Detected | undefined): Finding[] {
	if (!detected) return [];
	const list: Finding[] = [];
	const seen = new Set<ProviderId>();
	for (const found of detected.envKeys) {
		if (seen.has(found.provider)) continue;
		seen.add(found.provider);
		list.push({
			kind: 'env',
			provider: found.provider,
			text: `${found.variable} is set (${lastFour(found.key)}): use it as your ${PROVIDER_NAMES[found.provider]} API key`,
		});
	}
	if (detected.codexLogin)
		list.push({kind: 'codex', text: `A Codex login at ${detected.codexLogin.path}: start with OpenAI and its plan`});
	if (detected.claudeCli) {
		const update = detected.claudeCli.supportsAuth ? '' : ' (update it for `claude auth`)';
		list.push({
			kind: 'claude-cli',
			text: `Claude Code ${detected.claudeCli.version} is installed${update}: sign in through it`,
		});
	}
	return list;
}

type Picks = {readonly highlighted: number; readonly choice: ReadonlyMap<number, boolean>};
const NO_PICKS: Picks = {highlighted: 0, choice: new Map()};

function toUses(list: readonly Finding[], choice: ReadonlyMap<number, boolean>): DetectionUses {
	const used = list.filter((_, index) => choice.get(index) === true);
	return {
		envKeys: used.flatMap((finding) => (finding.kind === 'env' ? [finding.provider] : [])),
		codex: used.some((finding) => finding.kind === 'codex'),
		claudeCli: used.some((finding) => finding.kind === 'claude-cli'),
	};
}

/** "Claude / work (api-key)", "OpenAI / me (oauth, plus, me@example.com)". */
function accountLine(account: SavedAccount): string {
	const details = [account.kind, account.plan, account.email].filter(Boolean).join(', ');
	return `${PROVIDER_NAMES[account.provider]} / ${account.label} (${details})`;
}

export function WelcomeStep({
	isActive,
	onDone,
	onKeep,
}: {
	readonly isActive: boolean;
	readonly onDone: (detected: Detected | undefined, uses: DetectionUses) => void;
	/** Keep the home's accounts as they are and finish. */
	readonly onKeep?: (accounts: readonly SavedAccount[]) => void;
}) {
	const services = useServices();
	const theme = useTheme();
	const detect = useTask((_signal) => services.detect());
	// The cursor and the u/i choices, mirrored in a ref so that keys arriving in one read each see the one before.
	const [{highlighted, choice}, setPicksState] = useState<Picks>(NO_PICKS);
	const picks = useRef<Picks>(NO_PICKS);
	const setPicks = (next: Picks) => {
		picks.current = next;
		setPicksState(next);
	};
	const [escNote, setEscNote] = useState(false);
	const {run} = detect;
	useEffect(() => {
		void run();
	}, [run]);

	const detected = detect.state.status === 'done' ? detect.state.value : undefined;
	const list = findings(detected);
	const stored = detected?.accounts ?? [];
	const canKeep = Boolean(onKeep) && stored.length > 0;
	const size = useTerminalSize();
	const intro = [
		'ask which provider (OpenAI or Claude) and which plan you have;',
		'compare subscription sign-in, API key and auto for that plan;',
		`sign you in and keep the account under ${services.home}.`,
	];
	// A short terminal keeps the findings (which the user acts on) and shortens what the wizard will do.
	const width = Math.max(38, size.columns - 2);
	const findingRows = list.reduce(
		(sum, finding) => sum + wrappedLines(`${finding.text}  [u use it · i ignore]`, width - 2),
		list.length > 0 ? 2 : 2,
	);
	const introRows = 1 + intro.reduce((sum, text) => sum + wrappedLines(text, width - 5), 0);
	const compact = list.length > 0 && introRows + findingRows + 6 > size.rows - 1;

	useKeys(
		(input, key) => {
			if (isBack(input, key)) {
				setEscNote(true);
				return;
			}
			if (input === 'k' && canKeep) {
				onKeep?.(stored);
				return;
			}
			if (isConfirm(input, key)) {
				if (detect.state.status === 'running') return;
				onDone(detected, toUses(list, picks.current.choice));
				return;
			}
			if (list.length === 0) return;
			const now = picks.current;
			if (isUp(input, key)) setPicks({...now, highlighted: (now.highlighted - 1 + list.length) % list.length});
			else if (isDown(input, key)) setPicks({...now, highlighted: (now.highlighted + 1) % list.length});
			else if (input === 'u' || input === 'i')
				setPicks({...now, choice: new Map(now.choice).set(now.highlighted, input === 'u')});
		},
		{isActive},
	);

	return (
		<Frame
			title="Welcome to tui"
			step="1/7"
			footer={
				<KeyHints
					note={escNote ? 'This is the first step: Esc has nowhere to go. Press Ctrl+C to quit.' : undefined}
					hints={welcomeHints(list.length > 0, canKeep)}
				/>
			}
		>
			<Intro compact={compact} intro={intro} home={services.home} />
			{services.sandbox ? (
				<Box marginTop={1}>
					<Text
						color={theme.warning}
					>{`What works here: API keys that start with ${services.sandbox.keyPrefix} (${services.sandbox.keyPrefix}429… is rate limited); any email and password sign in.`}</Text>
				</Box>
			) : null}
			<Box marginTop={1} flexDirection="column">
				{detect.state.status === 'running' || detect.state.status === 'idle' ? (
					<Spinner label="Looking for existing keys and logins…" />
				) : null}
				{detect.state.status === 'failed' ? (
					<Text color={theme.warning}>Could not look for existing logins: {detect.state.error}</Text>
				) : null}
				{detect.state.status === 'done' && list.length === 0 && stored.length === 0 ? (
					<Text color={theme.muted}>No existing keys or logins found.</Text>
				) : null}
				{stored.length > 0 ? <StoredAccounts stored={stored} canKeep={canKeep} /> : null}
				{list.length > 0 ? <Text bold>Found on this machine:</Text> : null}
				{list.map((finding, index) => (
					<FindingLine
						key={`${finding.kind}-${index}`}
						finding={finding}
						decided={choice.get(index)}
						active={index === highlighted}
					/>
				))}
			</Box>
		</Frame>
	);
}

function welcomeHints(hasFindings: boolean, canKeep: boolean): readonly Hint[] {
	return [
		...(hasFindings
			? ([
					['↑↓', 'select'],
					['u', 'use it'],
					['i', 'ignore'],
				] as const)
			: []),
		...(canKeep ? ([['k', 'keep and finish']] as const) : []),
		['enter', 'continue'],
		['ctrl+c', 'quit'],
	];
}

/** What the wizard will do; a short terminal gets one line instead. */
function Intro({
	compact,
	intro,
	home,
}: {
	readonly compact: boolean;
	readonly intro: readonly string[];
	readonly home: string;
}) {
	if (compact)
		return <Text wrap="wrap">{`This will pick a provider, plan and sign-in, and keep accounts under ${home}.`}</Text>;
	return (
		<>
			<Text>This will:</Text>
			{intro.map((text, index) => (
				<Bullet key={text} mark={`  ${index + 1}. `}>
					{text}
				</Bullet>
			))}
		</>
	);
}

function StoredAccounts({stored, canKeep}: {readonly stored: readonly SavedAccount[]; readonly canKeep: boolean}) {
	const theme = useTheme();
	return (
		<Box flexDirection="column" marginBottom={1}>
			<Text bold>{`Already in this home (${stored.length}):`}</Text>
			{stored.map((account) => (
				<Bullet key={`${account.provider}-${account.id}`} mark="  ">
					{accountLine(account)}
				</Bullet>
			))}
			<Text color={theme.muted}>
				{canKeep
					? 'They stay whatever you choose. k keeps them as they are and finishes; enter sets up more.'
					: 'They stay whatever you choose.'}
			</Text>
		</Box>
	);
}

function FindingLine({
	finding,
	decided,
	active,
}: {
	readonly finding: Finding;
	readonly decided: boolean | undefined;
	readonly active: boolean;
}) {
	const theme = useTheme();
	const status = decided === undefined ? 'u use it · i ignore' : decided ? '✓ will use' : '– ignored';
	return (
		<Bullet mark={active ? '› ' : '  '} color={active ? theme.accent : undefined}>
			{`${finding.text}  [${status}]`}
		</Bullet>
	);
}
