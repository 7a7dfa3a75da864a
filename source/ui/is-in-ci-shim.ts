// Ink draws no frames until exit when it detects CI. A person (or a test) at a real terminal still needs
// them, so CI only counts when stdout is not a terminal. Aliased for `is-in-ci` in scripts/build.mjs.
const env = process.env;
const flagged =
	env.CI !== '0' &&
	env.CI !== 'false' &&
	('CI' in env || 'CONTINUOUS_INTEGRATION' in env || Object.keys(env).some((key) => key.startsWith('CI_')));

export default flagged && !process.stdout.isTTY;
