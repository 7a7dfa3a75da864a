// Long work (validation, login, saving) with an AbortSignal: idle → running → done | failed.
// Starting again aborts the previous run; unmounting aborts the current one, and results that
// arrive after an abort are dropped so a screen never updates after it is gone.
import {describeFsError} from '../../core/fs-errors.js';
import {useCallback, useEffect, useRef, useState} from 'react';

export type TaskState<T> =
	| {readonly status: 'idle'}
	| {readonly status: 'running'}
	| {readonly status: 'done'; readonly value: T}
	/** `refused`: the work said no to this input or setup (a usage error), so trying again gives the same answer. */
	| {readonly status: 'failed'; readonly error: string; readonly refused?: boolean};

export type Task<T, A extends readonly unknown[]> = {
	readonly state: TaskState<T>;
	/** Resolves with the value, or undefined when it failed or was aborted. */
	readonly run: (...args: A) => Promise<T | undefined>;
	readonly abort: () => void;
	readonly reset: () => void;
};

export function errorMessage(error: unknown): string {
	const text = describeFsError(error) ?? (error instanceof Error ? error.message : String(error));
	return text.split('\n')[0] ?? 'failed';
}

/** A usage refusal (exit code 2), not a failure that may pass on a retry. */
export function isRefusal(error: unknown): boolean {
	return typeof error === 'object' && error !== null && (error as {exitCode?: unknown}).exitCode === 2;
}

export function useTask<T, A extends readonly unknown[] = []>(
	work: (signal: AbortSignal, ...args: A) => Promise<T>,
): Task<T, A> {
	const [state, setState] = useState<TaskState<T>>({status: 'idle'});
	const controller = useRef<AbortController | undefined>(undefined);
	const workRef = useRef(work);
	workRef.current = work;

	const abort = useCallback(() => {
		controller.current?.abort(new Error('cancelled'));
		controller.current = undefined;
	}, []);

	const run = useCallback(
		async (...args: A): Promise<T | undefined> => {
			abort();
			const own = new AbortController();
			controller.current = own;
			setState({status: 'running'});
			try {
				const value = await workRef.current(own.signal, ...args);
				if (own.signal.aborted) return undefined;
				controller.current = undefined;
				setState({status: 'done', value});
				return value;
			} catch (error) {
				if (own.signal.aborted) return undefined;
				controller.current = undefined;
				setState({status: 'failed', error: errorMessage(error), ...(isRefusal(error) ? {refused: true} : {})});
				return undefined;
			}
		},
		[abort],
	);

	const reset = useCallback(() => {
		abort();
		setState({status: 'idle'});
	}, [abort]);

	useEffect(() => abort, [abort]);

	return {state, run, abort, reset};
}
