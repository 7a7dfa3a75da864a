// STUB: being filled in.
export async function ensurePrivateDir(dir: string): Promise<void> { void dir; throw new Error('not implemented'); }
export async function writeFileAtomic(file: string, data: string | Uint8Array, options?: {readonly beforeRename?: () => void}): Promise<void> { void file; void data; void options; throw new Error('not implemented'); }
export async function readPrivateFile(file: string): Promise<string | undefined> { void file; throw new Error('not implemented'); }
