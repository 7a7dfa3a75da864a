// Quota alerts for hosts: a monitor that gathers now and then and emits each crossing of a threshold once.
import {EventEmitter} from 'node:events';
import type {AlertLevel} from '../core/quota.js';
import type {ProviderId} from '../core/schemas.js';
import type {GatherOptions, QuotaAlert, QuotaReport} from '../store/quota.js';
import {gatherQuota} from './quota.js';

export type QuotaMonitorOptions = GatherOptions & {
	/** Milliseconds between checks once started; default 60 s. */
	readonly intervalMs?: number;
};

export type QuotaMonitorEvents = {
	alert: [QuotaAlert];
	/** An alert's figure fell back below its lowest threshold (e.g. the window reset). */
	clear: [{provider: ProviderId; account: string; kind: 'window' | 'budget'; name: string}];
	update: [QuotaReport];
	error: [Error];
};

const LEVEL_RANK: Readonly<Record<AlertLevel, number>> = {ok: 0, warning: 1, critical: 2, exhausted: 3};

/**
 * Emits 'alert' once per crossing: when a window or budget rises to a higher level than last seen. It emits
 * again only after the figure rises further, or after it fell back below the thresholds ('clear') and crosses again.
 */
export class QuotaMonitor extends EventEmitter<QuotaMonitorEvents> {
	private readonly levels = new Map<string, AlertLevel>();
	private timer: NodeJS.Timeout | undefined;
	private running: Promise<QuotaReport | undefined> | undefined;

	constructor(private readonly options: QuotaMonitorOptions) {
		super();
	}

	/** Feeds a report (from gatherQuota or elsewhere) and emits what it crossed. */
	update(report: QuotaReport): void {
		const seen = new Set<string>();
		for (const alert of report.alerts) {
			const key = `${alert.provider}/${alert.account}/${alert.kind}/${alert.name}`;
			seen.add(key);
			const before = this.levels.get(key) ?? 'ok';
			this.levels.set(key, alert.level);
			if (LEVEL_RANK[alert.level] > LEVEL_RANK[before]) this.emit('alert', alert);
		}
		for (const key of [...this.levels.keys()]) {
			if (seen.has(key)) continue;
			this.levels.delete(key);
			const [provider, account, kind, ...name] = key.split('/');
			this.emit('clear', {
				provider: provider as ProviderId,
				account: account!,
				kind: kind as 'window' | 'budget',
				name: name.join('/'),
			});
		}
		this.emit('update', report);
	}

	/** Gathers once (no overlapping runs) and feeds the result to update(). */
	async check(): Promise<QuotaReport | undefined> {
		this.running ??= gatherQuota(this.options)
			.then((report) => {
				this.update(report);
				return report;
			})
			.catch((error: unknown) => {
				if (this.listenerCount('error') > 0)
					this.emit('error', error instanceof Error ? error : new Error(String(error)));
				return undefined;
			})
			.finally(() => {
				this.running = undefined;
			});
		return this.running;
	}

	/** Checks now and then every intervalMs; the timer never keeps the process alive. */
	start(): this {
		if (this.timer) return this;
		void this.check();
		this.timer = setInterval(() => void this.check(), this.options.intervalMs ?? 60_000);
		this.timer.unref();
		this.options.signal?.addEventListener('abort', () => this.stop(), {once: true});
		return this;
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
	}
}

export function createQuotaMonitor(options: QuotaMonitorOptions): QuotaMonitor {
	return new QuotaMonitor(options);
}
