// STUB: being filled in.
import type {AuthFile, ProviderId} from '../core/schemas.js';
import type {LockContext} from './lock.js';
export function authFilePath(home: string, provider: ProviderId): string { void home; void provider; throw new Error('not implemented'); }
export async function readAuthFile(home: string, provider: ProviderId): Promise<AuthFile> { void home; void provider; throw new Error('not implemented'); }
export type AuthFileMutation<T> = (file: AuthFile) => Promise<{file: AuthFile; result: T}> | {file: AuthFile; result: T};
export async function updateAuthFile<T>(home: string, provider: ProviderId, mutate: AuthFileMutation<T>): Promise<T> { void home; void provider; void mutate; throw new Error('not implemented'); }
export async function withAuthFileLock<T>(home: string, provider: ProviderId, fn: (lock: LockContext) => Promise<T> | T): Promise<T> { void home; void provider; void fn; throw new Error('not implemented'); }
export async function writeAuthFileLocked(home: string, provider: ProviderId, file: AuthFile, lock?: LockContext): Promise<void> { void home; void provider; void file; void lock; throw new Error('not implemented'); }
