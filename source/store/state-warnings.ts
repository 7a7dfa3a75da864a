// Things in the home that need the user and that no single command owns: files set aside as damaged
// (`*.corrupt-*`) and auth-file content this version cannot use. Named by every command until dealt with.
import {readdirSync} from 'node:fs';
import path from 'node:path';
import {PROVIDER_IDS} from '../core/schemas.js';
import {authFileProblems, readAuthFile} from './auth-file.js';

const FOLDERS = ['', 'auth', 'usage', 'sessions'];

/** The `.corrupt-*` copies in the home, oldest first. Synchronous and cheap: a few readdirs. */
export function quarantinedFiles(home: string): string[] {
	const found: string[] = [];
	for (const folder of FOLDERS) {
		const dir = path.join(home, folder);
		let names: string[];
		try {
			names = readdirSync(dir);
		} catch {
			continue;
		}
		for (const name of names.sort()) if (/\.corrupt-\d{4}-/.test(name)) found.push(path.join(dir, name));
	}
	return found;
}

export function quarantineWarning(file: string): string {
	return `${file} is a damaged file tui set aside; check it for anything you need, then delete it (rm '${file}')`;
}

/** One line per quarantined file and per unusable part of an auth file. Never throws. */
export async function stateWarnings(home: string): Promise<string[]> {
	const lines = quarantinedFiles(home).map(quarantineWarning);
	for (const provider of PROVIDER_IDS) {
		const file = await readAuthFile(home, provider).catch(() => undefined);
		if (file) lines.push(...authFileProblems(home, provider, file));
	}
	return lines;
}
