import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionKit, type CollectionKit } from '../../test/helpers/collection-kit';
import { findDoc, orgTx } from '../store/docs';
import { newId } from '../../shared/ids';
import type { WireDoc } from '../../shared/schemas';
import { materializeOrder, orders } from './orders';

describe('orders (server/collections/orders.ts)', () => {
  let k: CollectionKit;
  let acme: Awaited<ReturnType<CollectionKit['org']>>;
  let globex: Awaited<ReturnType<CollectionKit['org']>>;
  let p1: string;
  let p2: string;
  let teamId: string;
  beforeAll(async () => {
    k = await collectionKit();
    acme = await k.org('Acme', 'ada@acme.test');
    globex = await k.org('Globex', 'gil@globex.test');
    p1 = await k.product('Rocket IDE');
    p2 = await k.product('Profiler');
    teamId = newId();
    await k.put(acme.orgId, 'teams', [{ id: teamId, orgId: acme.orgId, name: 'Platform' }]);
  });
  afterAll(async () => {
    await k?.close();
  });

  const order = (over: Partial<WireDoc<'orders'>> = {}) =>
    k.fresh<'orders'>({
      id: newId(),
      orgId: acme.orgId,
      reference: `PO-${newId().slice(0, 4)}`,
      placedAt: '2026-03-01',
      teamId: '',
      licenseeContactId: '',
      billingContactId: '',
      licensee: { name: 'Lena Licensee', email: 'lena@customer.test' },
      lines: [{ productId: p1, quantity: 2 }],
      validUntil: '2027-02-28',
      ...over,
    });

  it('fixes what was ordered, and leaves materializedAt to the server', () => {
    expect(orders.immutable).toEqual(['reference', 'lines', 'placedAt', 'licensee', 'billing', 'licenseeContactId', 'billingContactId']);
    expect(orders.serverOnly).toEqual(['materializedAt', 'placedByMemberId']);
  });

  it('a partner names people, not the organization’s teams or contacts, and the server records who placed it', async () => {
    const partner = { ...acme.admin, member: { ...acme.admin.member!, isOrgAdmin: false, isPartner: true } };
    const contactId = newId();
    await k.put(acme.orgId, 'contacts', [
      { id: contactId, orgId: acme.orgId, name: 'C', email: 'c@acme.test', roles: [], orderIds: [], disabled: false, source: 'manual' },
    ]);
    expect(await k.check('orders', partner, undefined, order({ teamId, licenseeContactId: contactId }))).toMatchObject({
      code: 'not-allowed',
      fields: ['teamId', 'licenseeContactId'],
    });
    expect(await k.check('orders', partner, undefined, order())).toBeNull();
    expect(await k.check('orders', acme.admin, undefined, order({ teamId, licenseeContactId: contactId }))).toBeNull();
    const o = order();
    const filled = await k.inTx(partner, undefined, o, (ctx) => orders.fill!(ctx));
    expect(filled.placedByMemberId).toBe(acme.memberId);
  });

  it('wants a licensee on an arriving order', async () => {
    const { licensee: _l, ...none } = order();
    expect(await k.check('orders', acme.admin, undefined, none as WireDoc<'orders'>)).toMatchObject({ code: 'invalid-document', fields: ['licenseeContactId'] });
  });

  it('refuses a team, product or contact that is not this organization’s', async () => {
    const theirTeam = newId();
    const theirContact = newId();
    await k.put(globex.orgId, 'teams', [{ id: theirTeam, orgId: globex.orgId, name: 'Theirs' }]);
    await k.put(globex.orgId, 'contacts', [
      { id: theirContact, orgId: globex.orgId, name: 'T', email: 't@globex.test', roles: [], orderIds: [], disabled: false, source: 'manual' },
    ]);
    expect(await k.check('orders', acme.admin, undefined, order({ teamId: theirTeam }))).toMatchObject({ code: 'unknown-reference', fields: ['teamId'] });
    expect(await k.check('orders', acme.admin, undefined, order({ lines: [{ productId: 'product-nope', quantity: 1 }] }))).toMatchObject({
      code: 'unknown-reference',
      fields: ['lines'],
    });
    expect(await k.check('orders', acme.admin, undefined, order({ licenseeContactId: theirContact }))).toMatchObject({ fields: ['licenseeContactId'] });
    expect(await k.check('orders', acme.admin, undefined, order({ teamId }))).toBeNull();
  });

  it('materializes: one license per seat, a team named after the order, its people as order contacts', async () => {
    const o = order({ reference: 'PO-7', teamName: 'Rocket squad', lines: [{ productId: p1, quantity: 3 }, { productId: p2, quantity: 1 }], billing: { name: 'Bill', email: 'bill@customer.test' } });
    const made = await orgTx(k.store, acme.orgId, k.clock.now(), (w) => materializeOrder(w, o));
    expect(made.seats).toBe(4);
    const team = await findDoc(k.store.db, 'teams', made.teamId);
    expect(team).toMatchObject({ name: 'Rocket squad', createdFromOrderId: o.id });
    const licenses = (await k.docs(acme.orgId, 'licenses')).filter((l) => l.orderId === o.id);
    expect(licenses.map((l) => [l.productId, l.status, l.teamId, l.validUntil]).sort()).toEqual(
      [
        [p1, 'available', made.teamId, '2027-02-28'],
        [p1, 'available', made.teamId, '2027-02-28'],
        [p1, 'available', made.teamId, '2027-02-28'],
        [p2, 'available', made.teamId, '2027-02-28'],
      ].sort(),
    );
    // Ids in the order they were made (newOrderedId): a pool's claims, which take them in id
    // order, change neighbouring rows one after another.
    const bySeq = [...licenses].sort((a, b) => a.seq - b.seq).map((l) => l.id);
    expect([...bySeq].sort()).toEqual(bySeq);
    const contacts = (await k.docs(acme.orgId, 'contacts')).filter((c) => c.orderIds.includes(o.id));
    expect(contacts.map((c) => [c.email, c.source, c.roles])).toEqual(
      expect.arrayContaining([
        ['lena@customer.test', 'order', []],
        ['bill@customer.test', 'order', []],
      ]),
    );
    const written = await findDoc(k.store.db, 'orders', o.id);
    expect(written).toMatchObject({
      teamId: made.teamId,
      licenseeContactId: contacts.find((c) => c.email === 'lena@customer.test')!.id,
      billingContactId: contacts.find((c) => c.email === 'bill@customer.test')!.id,
      materializedAt: k.clock.now().toISOString(),
    });
  });

  it('reuses the contact of an address and the licensee as billing contact, and joins the order to it', async () => {
    const first = order({ teamId });
    await orgTx(k.store, acme.orgId, k.clock.now(), (w) => materializeOrder(w, first));
    const second = order({ teamId });
    const made = await orgTx(k.store, acme.orgId, k.clock.now(), (w) => materializeOrder(w, second));
    const lena = (await k.docs(acme.orgId, 'contacts')).filter((c) => c.email === 'lena@customer.test');
    expect(lena).toHaveLength(1);
    expect(lena[0].orderIds).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(made.order).toMatchObject({ licenseeContactId: lena[0].id, billingContactId: lena[0].id });
    expect(made.order.billing).toBeUndefined();
  });

  it('through the push: an org admin’s order becomes real once, and the other org admins hear of it', async () => {
    await k.put(acme.orgId, 'members', [
      { id: newId(), orgId: acme.orgId, accountId: newId(), email: 'bo@acme.test', name: 'Bo', isOrgAdmin: true, adminOfTeamIds: [], disabled: false },
    ]);
    const o = order({ teamId, reference: 'PO-42' });
    expect(await k.push(acme.admin, 'orders', [k.row(o)])).toEqual({ conflicts: [], rejected: [] });
    const stored = (await findDoc(k.store.db, 'orders', o.id))!;
    expect(stored.materializedAt).toBeTruthy();
    expect((await k.docs(acme.orgId, 'licenses')).filter((l) => l.orderId === o.id)).toHaveLength(2);
    const mail = (await k.outbox('order-placed')).filter((m) => m.dedupe_key.startsWith(`order-placed:${o.id}:`));
    // Ada recorded it: Bo hears of it, she is not told what she just did.
    expect(mail.map((m) => m.recipient)).toEqual(['bo@acme.test']);
    expect(mail[0].subject).toBe('Order PO-42 placed');
    expect(mail[0].text).toContain('2 licenses for the team Platform, valid until 2027-02-28.');
    // Editing it again makes nothing new; what was ordered cannot change.
    const again = await k.push(acme.admin, 'orders', [k.row({ ...stored, lines: [{ productId: p1, quantity: 9 }] }, stored)]);
    expect(again.rejected).toMatchObject([{ code: 'immutable-field', fields: ['lines'] }]);
    expect((await k.docs(acme.orgId, 'licenses')).filter((l) => l.orderId === o.id)).toHaveLength(2);
  });
});
