import * as v from 'valibot';
import { toJsonSchema } from '@valibot/to-json-schema';
import { organizationSchema } from './organizations';
import { memberSchema } from './members';
import { contactSchema } from './contacts';
import { teamSchema } from './teams';
import { productSchema } from './products';
import { orderSchema } from './orders';
import { licenseSchema } from './licenses';
import { invitationSchema } from './invitations';
import { acceptanceSchema } from './acceptances';
import { invoiceSchema } from './invoices';
import { quoteSchema } from './quotes';
import { notificationSchema } from './notifications';
import { waitlistEntrySchema } from './waitlist-entries';
import { refusedClaimSchema } from './refused-claims';
import { auditEventSchema } from './audit-events';
import { optionalRef, seq, serverTime } from './common';

export * from './organizations';
export * from './members';
export * from './contacts';
export * from './teams';
export * from './products';
export * from './orders';
export * from './licenses';
export * from './invitations';
export * from './acceptances';
export * from './invoices';
export * from './quotes';
export * from './notifications';
export * from './waitlist-entries';
export * from './refused-claims';
export * from './audit-events';

/**
 * Every replicated collection: its schema and the fields the app's local queries filter by
 * (indexed locally). Two versions, and shared/schemas/schemas.test.ts fails until both are kept:
 * - SCHEMA_VERSION, the documents' shape on the wire: bump it whenever a schema changes shape.
 *   Older clients get 426 and reload.
 * - LOCAL_SCHEMA_VERSION, the RxDB schema of the local databases: bump it whenever the RxDB
 *   schema changes (every change of shape does, and so does a change of the local indexes
 *   alone), with its entry in LOCAL_MIGRATIONS; the local databases migrate when they open.
 *
 * Wire versions:
 * 2: orders.licensee optional; the licenses-expiring topic.
 * 3: notifications.nextAttemptAt (when a waiting email is tried next).
 * 4: every sync path names its organization (`/api/orgs/:orgId/sync/…`, DESIGN §5); one local
 *    database per (account, organization). The documents' shapes are those of 3.
 * 5: invitations.token is made by the server when the invitation arrives (DESIGN §6): absent
 *    on a new local invitation, refused when a client sends one; no longer indexed locally.
 *    The member-added topic (a new member's welcome email).
 *    Activation (DESIGN §14): products.machinesPerLicense; the organization's unused-seat
 *    settings (unusedSeatsNotActivatedDays, unusedSeatsIdleDays); the machine-activated topic.
 *    Machines themselves are not replicated (server reads: /api/me/licenses, /api/orgs/:orgId/machines).
 *    Waitlist and audit log (DESIGN §6, §15): waitlistEntries, refusedClaims, auditEvents (server
 *    collections the app reads as in-memory feeds, not local RxDB ones); the license-ready and
 *    waitlist-skipped topics.
 *    (All landed before any release: one version.)
 * 6: partners (DESIGN §4): members.isPartner; orders.placedByMemberId (server-set). An order's own
 *    emails (DESIGN §7) as topics of the notification log: license-certificate, invoice-issued, invoice-paid.
 *
 * Local versions: 0–5 are wire versions 1–6. Then:
 * 6: only the fields a local query filters by are indexed. Every index costs each stored
 *    document a key in IndexedDB, and the first sync of a large organization writes them all:
 *    orgId went (each local database holds one organization), and so did the fields no query
 *    reads by (licenses' productId and status, contacts' email, members' accountId…).
 */
export const SCHEMA_VERSION = 6;

/** The local (RxDB) schema version: 0 for the first wire version, then one more for each change of the RxDB schemas (see above). */
export const LOCAL_SCHEMA_VERSION = 6;

/**
 * How a stored document of the previous local version becomes one of the next: each change
 * so far only widened what is allowed, so documents carry over as they are. A change that
 * narrows or renames must transform them here.
 */
export const LOCAL_MIGRATIONS: Record<number, (doc: unknown) => unknown> = Object.fromEntries(
  Array.from({ length: LOCAL_SCHEMA_VERSION }, (_, i) => [i + 1, (doc: unknown) => doc]),
);

