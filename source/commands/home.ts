// `tui`: the onboarding wizard until onboarding is completed (preferences.onboardingCompletedAt), then the
// home screen. Without a terminal the home screen is a plain summary on stdout (exit 0, never waits).
// The menu's Quota entry opens the quota screen in place (one Ink tree, so one screen replaces the other).
import type {CommandContext} from '../app/context.js';

export async function run(ctx: CommandContext): Promise<number> {
	const {readPreferences} = await import('../store/preferences.js');
	const preferences = await readPreferences(ctx.home);
	if (!preferences.onboardingCompletedAt) return (await import('./onboard.js')).run(ctx, {});

	if (!ctx.stdin.isTTY) {
		const [{loadHomeSummary}, {formatHomePlain}] = await Promise.all([
			import('../app/home-summary.js'),
			import('../ui/screens/home/home-text.js'),
		]);
		ctx.stdout.write(formatHomePlain(await loadHomeSummary(ctx.home, ctx.env, ctx.now), ctx.now()));
		return 0;
	}

	const [{runScreen}, {homeScreenElement}, {createRealServices}] = await Promise.all([
		import('../ui/render.js'),
		import('../ui/screens/home/home-screen.js'),
		import('../app/services.js'),
	]);
	const services = createRealServices(ctx);
	const accounts = await (await import('./auth-switch.js')).commandAccountsApi(ctx);
	const quota = {load: async () => (await import('./quota.js')).quotaLoader(ctx)()};
	await runScreen<never>((finish) => homeScreenElement({accounts, quota, onExit: () => finish()}), ctx, {services});
	return 0;
}
