import type { Kysely } from 'kysely';
import type { Topic, WireDoc } from '../../shared/schemas';
import { TOPIC_ROUTES, type Recipient } from '../../shared/notifications';
import type { DB } from '../store/schema';
import { rowToDoc, type OrgWriter } from '../store/docs';
import { enqueueMail } from '../mail/outbox';
import { renderEmail, type EmailContent } from './emails';

/**
 * The contacts and members of an organization that a topic's email can go to, as
 * recipientsFor needs them. TOPIC_ROUTES (shared/notifications.ts) stays the only routing
 * rule: this reads no more than the topic's route can use — no contacts for a topic without
 * contact roles, else only the contacts whose stored document names one of the route's roles
 * (a superset; recipientsFor still decides); no members unless the route takes the org admins
 * or the invitation's creator (then only that member). Without a topic, everyone is read.
 */
export async function orgPeople(
  db: Kysely<DB>,
  orgId: string,
  topic?: Topic,
  event: { invitationCreatorMemberId?: string } = {},
) {
  const route = topic ? TOPIC_ROUTES[topic] : undefined;
  const contacts: WireDoc<'contacts'>[] = [];
  const members: WireDoc<'members'>[] = [];
  const live = (collection: 'contacts' | 'members') =>
    db
      .selectFrom('docs')
      .select(['data', 'seq', 'updated_at', 'deleted'])
      .where('org_id', '=', orgId)
      .where('collection', '=', collection)
      .where('deleted', '=', 0);
  if (!route || route.roles.length > 0) {
    const roles = route?.roles ?? [];
    let q = live('contacts');
    // Roles are stored as JSON strings in `data`; the quotes keep one role from matching another's prefix.
    if (roles.length) q = q.where((eb) => eb.or(roles.map((r) => eb('data', 'like', `%"${r}"%`))));
    for (const r of await q.execute()) contacts.push(rowToDoc<'contacts'>(r));
  }
  const creator = route?.invitationCreator ? event.invitationCreatorMemberId : undefined;
  if (!route || route.orgAdmins || creator) {
    let q = live('members');
    if (route && !route.orgAdmins && creator) q = q.where('id', '=', creator);
    for (const r of await q.execute()) members.push(rowToDoc<'members'>(r));
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
