import * as v from 'valibot';
import { base, id, str, timestamp } from './common';

/**
 * What an audit event records (DESIGN §15). `create`/`update`/`delete` are pushed documents;
 * the others are the server's own acts and the acts of people outside the sync (claims,
 * waitlists, sign-in, mail, retention).
 */
export const AUDIT_KINDS = [
  'create',
  'update',
  'delete',
  'revoke',
  'claim',
  'claim-refused',
  'waitlist-join',
  'waitlist-leave',
  'waitlist-remove',
  'waitlist-handout',
  'waitlist-skip',
  'sign-in',
  'email-sent',
  'email-failed',
  'activation',
  'retention',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** How long one recorded value may be (JSON text); longer values are cut and end with `…`. */
export const AUDIT_VALUE_MAX = 1000;

/** One changed field: its value before and after, as JSON text (absent: the field had no value). */
export const auditChange = v.object({
  field: str(60),
  before: v.optional(str(AUDIT_VALUE_MAX + 1)),
  after: v.optional(str(AUDIT_VALUE_MAX + 1)),
});
export type AuditChange = v.InferOutput<typeof auditChange>;

/**
 * One audit event (DESIGN §15): appended in the transaction of the change it records, never
 * changed by a client. `actor*` are empty for the server's own acts (a daily job, a hand-out
 * that a revoke set off names the revoking person); `collection` and `docId` name what the
 * event concerns ('' when nothing), `client` where a person's request came from.
 */
export const auditEventSchema = v.object({
  ...base,
  at: timestamp,
  kind: v.picklist(AUDIT_KINDS),
  actorAccountId: str(40),
  actorEmail: str(254),
  actorName: str(200),
  collection: str(40),
  docId: str(40),
  changes: v.pipe(v.array(auditChange), v.maxLength(60)),
  summary: str(500),
  client: v.optional(v.object({ address: str(64), userAgent: str(300) })),
  /** Other documents the event concerns (the acceptance of a claim, the waitlist entry of a hand-out). */
  related: v.optional(v.pipe(v.array(v.object({ collection: str(40), id })), v.maxLength(10))),
});
export type AuditEvent = v.InferOutput<typeof auditEventSchema>;
