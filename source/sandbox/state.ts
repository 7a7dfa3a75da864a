// One JSON file of sandbox state in its state folder, so what one sandbox process issued stays valid in the
// next one. Without a folder it is memory only. Writes are atomic and in order; a folder removed by
// `tui reset` makes them fail quietly (the sandbox then forgets, as it should).
import path from 'node:path';
import {readPrivateFile, writeFileAtomic} from '../store/secure-fs.js';

export type StateFile<T> = {
	load(): Promise<T | undefined>;
	/** Queues a write of this value; later calls win. */
	save(value: T): void;
	/** Resolves when every queued write is done. */
	flush(): Promise<void>;
};

export function stateFile<T>(dir: string | undefined, name: string): StateFile<T> {
	let queue = Promise.resolve();
	let next: T | undefined;
	let pending = false;
	const file = dir ? path.join(dir, name) : undefined;
	return {
		async load() {
			if (!file) return undefined;
			try {
				const text = await readPrivateFile(file);
				return text === undefined ? undefined : (JSON.parse(text) as T);
			} catch {
				// A damaged state file: start empty rather than refuse to run the sandbox.
				return undefined;
			}
		},
		save(value) {
			if (!file) return;
			next = value;
			if (pending) return;
			pending = true;
			queue = queue.then(async () => {
				pending = false;
				await writeFileAtomic(file, JSON.stringify(next)).catch(() => {});
			});
		},
		flush: () => queue,
	};
}
