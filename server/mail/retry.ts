import { fail, ok, type Result } from '../../shared/errors';
import type { Notification } from '../../shared/schemas';
import type { AppDeps } from '../app-env';
import { orgTx } from '../store/docs';
import type { Account } from '../auth/session';
import { actorOf, changesOf, recordAudit, SERVER_ACTOR, type AuditClient } from '../audit/record';
import { outboxRowOfNotification, requeueOutboxRow } from '../store/outbox';

/**
 * An org admin's Retry on an email of the notification log (`POST /api/notifications/:id/retry`):
 * a failed or held email goes back in the queue and is tried now, with a new retry window
 * (MAIL_RETRY_HOURS from now); a waiting one is tried now instead of at its next attempt. Its
 * log entry shows it queued at once; the worker sends it on the commit's wake-up.
 *
 * Errors: `not-found` (no such email in this organization), `already-sent` (sent, or being
 * handed to the SMTP server right now).
 */
export async function retryEmail(
  deps: AppDeps,
  orgId: string,
  notificationId: string,
  by?: { account: Account; client?: AuditClient },
): Promise<Result<Notification, 'not-found' | 'already-sent'>> {
  const now = deps.clock.now();
  return orgTx(deps.store, orgId, now, async (w) => {
    const row = await outboxRowOfNotification(w.tx, orgId, notificationId);
    const doc = row ? await w.get('notifications', notificationId) : undefined;
    if (!row || !doc || doc._deleted || doc.orgId !== orgId) return fail('not-found', 'There is no such email in this organization');
    if (row.status === 'sent') return fail('already-sent', 'This email was already sent');
    if (row.status === 'sending') return fail('already-sent', 'This email is being sent right now');
    await requeueOutboxRow(w.tx, row.id, w.now);
    const { sentAt: _s, nextAttemptAt: _n, _deleted, seq: _q, updatedAt: _u, ...rest } = doc;
    const stored = await w.put('notifications', { ...rest, status: 'queued', nextAttemptAt: w.now, _deleted: false });
    await recordAudit(w, {
      kind: 'update',
      actor: by ? actorOf(by.account) : SERVER_ACTOR,
      collection: 'notifications',
      docId: doc.id,
      changes: changesOf(doc, stored),
      summary: `Retried the email “${doc.subject}”`,
      ...(by?.client ? { client: by.client } : {}),
    });
    const { _deleted: _d, ...notification } = stored;
    return ok(notification as Notification);
  });
}
