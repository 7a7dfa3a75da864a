// Ink's useInput subscribes in a passive effect, which runs after the frame is drawn. A key typed in that gap
// reaches the handler of the screen that was just replaced, and is lost. useKeys marks which handlers are live
// at commit time (a layout effect, before any stdin event can run) and hands keys that reach a replaced
// handler to the screen that replaced it, once that screen subscribes.
import {useEffect, useId, useLayoutEffect, useRef} from 'react';
import {useInput, type Key} from 'ink';

type Handler = (input: string, key: Key) => void;

const live = new Set<string>();
let pending: Array<readonly [string, Key]> = [];
// One stdin chunk reaches every subscribed handler; queue it once.
let queuedThisTick = false;

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
		};
	}, [id, isActive]);
	useEffect(() => {
		if (!isActive || pending.length === 0) return;
		const queued = pending;
		pending = [];
		for (const [input, key] of queued) latest.current(input, key);
	}, [isActive]);
	useInput(
		(input, key) => {
			if (live.has(id)) {
				latest.current(input, key);
				return;
			}
			holdForNext(input, key);
		},
		{isActive},
	);
}

/** A key that reached no live handler: kept once (one chunk reaches every subscriber) for the next screen. */
function holdForNext(input: string, key: Key): void {
	if (queuedThisTick) return;
	queuedThisTick = true;
	queueMicrotask(() => {
		queuedThisTick = false;
	});
	pending.push([input, key]);
}

/**
 * For a screen still loading, which has no keys of its own yet: keys typed now are kept, and the screen that
 * replaces it gets them when it subscribes (a space typed as the list appears is not lost).
 */
export function useHoldKeys(isActive = true): void {
	useInput(holdForNext, {isActive});
}
