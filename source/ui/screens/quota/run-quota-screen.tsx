// Mounts the quota screen on the command's streams and resolves when the user quits (or the signal aborts).
import {renderScreen, type ScreenStreams} from '../../render.js';
import {QuotaScreen, type QuotaScreenProps} from './quota-screen.js';

export async function runQuotaScreen(streams: ScreenStreams, props: QuotaScreenProps): Promise<void> {
	const screen = renderScreen(<QuotaScreen {...props} />, streams, {exitOnCtrlC: false, nonInteractiveHint: '--json or --line'});
	await screen.waitUntilExit();
}
