import {UsageError} from '../core/errors.js';

export type Sandbox = {readonly env: Record<string, string>; close(): Promise<void>};

export async function startSandbox(_options: {port?: number}): Promise<Sandbox> {
	throw new UsageError('the sandbox is not built yet in this version');
}
