// A method's task that failed is reported once to the step, which shows the failure menu.
import {useEffect} from 'react';
import type {TaskState} from '../../../hooks/use-task.js';

export type OnFailed = (reason: string, refused: boolean) => void;

/** `onFailed` must be stable (the step passes one built on its dispatch). */
export function useReportFailure(state: TaskState<unknown>, onFailed: OnFailed): void {
	useEffect(() => {
		if (state.status === 'failed') onFailed(state.error, Boolean(state.refused));
	}, [state, onFailed]);
}
