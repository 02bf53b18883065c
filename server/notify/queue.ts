import type { Topic } from '../../shared/schemas';
import type { Recipient } from '../../shared/notifications';
import type { OrgWriter } from '../store/docs';
import { enqueueMail } from '../mail/outbox';
import type { AttachmentSpec } from '../mail/attachments';
import { renderEmail, type EmailContent } from './layout';

/**
 * Queues one email per recipient in the writer's transaction (DESIGN §7: the outbox row
 * commits with its event). `event` names the event, so the outbox keeps one message per event
 * and recipient however often this runs. `attachments` are made by the worker when it sends
 * (server/mail/attachments.ts). Returns the number of recipients.
 */
export async function queueEmails(
  w: OrgWriter,
  topic: Topic,
  event: string,
  recipients: readonly Recipient[],
  content: (to: Recipient) => EmailContent,
  attachments?: readonly AttachmentSpec[],
  opts: { newEvent?: boolean } = {},
): Promise<number> {
  const seen = new Set<string>();
  for (const to of recipients) {
    // One email per address (the outbox would refuse a second one with the same key anyway).
    const address = to.email.trim().toLowerCase();
    if (seen.has(address)) continue;
    seen.add(address);
    const mail = renderEmail(to, content(to));
    await enqueueMail(w, {
      dedupeKey: `${event}:${to.email}`,
      topic,
      to: to.email,
      ...mail,
      ...(attachments ? { attachments } : {}),
      // One email per recipient of a new event: no key of it can have been queued before.
      ...(opts.newEvent ? { newKey: true } : {}),
    });
  }
  return recipients.length;
}

/** A document's name for an email, or a fallback when it is gone. */
export async function nameOf(w: OrgWriter, collection: 'products' | 'teams' | 'organizations', id: string, fallback: string): Promise<string> {
  const doc = await w.get(collection, id);
  return doc && !doc._deleted ? doc.name : fallback;
}