export const collections = {
  organizations: { schema: organizationSchema, indexes: [] },
  members: { schema: memberSchema, indexes: [] },
  contacts: { schema: contactSchema, indexes: [] },
  teams: { schema: teamSchema, indexes: [] },
  products: { schema: productSchema, indexes: [] },
  orders: { schema: orderSchema, indexes: [] },
  licenses: { schema: licenseSchema, indexes: ['teamId', 'orderId'] },
  invitations: { schema: invitationSchema, indexes: ['teamId'] },
  acceptances: { schema: acceptanceSchema, indexes: ['invitationId', 'teamId'] },
  invoices: { schema: invoiceSchema, indexes: ['orderId'] },
  quotes: { schema: quoteSchema, indexes: [] },
  notifications: { schema: notificationSchema, indexes: [] },
  waitlistEntries: { schema: waitlistEntrySchema, indexes: ['orgId', 'invitationId', 'teamId', 'status'] },
  refusedClaims: { schema: refusedClaimSchema, indexes: ['orgId', 'invitationId', 'teamId'] },
  auditEvents: { schema: auditEventSchema, indexes: ['orgId', 'at', 'actorEmail', 'collection', 'docId'] },
} as const;

export type Collections = typeof collections;
export type CollectionName = keyof Collections;
export const COLLECTION_NAMES = Object.keys(collections) as CollectionName[];
export type DocOf<C extends CollectionName> = v.InferOutput<Collections[C]['schema']>;
/** A document as it travels over the wire: the entity plus its deletion flag. */
export type WireDoc<C extends CollectionName = CollectionName> = DocOf<C> & { _deleted: boolean };

/**
 * Collections only the server writes and people only read, that the app does not keep in its
 * local RxDB database: open-source RxDB opens at most 13 collections per page, and the local
 * database already holds 12 plus its notices. The app reads them from the pull endpoint and
 * the live stream like any other (client/db/feeds.ts).
 */
export const FEED_COLLECTION_NAMES = ['waitlistEntries', 'refusedClaims', 'auditEvents'] as const satisfies readonly CollectionName[];
export type FeedCollectionName = (typeof FEED_COLLECTION_NAMES)[number];
export type LocalCollectionName = Exclude<CollectionName, FeedCollectionName>;
/** The collections of the app's local RxDB database. */
export const LOCAL_COLLECTION_NAMES = COLLECTION_NAMES.filter(
  (c): c is LocalCollectionName => !(FEED_COLLECTION_NAMES as readonly string[]).includes(c),
);

export const isLocalCollection = (name: CollectionName): name is LocalCollectionName => (LOCAL_COLLECTION_NAMES as readonly string[]).includes(name);

export const isCollectionName = (name: string): name is CollectionName =>
  Object.prototype.hasOwnProperty.call(collections, name);

/**
 * What a pushed row may leave out, and the value it then has: the server's placeholders of a
 * new document (seq 0, updatedAt ''), not deleted, and an order's references written as
 * absent or null rather than ''. RxDB always sends them; other clients need not.
 */
const wireDefaults = {
  seq: v.optional(seq, 0),
  updatedAt: v.optional(serverTime, ''),
};
const refOrEmpty = v.pipe(v.nullish(optionalRef), v.transform((x) => x ?? ''));
const wireOverrides: { [C in CollectionName]?: Record<string, v.GenericSchema> } = {
  orders: { teamId: refOrEmpty, licenseeContactId: refOrEmpty, billingContactId: refOrEmpty },
};

/** The schema a pushed document must satisfy: the entity plus `_deleted`. */
export function wireSchema<C extends CollectionName>(name: C): v.GenericSchema<unknown, WireDoc<C>> {
  const s = collections[name].schema;
  const entries: v.ObjectEntries = { ...s.entries, ...wireDefaults, ...wireOverrides[name], _deleted: v.optional(v.boolean(), false) };
  return v.object(entries) as unknown as v.GenericSchema<unknown, WireDoc<C>>;
}

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[] };

function stripForRx(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [k, val] of Object.entries(node)) {
    if (k === '$schema' || k === 'format' || k === 'pattern') continue;
    if (k === 'properties' && val && typeof val === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(val as Record<string, JsonSchema>).map(([p, s]) => [p, stripForRx(s)]),
      );
    } else if (k === 'items' && val && typeof val === 'object' && !Array.isArray(val)) {
      out.items = stripForRx(val as JsonSchema);
    } else {
      out[k] = val;
    }
  }
  return out;
}

/**
 * The RxDB JSON schema, derived from the valibot schema: validation of formats stays in
 * valibot (the server checks every push), RxDB only needs shapes, lengths and indexes.
 */
export function rxSchemaOf<C extends CollectionName>(name: C) {
  const { schema, indexes } = collections[name];
  const json = stripForRx(toJsonSchema(schema, { errorMode: 'ignore' }) as JsonSchema);
  const required = new Set(json.required ?? []);
  for (const idx of indexes) {
    if (!required.has(idx)) throw new Error(`${name}.${idx} is indexed and must be required`);
  }
  return {
    title: name,
    version: LOCAL_SCHEMA_VERSION,
    primaryKey: 'id',
    type: 'object' as const,
    properties: json.properties!,
    required: [...required],
    indexes: [...indexes],
  };
}
