import type { Kysely } from 'kysely';
import type { Topic, WireDoc } from '../../shared/schemas';
import type { Recipient } from '../../shared/notifications';
import type { DB } from '../store/schema';
import { rowToDoc, type OrgWriter } from '../store/docs';
import { enqueueMail } from '../mail/outbox';
import { renderEmail, type EmailContent } from './emails';

/** The contacts and members of an organization, as recipient tables need them. */
export async function orgPeople(db: Kysely<DB>, orgId: string) {
  const rows = await db
    .selectFrom('docs')
    .select(['collection', 'data', 'seq', 'updated_at', 'deleted'])
    .where('org_id', '=', orgId)
    .where('collection', 'in', ['contacts', 'members'])
    .where('deleted', '=', 0)
    .execute();
  const contacts: WireDoc<'contacts'>[] = [];
  const members: WireDoc<'members'>[] = [];
  for (const r of rows) {
    if (r.collection === 'contacts') contacts.push(rowToDoc<'contacts'>(r));
    else members.push(rowToDoc<'members'>(r));
  }
  return { contacts, members };
}

/**
 * Queues one email per recipient in the writer's transaction. `event` names the event, so
 * the outbox keeps one message per event and recipient however often this runs.
 */
export async function queueEmails(
  w: OrgWriter,
  topic: Topic,
  event: string,
  recipients: Recipient[],
  content: (to: Recipient) => EmailContent,
): Promise<number> {
  for (const to of recipients) {
    const mail = renderEmail(to, content(to));
    await enqueueMail(w, { dedupeKey: `${event}:${to.email}`, topic, to: to.email, ...mail });
  }
  return recipients.length;
}

/** A document's name for an email, or a fallback when it is gone. */
export async function nameOf(w: OrgWriter, collection: 'products' | 'teams' | 'organizations', id: string, fallback: string) {
  const doc = await w.get(collection, id);
  return doc && !doc._deleted ? doc.name : fallback;
}
