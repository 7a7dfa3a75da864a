// A line with a hanging indent: wrapped text stays under its own start, not under the mark.
import {Box, Text} from 'ink';

export function Bullet({
	mark,
	children,
	color,
	bold,
}: {
	readonly mark: string;
	readonly children: string;
	readonly color?: string;
	readonly bold?: boolean;
}) {
	return (
		<Box>
			<Box flexShrink={0}>
				<Text color={color} bold={bold}>
					{mark}
				</Text>
			</Box>
			<Box flexShrink={1}>
				<Text wrap="wrap" color={color} bold={bold}>
					{children}
				</Text>
			</Box>
		</Box>
	);
}
