import type { Kysely } from 'kysely';
import type { Topic } from '../../shared/schemas';
import { recipientsFor, TOPIC_ROUTES, type Recipient, type RecipientSources } from '../../shared/notifications';
import { listDocs } from '../store/docs';
import type { DB } from '../store/schema';

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
): Promise<Required<Pick<RecipientSources, 'contacts' | 'members'>>> {
  const route = topic ? TOPIC_ROUTES[topic] : undefined;
  const contacts =
    !route || route.roles.length > 0
      ? await listDocs(db, { collection: 'contacts', org: orgId, ...(route?.roles.length ? { mentionsAny: route.roles } : {}) })
      : [];
  const creator = route?.invitationCreator ? event.invitationCreatorMemberId : undefined;
  const members =
    !route || route.orgAdmins || creator
      ? await listDocs(db, { collection: 'members', org: orgId, ...(route && !route.orgAdmins && creator ? { where: { id: creator } } : {}) })
      : [];
  return { contacts, members };
}

/** Who receives a topic's email in an organization (DESIGN §4, §7), from its stored contacts and members. */
export async function recipientsIn(
  db: Kysely<DB>,
  orgId: string,
  topic: Topic,
  event: { invitationCreatorMemberId?: string } = {},
): Promise<Recipient[]> {
  return recipientsFor(topic, { ...(await orgPeople(db, orgId, topic, event)), ...event });
}
