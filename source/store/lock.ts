// STUB: being filled in.
export type LockContext = {readonly signal: AbortSignal; assertStillHeld(): void};
export type LockOptions = {readonly staleMs?: number; readonly updateMs?: number; readonly timeoutMs?: number};
export async function withFileLock<T>(file: string, fn: (lock: LockContext) => Promise<T> | T, options?: LockOptions): Promise<T> { void file; void fn; void options; throw new Error('not implemented'); }
