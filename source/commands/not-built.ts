import {UsageError} from '../core/errors.js';

export function notBuilt(command: string): never {
	throw new UsageError(`tui ${command} is not built yet in this version`);
}
