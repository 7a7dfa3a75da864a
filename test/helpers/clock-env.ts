// What a child must inherit to share the test's local time: its time zone (`npm run test:clock` moves it).
const CLOCK_VARIABLES = ['TZ'] as const;

export function clockEnv(): Record<string, string> {
	const env: Record<string, string> = {};
	for (const name of CLOCK_VARIABLES) {
		const value = process.env[name];
		if (value !== undefined) env[name] = value;
	}
	return env;
}
