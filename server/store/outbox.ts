/**
 * The outbox table (DESIGN §7): mail queued in the transaction of its event, leased and
 * delivered by the workers. Times are the server's own ISO 8601 UTC strings (`toISOString`),
 * which compare in SQL as they compare as instants.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Store } from './open-store';
import type { DB, OutboxTable } from './schema';
import { compiledOnce } from './compiled-once';

export type OutboxRow = Selectable<OutboxTable>;

/** Inserts a row unless its dedupe key was queued before; true when it was inserted. */
export async function insertOutboxRow(db: Kysely<DB>, row: Insertable<OutboxTable>): Promise<boolean> {
  const keys = Object.keys(row);
  const values: unknown[] = Object.values(row);
  const build = () =>
    db
      .insertInto('outbox')
      .values(row)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning('id');
  // Compiled once per column list (each email queued runs this); Kysely leaves out undefined values.
  const [inserted] = values.includes(undefined)
    ? await build().execute()
    : await compiledOnce(db, `outbox:insert:${keys.join(',')}`, values, build, { ordered: true });
  return inserted !== undefined;
}

/**
 * Takes up to `limit` rows due at `nowIso` (queued, or leased by a sender whose lease ran
 * out) and leases them until `leaseUntilIso`. Several server processes on one PostgreSQL:
 * each row goes to one of them (FOR UPDATE SKIP LOCKED).
 */
export async function leaseDueOutbox(store: Store, nowIso: string, limit: number, leaseUntilIso: string): Promise<OutboxRow[]> {
  return store.db.transaction().execute(async (tx) => {
    let q = tx
      .selectFrom('outbox')
      .selectAll()
      .where('status', 'in', ['queued', 'sending'])
      .where('next_attempt_at', '<=', nowIso)
      .orderBy('next_attempt_at')
      .limit(limit);
    if (store.dialect === 'postgres') q = q.forUpdate().skipLocked();
    const rows = await q.execute();
    if (rows.length) {
      await tx
        .updateTable('outbox')
        .set({ status: 'sending', next_attempt_at: leaseUntilIso })
        .where('id', 'in', rows.map((r) => r.id))
        .execute();
    }
    return rows;
  });
}

export interface OutboxDelivery {
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  sentAt: string | null;
}

/** Records how a delivery went (in the caller's transaction, when it has one). */
export async function recordOutboxDelivery(db: Kysely<DB>, id: string, patch: OutboxDelivery): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: patch.status,
      attempts: patch.attempts,
      last_error: patch.lastError,
      next_attempt_at: patch.nextAttemptAt,
      sent_at: patch.sentAt,
    })
    .where('id', '=', id)
    .execute();
}

/** Puts every leased row back in the queue, due at `nowIso` (their sender is gone). */
export async function requeueLeasedOutbox(db: Kysely<DB>, nowIso: string): Promise<void> {
  await db.updateTable('outbox').set({ status: 'queued', next_attempt_at: nowIso }).where('status', '=', 'sending').execute();
}

/** The outbox rows, oldest first, optionally only those with this dedupe key (the notification log's source, tests). */
export async function listOutbox(db: Kysely<DB>, filter: { dedupeKey?: string } = {}): Promise<OutboxRow[]> {
  let q = db.selectFrom('outbox').selectAll();
  if (filter.dedupeKey !== undefined) q = q.where('dedupe_key', '=', filter.dedupeKey);
  return q.orderBy('created_at').orderBy('id').execute();
}

/** The outbox row behind an organization's notification-log entry. */
export async function outboxRowOfNotification(db: Kysely<DB>, orgId: string, notificationId: string): Promise<{ id: string; status: string } | undefined> {
  return db
    .selectFrom('outbox')
    .select(['id', 'status'])
    .where('org_id', '=', orgId)
    .where('notification_id', '=', notificationId)
    .executeTakeFirst();
}

/** Puts a row back in the queue, due at `nowIso`, with a new retry window opening then (an admin's retry). */
export async function requeueOutboxRow(db: Kysely<DB>, id: string, nowIso: string): Promise<void> {
  await db.updateTable('outbox').set({ status: 'queued', next_attempt_at: nowIso, retry_from: nowIso }).where('id', '=', id).execute();
}
