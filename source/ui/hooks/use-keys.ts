// Ink's useInput subscribes in a passive effect, which runs after the frame is drawn. A key typed in that gap
// reaches only handlers that were subscribed before it (the screen just replaced, a global quit key), and the
// new screen would never see it. useKeys marks which handlers are live at commit time (a layout effect, before
// any stdin event can run) and which have subscribed since; a key that arrives while a live handler has not
// subscribed yet, or that reaches a replaced one, is kept and handed to the next handler that subscribes.
import {useEffect, useId, useLayoutEffect, useRef} from 'react';
import {useInput, type Key} from 'ink';

type Handler = (input: string, key: Key) => void;

const live = new Set<string>();
const subscribed = new Set<string>();
let pending: Array<readonly [string, Key]> = [];
// One stdin chunk reaches every subscribed handler; keep it once.
let keptThisTick = false;

export function useKeys(handler: Handler, options: {readonly isActive?: boolean} = {}): void {
	const isActive = options.isActive ?? true;
	const id = useId();
	const latest = useRef(handler);
	useLayoutEffect(() => {
		latest.current = handler;
	});
	useLayoutEffect(() => {
		if (!isActive) return;
		live.add(id);
		return () => {
			live.delete(id);
			subscribed.delete(id);
		};
	}, [id, isActive]);
	useInput(
		(input, key) => {
			if (live.has(id)) latest.current(input, key);
			if (!live.has(id) || awaitingSubscription()) keepForNext(input, key);
		},
		{isActive},
	);
	// After useInput's own effect, so this handler is subscribed when it takes the kept keys.
	useEffect(() => {
		if (!isActive) return;
		subscribed.add(id);
		const kept = pending;
		pending = [];
		for (const [input, key] of kept) latest.current(input, key);
	}, [id, isActive]);
}

function awaitingSubscription(): boolean {
	for (const id of live) if (!subscribed.has(id)) return true;
	return false;
}

/** A key that a live handler has not subscribed for yet: kept once (one chunk reaches every subscriber). */
function keepForNext(input: string, key: Key): void {
	if (keptThisTick) return;
	keptThisTick = true;
	queueMicrotask(() => {
		keptThisTick = false;
	});
	pending.push([input, key]);
}

/**
 * For a screen still loading, which has no keys of its own yet: keys typed now are kept, and the screen that
 * replaces it gets them when it subscribes (a space typed as the list appears is not lost).
 */
export function useHoldKeys(isActive = true): void {
	useInput(keepForNext, {isActive});
}
