import type { AppDeps } from '../app-env';
import { sha256 } from '../auth/hash';
import { groupedOrgTx } from '../store/docs';
import { auditValue, recordAudit, SERVER_ACTOR } from '../audit/record';
import { leaseDueOutbox, recordOutboxDelivery, requeueLeasedOutbox, type OutboxRow } from '../store/outbox';
import type { OutboxStatus } from './outbox';
import { afterFailure, errorText, retryPolicy } from './retry-policy';
import { renderAttachments } from './attachments';

export interface OutboxWorkerOptions {
  /** How often due rows are looked for without a wake-up (retries after backoff). */
  intervalMs?: number;
  batchSize?: number;
  /** Retry n waits baseDelayMs·2ⁿ, at most maxDelayMs (retry-policy.ts). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long temporary failures are retried; MAIL_RETRY_HOURS when absent. */
  retryWindowMs?: number;
  /** How long a leased row is left to its sender before another worker may take it over. */
  leaseMs?: number;
  /**
   * Put rows leased before start-up back in the queue at once. Right for SQLite, where only
   * one server process uses the file, so a leased row at start-up belongs to a crashed run.
   */
  recover?: boolean;
}

export interface OutboxWorker {
  /** Stops polling and waits for the pass in progress. */
  stop(): Promise<void>;
  /** Sends everything due now; resolves when nothing due is left. */
  drain(): Promise<void>;
  /** Looks for due mail now (after an enqueue committed). */
  wake(): void;
}

type Row = OutboxRow;

/**
 * Sends the outbox. At least once: a row is marked sent only after the SMTP server took
 * it, so a crash in between sends it again later with the same Message-ID (derived from
 * its dedupe key), which lets a duplicate be recognised.
 */
