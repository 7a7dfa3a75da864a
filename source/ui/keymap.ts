// Key meanings shared by every screen, so hints and handlers never disagree.
import type {Key} from 'ink';

export const isQuit = (input: string, key: Key) => key.ctrl && input === 'c';
export const isBack = (_input: string, key: Key) => key.escape;
export const isConfirm = (_input: string, key: Key) => key.return;
export const isUp = (_input: string, key: Key) => key.upArrow;
export const isDown = (_input: string, key: Key) => key.downArrow;
export const isToggle = (input: string, _key: Key) => input === ' ';
export const isErase = (_input: string, key: Key) => key.backspace || key.delete;

/** 1–9 → 0–8, anything else → undefined. */
export function digitIndex(input: string): number | undefined {
	if (input.length !== 1 || input < '1' || input > '9') return undefined;
	return Number(input) - 1;
}

export type Hint = readonly [keys: string, action: string];

export const HINTS = {
	select: ['↑↓', 'select'],
	number: ['1-9', 'pick'],
	confirm: ['enter', 'confirm'],
	back: ['esc', 'back'],
	cancel: ['esc', 'cancel'],
	toggle: ['space', 'toggle'],
	quit: ['ctrl+c', 'quit'],
} as const satisfies Record<string, Hint>;

/** The standard list footer: "↑↓ select · enter confirm · esc back". */
export const LIST_HINTS: readonly Hint[] = [HINTS.select, HINTS.confirm, HINTS.back];
