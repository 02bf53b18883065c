import type { Transaction } from 'kysely';
import { newId, newOrderedId } from '../../shared/ids';
import type { Topic } from '../../shared/schemas';
import type { DB } from '../store/schema';
import type { OrgWriter } from '../store/docs';
import { insertOutboxRow } from '../store/outbox';
import { encodeAttachments, type AttachmentSpec } from './attachments';

export interface OutboxMessage {
  /** One per event and recipient: the same key never queues twice. */
  dedupeKey: string;
  topic: Topic;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Files the worker makes and attaches when it sends (server/mail/attachments.ts). */
  attachments?: readonly AttachmentSpec[];
  /**
   * The dedupe key names a document made in this transaction (a claim's new acceptance), so it
   * cannot have been queued before: an organization writer may then write the row with the
   * documents it holds back (OrgWriter.queueNewOutbox), one statement for both.
   */
  newKey?: boolean;
}

/** Mail that belongs to no organization (sign-in) is queued in a plain transaction. */
export interface PlainTarget {
  tx: Transaction<DB>;
  now: string;
}

export type OutboxTarget = OrgWriter | PlainTarget;

const isOrgWriter = (t: OutboxTarget): t is OrgWriter => 'put' in t && 'orgId' in t;

/** Outbox statuses; `sending` is a queued row a worker has leased and is delivering now. */
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'held' | 'failed';

/**
 * Queues one email in the caller's transaction, so it exists if and only if the event
 * committed. Organization mail also gets its entry in the organization's notification log.
 * Returns false when this dedupe key was queued before (nothing is written then).
 */
export async function enqueueMail(target: OutboxTarget, msg: OutboxMessage): Promise<boolean> {
  const org = isOrgWriter(target) ? target : null;
  // The outbox row's id is the server's alone (ordered: appended at the end of its index); the
  // notification's is shown in the audit log by its first characters, so it stays random.
  const id = newOrderedId();
  const notificationId = org ? newId() : null;
  const row = {
    id,
    org_id: org?.orgId ?? null,
    dedupe_key: msg.dedupeKey,
    topic: msg.topic,
    recipient: msg.to.trim().toLowerCase(),
    subject: msg.subject,
    text: msg.text,
    html: msg.html,
    status: 'queued',
    attempts: 0,
    next_attempt_at: target.now,
    last_error: null,
    sent_at: null,
    created_at: target.now,
    notification_id: notificationId,
    attachments: encodeAttachments(msg.attachments),
  };
  if (org && msg.newKey) await org.queueNewOutbox(row);
  else if (!(await insertOutboxRow(target.tx, row))) return false;
  if (org && notificationId) {
    await org.put('notifications', {
      id: notificationId,
      orgId: org.orgId,
      topic: msg.topic,
      recipients: [msg.to.trim().toLowerCase()],
      subject: msg.subject.slice(0, 300),
      status: 'queued',
      attempts: 0,
      _deleted: false,
    });
  }
  return true;
}
