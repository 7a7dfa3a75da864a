// STUB: being filled in.
import type {Account, AuthFile} from './schemas.js';
export type NewAccountInput = Account extends infer A ? (A extends Account ? Omit<A, 'id' | 'createdAt' | 'lastUsedAt'> : never) : never;
export type AddAccountDeps = {readonly now: number | Date; readonly newId: () => string};
export function addAccount(file: AuthFile, input: NewAccountInput, deps: AddAccountDeps): {file: AuthFile; account: Account} { void file; void input; void deps; throw new Error('not implemented'); }
export function removeAccount(file: AuthFile, idOrLabel: string): {file: AuthFile; removed: Account} { void file; void idOrLabel; throw new Error('not implemented'); }
export function setActive(file: AuthFile, idOrLabel: string): AuthFile { void file; void idOrLabel; throw new Error('not implemented'); }
export function renameAccount(file: AuthFile, idOrLabel: string, newLabel: string): AuthFile { void file; void idOrLabel; void newLabel; throw new Error('not implemented'); }
export function findAccount(file: AuthFile, idOrLabel: string): Account | undefined { void file; void idOrLabel; throw new Error('not implemented'); }
export function activeAccount(file: AuthFile): Account | undefined { void file; throw new Error('not implemented'); }
export function replaceAccount(file: AuthFile, account: Account): AuthFile { void file; void account; throw new Error('not implemented'); }
export function markUsed(file: AuthFile, id: string, now: number | Date): AuthFile { void file; void id; void now; throw new Error('not implemented'); }
