// Colours by role. Colour only ever repeats what text already says (markers, words), so NO_COLOR
// loses nothing; the flag comes from services, decided once by the command.
import {useServices} from './services.js';

export type Theme = {
	readonly color: boolean;
	readonly accent: string | undefined;
	readonly success: string | undefined;
	readonly warning: string | undefined;
	readonly danger: string | undefined;
	readonly muted: string | undefined;
	/** Dimmed text is readable without colour too. */
	readonly dim: boolean;
};

export function makeTheme(color: boolean): Theme {
	return {
		color,
		accent: color ? 'cyan' : undefined,
		success: color ? 'green' : undefined,
		warning: color ? 'yellow' : undefined,
		danger: color ? 'red' : undefined,
		muted: color ? 'gray' : undefined,
		dim: color,
	};
}

export {colorFromEnv} from '../core/env.js';

export function useTheme(): Theme {
	return makeTheme(useServices().color);
}
