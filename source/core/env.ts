// The process environment as every layer reads it: given, never read from process.env below the entry.
export type Env = Readonly<Record<string, string | undefined>>;

/** NO_COLOR (any non-empty value) or TERM=dumb turns colour off; FORCE_COLOR=0 too. */
export function colorFromEnv(env: Env, isTTY: boolean): boolean {
	if (env.NO_COLOR) return false;
	if (env.FORCE_COLOR === '0') return false;
	if (env.FORCE_COLOR) return true;
	if (env.TERM === 'dumb') return false;
	return isTTY;
}
