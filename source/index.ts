// The library face: what host apps import.
export * from './core/schemas.js';
export {TuiError, UsageError, CorruptFileError} from './core/errors.js';
