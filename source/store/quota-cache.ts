// The cache of the last good usage fetch per account (usage/quota-cache.json): a convenience only, so a
// missing or damaged one reads as empty and is rewritten on the next good fetch.
import path from 'node:path';
import {checkShape, shape, type Infer} from '../core/shape.js';
import {ensurePrivateDir, readPrivateFile, writeFileAtomic} from './secure-fs.js';
import {quotaWindowShape, storedCreditsShape, usageDir} from './usage-ledger.js';

export const QUOTA_CACHE_FILE = 'quota-cache.json';

const cacheEntryShape = shape.object({
	observedAt: shape.number(),
	windows: shape.array(quotaWindowShape),
	plan: shape.optional(shape.string()),
	credits: storedCreditsShape,
});
export type CacheEntry = Infer<typeof cacheEntryShape>;
const cacheShape = shape.object({version: shape.literal(1), entries: shape.record(cacheEntryShape)});

export function quotaCachePath(home: string): string {
	return path.join(usageDir(home), QUOTA_CACHE_FILE);
}

/** The cache is only a convenience: a missing or damaged one reads as empty (it is rewritten on the next good fetch). */
export async function readCache(home: string): Promise<Record<string, CacheEntry>> {
	try {
		const text = await readPrivateFile(quotaCachePath(home));
		if (text === undefined) return {};
		const parsed = checkShape(cacheShape, JSON.parse(text));
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
