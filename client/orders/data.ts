/** Orders: list and "Record order" (seed: order-specific contacts; DESIGN §1 story 2). */
import type { Accessor } from 'solid-js';
import { newId } from '../../shared/ids';
import type { Invoice, Member, Order } from '../../shared/schemas';
import { orderCertificatePath } from '../../shared/sync-paths';
import { apiHref } from '../api';
import { liveList, liveOne, type AllotDatabase } from '../db';
import type { Access } from '../access';

export const ordersOf = (db: AllotDatabase): Accessor<Order[]> => liveList<Order>(db.orders.find());

export const orderById = (db: AllotDatabase, id: string): Accessor<Order | null | undefined> =>
  liveOne<Order>(db.orders.findOne(id));

export const invoicesOfOrder = (db: AllotDatabase, orderId: string): Accessor<Invoice[]> =>
  liveList<Invoice>(db.invoices.find({ selector: { orderId } }));

/**
 * Where an order's license certificate downloads again (DESIGN §7): the PDF, or the signed
 * JSON copy anyone can check against the server's published keys. A plain link: the server
 * makes the file from the order as it is now, so it needs a connection.
 */
export const certificateHref = (orgId: string, orderId: string, format: 'pdf' | 'json'): string =>
  apiHref(orderCertificatePath(orgId, orderId, format));

/**
 * Who the order is for. The server fills `licensee` in when it materializes an order that
 * named only a contact; until then the row shows a blank rather than failing.
 */
export const partyOf = (o: Order): { name: string; email: string } => o.licensee ?? { name: '', email: '' };

/**
 * Who placed an order, in words: "you", a member's name with "(partner)" for a partner
 * (DESIGN §4: "an order shows placed by its partner"), or '' when unknown (orders recorded
 * before this was kept, or a member this person may not see).
 */
export function placedByWords(db: AllotDatabase, access: Access): (o: Order) => string {
  const members = liveList<Member>(db.members.find());
  return (o) => {
    if (!o.placedByMemberId) return '';
    if (o.placedByMemberId === access.memberId) return access.isPartner ? 'you (partner)' : 'you';
    const m = members().find((x) => x.id === o.placedByMemberId);
    if (!m) return '';
    return `${m.name || m.email}${m.isPartner ? ' (partner)' : ''}`;
  };
}

export type TeamChoice = { kind: 'existing'; teamId: string } | { kind: 'new'; name: string } | { kind: 'none' };

export interface NewOrder {
  orgId: string;
  reference: string;
  lines: { productId: string; quantity: number }[];
  team: TeamChoice;
  licensee: { name: string; email: string };
  /** Absent: the billing contact is the licensee. */
  billing?: { name: string; email: string };
  validUntil: string;
}

/**
 * The server materializes the order: its licenses, its contacts and, when no existing team
 * was chosen (`teamId` ''), a team named `teamName` or after the reference.
 */
export async function recordOrder(db: AllotDatabase, input: NewOrder, now = new Date()): Promise<Order> {
  const lines = new Map<string, number>();
  for (const l of input.lines) if (l.productId && l.quantity > 0) lines.set(l.productId, (lines.get(l.productId) ?? 0) + l.quantity);
  if (!lines.size) throw new Error('Add at least one product with a quantity.');
  const party = (p: { name: string; email: string }) => ({ name: p.name.trim(), email: p.email.trim().toLowerCase() });
  const doc: Order = {
    id: newId(),
    orgId: input.orgId,
    reference: input.reference.trim(),
    placedAt: now.toISOString(),
    teamId: input.team.kind === 'existing' ? input.team.teamId : '',
    ...(input.team.kind === 'new' && input.team.name.trim() ? { teamName: input.team.name.trim() } : {}),
    licensee: party(input.licensee),
    ...(input.billing ? { billing: party(input.billing) } : {}),
    licenseeContactId: '',
    billingContactId: '',
    lines: [...lines].map(([productId, quantity]) => ({ productId, quantity })),
    validUntil: input.validUntil.length === 10 ? `${input.validUntil}T23:59:59.999Z` : input.validUntil,
    seq: 0,
    updatedAt: '',
  };
  await db.orders.insert(doc);
  return doc;
}
