// The page every step sits in: a title line with the step counter, the body, and the footer, never
// taller than the terminal. Title and footer always show; a body taller than what is left is cut at its
// bottom, and lists ask useFrameBody() for their share so the cursor stays in what is shown.
import {createContext, useContext, useEffect, useRef, useState, type ReactNode} from 'react';
import {Box, measureElement, Text, type DOMElement} from 'ink';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {useServices} from '../services.js';
import {makeTheme, useTheme} from '../theme.js';

export function Title({children, step}: {readonly children: ReactNode; readonly step?: string}) {
	const theme = useTheme();
	return (
		<Box marginBottom={1}>
			<Text bold color={theme.accent} wrap="truncate-end">
				{children}
			</Text>
			{step ? <Text color={theme.muted}>{`  ${step}`}</Text> : null}
		</Box>
	);
}

/** The line every sandbox screen shows under its title, so nobody takes it for a real sign-in. */
export function sandboxBannerText(sandbox: {readonly home: string; readonly throwaway: boolean}): string {
	return `Sandbox: no real account is used · ${sandbox.throwaway ? 'throwaway home' : `home ${sandbox.home}`}`;
}

/** Takes `color` rather than the theme hook: the quota screen renders without services. */
export function SandboxBanner({
	sandbox,
	color,
}: {
	readonly sandbox?: {readonly home: string; readonly throwaway: boolean};
	readonly color: boolean;
}) {
	// One row even at 60 columns: a long home path is cut, never wrapped.
	return sandbox ? (
		<Text color={makeTheme(color).warning} wrap="truncate-end">
			{sandboxBannerText(sandbox)}
		</Text>
	) : null;
}

/** One line shown under every title while it is set, e.g. "✓ Signed in as …" after a sign-in. */
const NoticeContext = createContext<string | undefined>(undefined);

export function FrameNotice({notice, children}: {readonly notice?: string; readonly children?: ReactNode}) {
	return <NoticeContext.Provider value={notice}>{children}</NoticeContext.Provider>;
}

export type FrameBody = {
	/** Lines the body may use. */
	readonly rows: number;
	/** Columns inside the frame's padding. */
	readonly columns: number;
	/** The body's content box, for a list to find where in the body it starts. */
	readonly node?: {readonly current: DOMElement | null};
};

/** Lines from the top of `ancestor` down to the top of `element` (after this frame's layout). */
export function offsetWithin(element: DOMElement, ancestor: DOMElement): number | undefined {
	let top = 0;
	for (let node: DOMElement | undefined = element; node && node !== ancestor; node = node.parentNode) {
		top += node.yogaNode?.getComputedTop() ?? 0;
		if (!node.parentNode) return undefined;
	}
	return Math.round(top);
}

const BodyContext = createContext<FrameBody | undefined>(undefined);

/** The space a screen's body has; outside a Frame, the whole terminal. */
export function useFrameBody(): FrameBody {
	const size = useTerminalSize();
	return useContext(BodyContext) ?? {rows: Math.max(1, size.rows - 1), columns: Math.max(38, size.columns - 2)};
}

/** Fewest lines a frame's title and footer take (title, blank, blank, one hint line). */
const CHROME_ESTIMATE = 4;

export function frameWidth(columns: number): number {
	return Math.max(40, columns);
}

export function Frame({
	title,
	step,
	children,
	status,
	footer,
}: {
	readonly title: string;
	readonly step?: string;
	readonly children?: ReactNode;
	/** Progress and errors of the step's work: shown under the body, never cut with it. */
	readonly status?: ReactNode;
	readonly footer?: ReactNode;
}) {
	const size = useTerminalSize();
	const theme = useTheme();
	const {sandbox, color} = useServices();
	const notice = useContext(NoticeContext);
	const head = useRef<DOMElement>(null);
	const foot = useRef<DOMElement>(null);
	const content = useRef<DOMElement>(null);
	const [measured, setMeasured] = useState<{readonly chrome: number; readonly content: number} | undefined>(undefined);
	// Ink lays out before effects run, so these are this frame's heights; a change re-renders once.
	// eslint-disable-next-line react-hooks/exhaustive-deps -- measures after every layout; state changes only when the measurement does
	useEffect(() => {
		if (!head.current || !foot.current || !content.current) return;
		const chrome = measureElement(head.current).height + measureElement(foot.current).height;
		const height = measureElement(content.current).height;
		if (measured?.chrome !== chrome || measured.content !== height) setMeasured({chrome, content: height});
	});
	const width = frameWidth(size.columns);
	// Ink redraws in place only while a frame is shorter than the terminal.
	const limit = Math.max(3, size.rows - 1);
	const chrome = measured?.chrome ?? CHROME_ESTIMATE + (notice ? 1 : 0);
	const body: FrameBody = {rows: Math.max(1, limit - chrome), columns: width - 2, node: content};
	const clip = measured !== undefined && measured.content > body.rows;
	return (
		<Box flexDirection="column" width={width} paddingX={1}>
			<Box ref={head} flexDirection="column" flexShrink={0}>
				<SandboxBanner sandbox={sandbox} color={color} />
				<Title step={step}>{title}</Title>
				{notice ? (
					<Box marginTop={-1} marginBottom={1}>
						<Text color={theme.success} wrap="truncate-end">
							{notice}
						</Text>
					</Box>
				) : null}
			</Box>
			<Box flexDirection="column" flexShrink={0} overflowY="hidden" {...(clip ? {height: body.rows} : {})}>
				<Box ref={content} flexDirection="column" flexShrink={0}>
					<BodyContext.Provider value={body}>{children}</BodyContext.Provider>
				</Box>
			</Box>
			<Box ref={foot} flexDirection="column" flexShrink={0}>
				{status}
				{footer}
			</Box>
		</Box>
	);
}
