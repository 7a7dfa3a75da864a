// What a child must inherit to share the test's clock: its time zone, and a faked clock (`npm run test:clock`).
const CLOCK_VARIABLES = ['TZ', 'LD_PRELOAD', 'FAKETIME', 'FAKETIME_DONT_FAKE_MONOTONIC', 'FAKETIME_NO_CACHE'] as const;

export function clockEnv(): Record<string, string> {
	const env: Record<string, string> = {};
	for (const name of CLOCK_VARIABLES) {
		const value = process.env[name];
		if (value !== undefined) env[name] = value;
	}
	return env;
}
