// The characters our screens draw besides ASCII: Latin-1, general punctuation, arrows, box drawing, block
// elements, the geometric and dingbat glyphs we use (●○★☆✓✗) and braille (spinners). Each is one column wide,
// never emoji presentation, and its own grapheme cluster: the fast paths for width and segmentation rely on it.
export const OWN_GLYPHS =
	'\\u00A0-\\u00FF\\u2010-\\u2027\\u2030-\\u205E\\u2190-\\u21FF\\u2500-\\u259F\\u25CB\\u25CF\\u2605\\u2606\\u2713\\u2717\\u2800-\\u28FF';
