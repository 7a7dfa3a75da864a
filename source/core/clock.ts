// Time as the callers give it: a fixed instant (epoch ms), a clock function, or nothing for the real clock.
// One reading rule, so a frozen clock (TUI_NOW, tests) reaches every layer the same way.

export type Now = number | (() => number);

export function readClock(now: Now | undefined): number {
	return typeof now === 'function' ? now() : (now ?? Date.now());
}
