import type { AppDeps } from '../app-env';
import { runInvoiceOverdue } from './invoice-overdue';
import { runLicensesExpiring } from './licenses-expiring';
import { runAuditRetention } from './audit-retention';

const HOUR = 3_600_000;

const JOBS = [
  { name: 'invoice overdue check', run: runInvoiceOverdue },
  { name: 'licenses expiring check', run: runLicensesExpiring },
  { name: 'audit log retention', run: runAuditRetention },
];

/** Runs the daily checks now and then every hour (each is idempotent: its emails are keyed by day or event). */
export function startDailyJobs(deps: AppDeps, opts: { intervalMs?: number } = {}): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      for (const job of JOBS) {
        try {
          await job.run(deps);
        } catch (err) {
          deps.logger.error({ err }, `${job.name} failed`);
        }
      }
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(tick, opts.intervalMs ?? HOUR);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
