// STUB: being filled in.
import type {Preferences} from '../core/schemas.js';
export function preferencesPath(home: string): string { void home; throw new Error('not implemented'); }
export async function readPreferences(home: string): Promise<Preferences> { void home; throw new Error('not implemented'); }
export async function updatePreferences(home: string, mutate: (p: Preferences) => Preferences): Promise<Preferences> { void home; void mutate; throw new Error('not implemented'); }
