// Ink's tokenizer and slice-ansi each create an Intl.Segmenter as they load, before the first frame: ~15 ms and
// ~2.5 MB, for grapheme clusters that, in nearly every string a screen draws, are single UTF-16 units. This
// stand-in (scripts/build.mjs puts it in their place) answers those strings itself and creates the real segmenter
// the first time a string needs it.
import {OWN_GLYPHS} from './own-glyphs.js';

// Controls (but CR, which joins a following LF), printable ASCII and our own glyphs: no unit here joins its
// neighbour into one grapheme cluster (no combining marks, joiners, variation selectors or surrogates).
const SINGLE_UNITS = new RegExp(`^[\\u0000-\\u000C\\u000E-\\u007E${OWN_GLYPHS}]*$`);

type Segment = {readonly segment: string; readonly index: number; readonly input: string};
type Segments = Iterable<Segment> & {containing(index?: number): Segment | undefined};

class UnitSegments implements Segments {
	constructor(private readonly input: string) {}

	containing(index = 0): Segment | undefined {
		if (index < 0 || index >= this.input.length) return undefined;
		return {segment: this.input[index]!, index, input: this.input};
	}

	*[Symbol.iterator](): Iterator<Segment> {
		for (let index = 0; index < this.input.length; index++)
			yield {segment: this.input[index]!, index, input: this.input};
	}
}

/** Takes the place of `new Intl.Segmenter(locale, {granularity: 'grapheme'})`. */
export function graphemeSegmenter(locales?: string | string[], options?: Intl.SegmenterOptions) {
	let real: Intl.Segmenter | undefined;
	return {
		segment(input: string): Segments {
			if (SINGLE_UNITS.test(input)) return new UnitSegments(input);
			return (real ??= new Intl.Segmenter(locales, options)).segment(input);
		},
	};
}
