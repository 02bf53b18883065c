import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { Rejection } from '../../shared/sync';
import { changedFields, revokes, sameField } from '../../shared/equality';

export { changedFields };

/** Collections only the server writes. */
export const SERVER_ONLY_COLLECTIONS: ReadonlySet<CollectionName> = new Set(['products', 'acceptances', 'notifications']);

/** Fields a client may set when creating a document but never change afterwards. */
const IMMUTABLE: { [C in CollectionName]?: string[] } = {
  // A member is a person's account in the organization: their address is the account's.
  members: ['accountId', 'email'],
  invitations: ['token', 'teamId', 'productId', 'createdByMemberId'],
  licenses: ['orderId', 'productId', 'validUntil'],
  orders: ['reference', 'lines', 'placedAt', 'licensee', 'billing', 'licenseeContactId', 'billingContactId'],
  acceptances: ['invitationId', 'licenseId'],
  invoices: ['orderId', 'number', 'amountCents', 'currency', 'issuedAt'],
  quotes: ['number', 'requestedByMemberId', 'createdAt'],
};

/** Fields only the server sets (a client must leave them as the server last wrote them). */
const SERVER_ONLY: { [C in CollectionName]?: string[] } = {
  // Accounts never leave the server, so a new member's account is the server's to find or
  // make (server/sync/effects.ts pushFills); a client choosing one could take over anyone's.
  members: ['accountId'],
  orders: ['materializedAt'],
  licenses: ['assignee', 'assignedAt', 'assignedVia'],
  quotes: ['number', 'totalCents'],
};

/**
 * Field rules that hold for everyone, whatever their role. `seq` and `updatedAt` must be
 * what the server last wrote (0 and '' for a new document).
 */
export function checkFieldRules<C extends CollectionName>(
  collection: C,
  before: WireDoc<C> | undefined,
  after: WireDoc<C>,
): Omit<Rejection, 'id'> | null {
  const a = after as Record<string, unknown>;
  const b = before as Record<string, unknown> | undefined;
  if (SERVER_ONLY_COLLECTIONS.has(collection)) {
    return { code: 'server-only', message: `Only the server writes ${collection}` };
  }
  const expectSeq = b ? b.seq : 0;
  const expectUpdated = b ? b.updatedAt : '';
  const bad = ['seq', 'updatedAt'].filter((f) => !sameField(a[f], f === 'seq' ? expectSeq : expectUpdated));
  if (bad.length) return { code: 'server-only', message: `${bad.join(', ')} are set by the server`, fields: bad };
  if (b) {
    const changed = changedFields(b, a);
    const immut = (IMMUTABLE[collection] ?? []).filter((f) => changed.includes(f));
    if (b.orgId !== a.orgId) immut.push('orgId');
    if (immut.length) return { code: 'immutable-field', message: `${immut.join(', ')} cannot change`, fields: immut };
    const serverOnly = (SERVER_ONLY[collection] ?? []).filter((f) => changed.includes(f));
    // A revoke clears the assignment: the one server-only change a client may make.
    const isRevoke = collection === 'licenses' && revokes(b, a);
    const refused = isRevoke ? serverOnly.filter((f) => a[f] !== undefined) : serverOnly;
    if (refused.length) return { code: 'server-only', message: `${refused.join(', ')} are set by the server`, fields: refused };
    if (collection === 'licenses' && b.status !== a.status && !isRevoke) {
      return { code: 'server-only', message: 'Licenses are assigned by claims; a client may only revoke', fields: ['status'] };
    }
  } else {
    // A new document carries the schema's empty value ('' or 0) where the server fills a field in.
    const serverOnly = (SERVER_ONLY[collection] ?? []).filter((f) => a[f] !== undefined && a[f] !== '' && a[f] !== 0);
    if (serverOnly.length) return { code: 'server-only', message: `${serverOnly.join(', ')} are set by the server`, fields: serverOnly };
    if (collection === 'licenses' && a.status !== 'available') {
      return { code: 'server-only', message: 'New licenses start available', fields: ['status'] };
    }
  }
  return null;
}
