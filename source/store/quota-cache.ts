// The cache of the last good usage fetch per account (usage/quota-cache.json): a convenience only, so a
// missing or damaged one reads as empty and is rewritten on the next good fetch.
import path from 'node:path';
import {boolean, literal, number, object, optional, record, string, array} from '../core/zod.js';
import type * as z from 'zod/mini';
import {ensurePrivateDir, readPrivateFile, writeFileAtomic} from './secure-fs.js';
import {quotaWindowSchema, usageDir} from './usage-ledger.js';
import {lazySchema} from '../core/lazy-schema.js';

export const QUOTA_CACHE_FILE = 'quota-cache.json';

const cacheEntry = lazySchema(() =>
	object({
		observedAt: number(),
		windows: array(quotaWindowSchema),
		plan: optional(string()),
		credits: optional(
			object({hasCredits: optional(boolean()), unlimited: optional(boolean()), balance: optional(number())}),
		),
	}),
);
export type CacheEntry = z.infer<typeof cacheEntry>;
const cacheSchema = lazySchema(() => object({version: literal(1), entries: record(string(), cacheEntry)}));

export function quotaCachePath(home: string): string {
	return path.join(usageDir(home), QUOTA_CACHE_FILE);
}

/** The cache is only a convenience: a missing or damaged one reads as empty (it is rewritten on the next good fetch). */
export async function readCache(home: string): Promise<Record<string, CacheEntry>> {
	try {
		const text = await readPrivateFile(quotaCachePath(home));
		if (text === undefined) return {};
		const parsed = cacheSchema.safeParse(JSON.parse(text));
		return parsed.success ? parsed.data.entries : {};
	} catch {
		return {};
	}
}

export async function writeCache(home: string, updates: Record<string, CacheEntry>): Promise<void> {
	if (Object.keys(updates).length === 0) return;
	const file = quotaCachePath(home);
	await ensurePrivateDir(usageDir(home));
	const {withFileLock} = await import('./lock.js');
	await withFileLock(file, async (lock) => {
		const current = await readCache(home);
		for (const [key, entry] of Object.entries(updates)) {
			// Another process may have stored a newer fetch meanwhile.
			if (!current[key] || current[key]!.observedAt <= entry.observedAt) current[key] = entry;
		}
		await writeFileAtomic(file, `${JSON.stringify({version: 1, entries: current})}\n`, {
			beforeRename: () => lock.assertStillHeld(),
		});
	});
}
