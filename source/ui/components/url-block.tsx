// A URL the user may need to copy by hand: printed whole, from the first column, in full-width pieces
// with nothing between them, so the screen's rows joined give the URL back; an OSC 8 link where the
// terminal shows them, so a click opens the whole URL however it is cut.
import {Box, Text} from 'ink';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {useServices} from '../services.js';
import {useTheme} from '../theme.js';
import {frameWidth} from './frame.js';

/** The rows a URL takes at this width. */
export function urlRows(url: string, columns: number): string[] {
	const width = Math.max(1, columns);
	const rows: string[] = [];
	for (let at = 0; at < url.length; at += width) rows.push(url.slice(at, at + width));
	return rows.length > 0 ? rows : [''];
}

/** The OSC 8 form of one piece: every piece links to the whole URL, under one id. */
function linked(piece: string, url: string, id: string): string {
	return `\u001B]8;id=${id};${url}\u0007${piece}\u001B]8;;\u0007`;
}

export function UrlBlock({url, id = 'tui-url'}: {readonly url: string; readonly id?: string}) {
	const {links} = useServices();
	const {columns} = useTerminalSize();
	const theme = useTheme();
	const width = frameWidth(columns);
	// Only characters a URL may hold reach the terminal.
	const safe = url.replace(/[^\u0021-\u007E]/g, '');
	return (
		<Box flexDirection="column" marginLeft={-1} width={width} flexShrink={0}>
			{urlRows(safe, width).map((piece, index) => (
				<Text key={index} color={theme.accent} wrap="truncate-end">
					{links ? linked(piece, safe, id) : piece}
				</Text>
			))}
		</Box>
	);
}
