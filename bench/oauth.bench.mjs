// OAuth against the sandbox: callback received → tokens stored (login engine events), and 20 processes
// resolving one expired token at once (refresh requests at the sandbox, wall time from the go signal).
import {spawnSync} from 'node:child_process';
import {median, percentile} from './lib.mjs';

export default async function () {
	const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/oauth-driver.ts', '20', '20'], {
		encoding: 'utf8',
		timeout: 300_000,
	});
	if (result.status !== 0) throw new Error(`oauth bench driver failed: ${result.stderr}`);
	const {callbackToStored, refresh} = JSON.parse(result.stdout.trim().split('\n').at(-1));
	const ok = refresh.requests === 1 && refresh.allUsable && refresh.distinctTokens === 1;
	return [
		{
			name: 'OAuth callback received → tokens stored (median of 20 sandbox logins; p95)',
			value: `${median(callbackToStored).toFixed(1)} ms (p95 ${percentile(callbackToStored, 95).toFixed(1)})`,
		},
		{
			name: `${refresh.processes} processes resolve one expired token: refresh requests`,
			value: String(refresh.requests),
			goal: '1',
			check: {measured: ok ? 1 : 2, limit: 1},
		},
		{
			name: `${refresh.processes} processes resolve one expired token: wall time from go`,
			value: `${refresh.wallMs.toFixed(0)} ms`,
			...(ok ? {} : {goal: 'all usable, one token', check: {measured: 2, limit: 1}}),
		},
	];
}
