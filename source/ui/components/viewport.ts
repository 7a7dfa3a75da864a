// Which items of a list fit in a number of lines, keeping the highlighted one in view. Pure, so the
// list and its tests agree on it; heights are counted the way Ink wraps text (by words, long words cut).
import stringWidth from 'string-width';

/** Lines `text` takes when word-wrapped at `width` columns. */
export function wrappedLines(text: string, width: number): number {
	const columns = Math.max(1, width);
	let lines = 0;
	for (const paragraph of text.split('\n')) {
		let used = 0;
		let count = 1;
		for (const word of paragraph.split(' ')) {
			const w = stringWidth(word);
			const need = used === 0 ? w : used + 1 + w;
			if (need <= columns) {
				used = need;
				continue;
			}
			if (used > 0) count++;
			// A word wider than a line is cut across lines.
			count += Math.max(0, Math.ceil(w / columns) - 1);
			used = w % columns || (w === 0 ? 0 : columns);
		}
		lines += count;
	}
	return lines;
}

export type ListWindow = {
	readonly start: number;
	/** One past the last shown item. */
	readonly end: number;
	/** Lines of the "more above" / "more below" markers (0 or 1 each). */
	readonly above: boolean;
	readonly below: boolean;
};

/**
 * The items [start, end) to show within maxRows lines, markers included, with `highlighted` among them.
 * `previousStart` keeps the list from jumping: it moves only as far as the cursor needs.
 */
export function listWindow(
	heights: readonly number[],
	highlighted: number,
	maxRows: number,
	previousStart = 0,
): ListWindow {
	const total = heights.reduce((sum, h) => sum + h, 0);
	if (total <= maxRows || heights.length === 0) return {start: 0, end: heights.length, above: false, below: false};
	const cursor = Math.min(Math.max(highlighted, 0), heights.length - 1);
	const fits = (start: number, end: number) => {
		let used = (start > 0 ? 1 : 0) + (end < heights.length ? 1 : 0);
		for (let i = start; i < end; i++) used += heights[i]!;
		return used <= maxRows;
	};
	let start = Math.min(Math.max(0, previousStart), cursor);
	// Scroll down until the cursor's item fits below start.
	while (start < cursor && !fits(start, cursor + 1)) start++;
	let end = cursor + 1;
	while (end < heights.length && fits(start, end + 1)) end++;
	// Room left at the bottom: show more above instead.
	while (start > 0 && fits(start - 1, end)) start--;
	return {start, end, above: start > 0, below: end < heights.length};
}
