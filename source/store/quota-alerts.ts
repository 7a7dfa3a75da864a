// The alerts of the quota picture: each window and each daily budget past one of its alert percents.
import type {AlertLevel} from '../core/quota.js';
import type {ProviderQuota, QuotaAlert} from './quota-view.js';

export function alertsOf(providers: readonly ProviderQuota[]): QuotaAlert[] {
	const alerts: QuotaAlert[] = [];
	for (const p of providers) {
		for (const a of p.accounts) {
			for (const w of a.windows) {
				if (w.level === 'ok') continue;
				const threshold = thresholdOf(w.usedPercent, w.level, a.spend.alertPercents);
				alerts.push({
					provider: p.provider,
					account: a.id,
					label: a.label,
					kind: 'window',
					name: w.name,
					percent: w.usedPercent,
					level: w.level,
					threshold,
					message: `${p.name} ${a.label}: ${w.name} window at ${Math.round(w.usedPercent)}%${w.level === 'exhausted' ? ' (exhausted)' : ` (≥ ${threshold}%)`}${w.stale ? ', stale' : ''}`,
				});
			}
			const s = a.spend;
			if (s.level !== 'ok' && s.percent !== undefined && s.maxCostPerDay !== undefined) {
				const threshold = thresholdOf(s.percent, s.level, s.alertPercents);
				alerts.push({
					provider: p.provider,
					account: a.id,
					label: a.label,
					kind: 'budget',
					name: 'daily spend',
					percent: s.percent,
					level: s.level,
					threshold,
					message: `${p.name} ${a.label}: spent $${s.today.costUsd.toFixed(2)} of $${s.maxCostPerDay.toFixed(2)} today (${Math.round(s.percent)}%)`,
				});
			}
		}
	}
	return alerts;
}

function thresholdOf(percent: number, level: AlertLevel, alertPercents: readonly number[]): number {
	if (level === 'exhausted') return 100;
	const crossed = [...alertPercents].filter((p) => percent >= p).sort((a, b) => b - a);
	return crossed[0] ?? 100;
}
