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
			if (queuedThisTick) return;
			queuedThisTick = true;
			queueMicrotask(() => {
				queuedThisTick = false;
			});
			pending.push([input, key]);
		},
		{isActive},
	);
}