export function startOutboxWorker(deps: AppDeps, opts: OutboxWorkerOptions = {}): OutboxWorker {
  const { store, mailer, clock, config, logger } = deps;
  const intervalMs = opts.intervalMs ?? 1000;
  const batchSize = opts.batchSize ?? 50;
  const policy = retryPolicy(config.MAIL_RETRY_HOURS, {
    ...(opts.baseDelayMs !== undefined ? { baseDelayMs: opts.baseDelayMs } : {}),
    ...(opts.maxDelayMs !== undefined ? { maxDelayMs: opts.maxDelayMs } : {}),
    ...(opts.retryWindowMs !== undefined ? { windowMs: opts.retryWindowMs } : {}),
  });
  const leaseMs = opts.leaseMs ?? 60_000;
  const recover = opts.recover ?? store.dialect === 'sqlite';

  let stopped = false;
  let tail: Promise<unknown> = Promise.resolve();
  let pending: Promise<number> | null = null;

  async function lease(): Promise<Row[]> {
    const now = clock.now();
    return leaseDueOutbox(store, now.toISOString(), batchSize, new Date(now.getTime() + leaseMs).toISOString());
  }

  async function record(
    row: Row,
    patch: { status: OutboxStatus; attempts: number; lastError: string | null; nextAttemptAt: string; sentAt: string | null },
  ) {
    const update = (tx: typeof store.db) => recordOutboxDelivery(tx, row.id, patch);
    if (row.org_id === null) {
      await update(store.db);
      return;
    }
    // Deliveries of one pass record together: one transaction (one fsync) for an organization's rows.
    await groupedOrgTx(store, row.org_id, () => clock.now(), async (w) => {
      await update(w.tx);
      if (!row.notification_id) return;
      const doc = await w.get('notifications', row.notification_id);
      if (!doc || doc._deleted) return;
      const { lastError: _l, sentAt: _s, nextAttemptAt: _n, ...rest } = doc;
      // The log shows the latest state only; `sending` is still queued to a reader. A waiting
      // email says why (lastError) and when it is tried next.
      const waiting = patch.status === 'queued' && patch.lastError !== null;
      await w.put('notifications', {
        ...rest,
        status: patch.status === 'sending' ? 'queued' : patch.status,
        attempts: patch.attempts,
        ...(patch.lastError ? { lastError: patch.lastError } : {}),
        ...(patch.sentAt ? { sentAt: patch.sentAt } : {}),
        ...(waiting ? { nextAttemptAt: patch.nextAttemptAt } : {}),
      });
      // DESIGN §15: an email sent (or printed to the log without SMTP) or given up on is recorded.
      if (patch.status === 'sent' || patch.status === 'held' || patch.status === 'failed') {
        await recordAudit(w, {
          kind: patch.status === 'failed' ? 'email-failed' : 'email-sent',
          actor: SERVER_ACTOR,
          collection: 'notifications',
          docId: doc.id,
          changes: [{ field: 'status', before: auditValue(doc.status), after: auditValue(patch.status) }],
          summary:
            patch.status === 'failed'
              ? `Email “${row.subject}” to ${row.recipient} failed: ${patch.lastError ?? 'unknown error'}`
              : `Email “${row.subject}” ${patch.status === 'held' ? 'printed to the log (no SMTP)' : 'sent'} to ${row.recipient}`,
        });
      }
    });
  }

  async function deliver(row: Row) {
    const attempts = row.attempts + 1;
    try {
      const attachments = await renderAttachments(deps, row.org_id, row.attachments);
      await mailer.send({
        from: config.MAIL_FROM,
        to: row.recipient,
        subject: row.subject,
        text: row.text,
        html: row.html,
        messageId: `<${sha256(row.dedupe_key)}@allot>`,
        ...(attachments.length ? { attachments } : {}),
      });
    } catch (err) {
      const now = clock.now();
      const next = afterFailure(err, attempts, new Date(row.retry_from ?? row.created_at), now, policy);
      const failed = next.give === 'up';
      const nextAttemptAt = next.give === 'another-try' ? next.at.toISOString() : now.toISOString();
      logger.warn(
        { to: row.recipient, topic: row.topic, attempts, failed, nextAttemptAt: failed ? undefined : nextAttemptAt, err: errorText(err) },
        failed ? 'email not sent: given up' : 'email not sent: waiting to try again',
      );
      await record(row, { status: failed ? 'failed' : 'queued', attempts, lastError: errorText(err), nextAttemptAt, sentAt: null });
      return;
    }
    const nowIso = clock.now().toISOString();
    await record(row, {
      status: mailer.kind === 'log' ? 'held' : 'sent',
      attempts,
      lastError: null,
      nextAttemptAt: nowIso,
      sentAt: nowIso,
    });
  }

  async function onePass(): Promise<number> {
    const rows = await lease();
    await Promise.all(
      rows.map((r) =>
        deliver(r).catch((err) => {
          // The row stays leased and is retried when the lease ends: never lost, maybe sent twice.
          logger.error({ err, id: r.id }, 'outbox: could not record a delivery');
        }),
      ),
    );
    return rows.length;
  }

  /** Passes run one at a time; callers arriving while one waits share it. */
  function pass(): Promise<number> {
    if (pending) return pending;
    const p = tail.then(async () => {
      pending = null;
      if (stopped) return 0;
      try {
        return await onePass();
      } catch (err) {
        logger.error({ err }, 'outbox pass failed');
        return 0;
      }
    });
    pending = p;
    tail = p;
    return p;
  }

  if (recover) {
    tail = requeueLeasedOutbox(store.db, clock.now().toISOString()).catch((err) => logger.error({ err }, 'outbox recovery failed'));
  }

  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  // Organization mail commits with a document change: look at once. Other mail (sign-in) wakes us through deps.outbox.
  const unsubscribe = store.onChange(() => void pass());
  const offWake = deps.outbox.onWake(() => void pass());

  const worker: OutboxWorker = {
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      offWake();
      await tail;
    },
    async drain() {
      for (;;) {
        if (stopped) return;
        if ((await pass()) === 0) return;
      }
    },
    wake() {
      void pass();
    },
  };
  void pass();
  return worker;
}
