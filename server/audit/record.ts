/**
 * The audit log's one writer (DESIGN §15): every change to an organization's data appends one
 * event in the transaction of the change, so a change that rolls back leaves no event and a
 * change that commits always has one.
 */
import { changedFields } from '../../shared/equality';
import { newOrderedId } from '../../shared/ids';
import { AUDIT_VALUE_MAX, type AuditChange, type AuditKind, type CollectionName, type WireDoc } from '../../shared/schemas';
import type { OrgWriter } from '../store/docs';

/** Who acted: a signed-in account, or the server itself (all empty). */
export interface AuditActor {
  accountId: string;
  email: string;
  name: string;
}

export const SERVER_ACTOR: AuditActor = { accountId: '', email: '', name: '' };

/** Where a person's request came from (the client address as server/security/client-address.ts reads it). */
export interface AuditClient {
  address: string;
  userAgent: string;
}

export interface AuditInput {
  kind: AuditKind;
  actor: AuditActor;
  collection?: CollectionName | '';
  docId?: string;
  changes?: AuditChange[];
  summary?: string;
  client?: AuditClient;
  related?: { collection: CollectionName; id: string }[];
}

/** Fields every document carries that say nothing about what changed. */
const BOOKKEEPING = new Set(['seq', 'updatedAt', 'orgId']);

/** A value as the log keeps it: JSON text, at most AUDIT_VALUE_MAX characters (longer ones end in `…`). */
export function auditValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value) ?? 'null';
  return text.length > AUDIT_VALUE_MAX ? `${text.slice(0, AUDIT_VALUE_MAX)}…` : text;
}

/**
 * The fields a change touched, each with its value before and after (`_deleted` included: a
 * delete shows as `_deleted: false → true`). A new document lists every field it was made with.
 */
export function changesOf(before: Record<string, unknown> | undefined, after: Record<string, unknown>): AuditChange[] {
  const fields = before ? changedFields(before, after) : Object.keys(after).filter((k) => after[k] !== undefined);
  return fields
    .filter((f) => !BOOKKEEPING.has(f) && !(before === undefined && f === '_deleted'))
    .sort()
    .slice(0, 60)
    .map((field) => {
      const b = before ? auditValue(before[field]) : undefined;
      const a = auditValue(after[field]);
      return { field: field.slice(0, 60), ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}) };
    });
}

/** Appends one audit event in the writer's transaction; returns it as stored. */
export async function recordAudit(w: OrgWriter, e: AuditInput): Promise<WireDoc<'auditEvents'>> {
  return w.put(
    'auditEvents',
    {
      id: newOrderedId(),
      orgId: w.orgId,
      at: w.now,
      kind: e.kind,
      actorAccountId: e.actor.accountId,
      actorEmail: e.actor.email,
      actorName: e.actor.name.slice(0, 200),
      collection: e.collection ?? '',
      docId: e.docId ?? '',
      changes: e.changes ?? [],
      summary: (e.summary ?? '').slice(0, 500),
      ...(e.client ? { client: { address: e.client.address.slice(0, 64), userAgent: e.client.userAgent.slice(0, 300) } } : {}),
      ...(e.related?.length ? { related: e.related.slice(0, 10) } : {}),
      _deleted: false,
    },
    null,
  );
}

/** The actor of an account (or of a principal's account). */
export const actorOf = (account: { id: string; email: string; name: string }): AuditActor => ({
  accountId: account.id,
  email: account.email,
  name: account.name,
});

/** The document kinds as the log words them ("a license", "a contact"…), for summaries. */
export function docWord(collection: CollectionName): string {
  const words: Partial<Record<CollectionName, string>> = {
    organizations: 'the organization',
    members: 'a member',
    contacts: 'a contact',
    teams: 'a team',
    orders: 'an order',
    licenses: 'a license',
    invitations: 'an invitation',
    invoices: 'an invoice',
    quotes: 'a quote',
    waitlistEntries: 'a waitlist entry',
  };
  return words[collection] ?? collection;
}
