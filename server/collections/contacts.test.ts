import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionKit, type CollectionKit } from '../../test/helpers/collection-kit';
import { newId } from '../../shared/ids';
import type { WireDoc } from '../../shared/schemas';
import { contacts } from './contacts';

describe('contacts (server/collections/contacts.ts)', () => {
  let k: CollectionKit;
  let acme: Awaited<ReturnType<CollectionKit['org']>>;
  let globex: Awaited<ReturnType<CollectionKit['org']>>;
  const ours = newId();
  const theirs = newId();
  beforeAll(async () => {
    k = await collectionKit();
    acme = await k.org('Acme', 'ada@acme.test');
    globex = await k.org('Globex', 'gil@globex.test');
    const productId = await k.product();
    await k.order(acme.orgId, productId, { id: ours });
    await k.order(globex.orgId, productId, { id: theirs });
  });
  afterAll(async () => {
    await k?.close();
  });

  const contact = (over: Partial<WireDoc<'contacts'>> = {}) =>
    k.fresh<'contacts'>({ id: newId(), orgId: acme.orgId, name: 'Cleo', email: 'cleo@acme.test', roles: [], orderIds: [], disabled: false, source: 'manual', ...over });

  it('has no field rules of its own', () => {
    expect(contacts.immutable).toBeUndefined();
    expect(contacts.serverOnly).toBeUndefined();
  });

  it('takes only this organization’s orders, and checks only the ones a change adds', async () => {
    expect(await k.check('contacts', acme.admin, undefined, contact({ orderIds: [ours] }))).toBeNull();
    expect(await k.check('contacts', acme.admin, undefined, contact({ orderIds: [ours, theirs] }))).toMatchObject({
      code: 'unknown-reference',
      fields: ['orderIds'],
      message: expect.stringContaining(theirs),
    });
    // An old contact naming an order since removed may still be edited.
    const old = contact({ orderIds: [newId()] });
    expect(await k.check('contacts', acme.admin, old, { ...old, name: 'Cleo B.' })).toBeNull();
    expect(await k.check('contacts', acme.admin, old, { ...old, _deleted: true, orderIds: [theirs] })).toBeNull();
  });

  it('stores the address in its normalized form', async () => {
    const c = contact({ email: 'Billing=AP@Example.TEST' });
    expect(await k.push(acme.admin, 'contacts', [k.row(c)])).toEqual({ conflicts: [], rejected: [] });
    expect((await k.docs(acme.orgId, 'contacts')).find((d) => d.id === c.id)?.email).toBe('billing=ap@example.test');
    const bad = await k.push(acme.admin, 'contacts', [k.row(contact({ email: 'cleo@@acme.test' }))]);
    expect(bad.rejected).toMatchObject([{ code: 'invalid-document', fields: ['email'] }]);
  });

  it('keeps one contact per address, compared without case, and lets stored duplicates be edited', async () => {
    const lena = contact({ name: 'Lena', email: 'lena@northwind.test' });
    expect(await k.push(acme.admin, 'contacts', [k.row(lena)])).toEqual({ conflicts: [], rejected: [] });
    const table: [string, string][] = [
      ['LENA@northwind.test', 'upper-case local part'],
      ['lena@NORTHWIND.TEST', 'upper-case domain'],
      [' lena@northwind.test ', 'spaces around'],
    ];
    for (const [email] of table) {
      const r = await k.push(acme.admin, 'contacts', [k.row(contact({ name: 'Lena 2', email }))]);
      expect(r.rejected, email).toMatchObject([{ code: 'contact-exists', fields: ['email'], message: expect.stringContaining('Lena') }]);
    }
    // Changing another contact's address to hers is the same duplicate.
    const other = contact({ name: 'Otto', email: 'otto@northwind.test' });
    await k.push(acme.admin, 'contacts', [k.row(other)]);
    const otto = (await k.docs(acme.orgId, 'contacts')).find((d) => d.id === other.id)!;
    const moved = await k.push(acme.admin, 'contacts', [k.row({ ...otto, email: 'Lena@Northwind.test' }, otto)]);
    expect(moved.rejected).toMatchObject([{ code: 'contact-exists' }]);
    // Another organization may have its own contact with that address.
    const elsewhere = k.fresh<'contacts'>({ ...contact({ email: 'lena@northwind.test' }), orgId: globex.orgId });
    expect(await k.push(globex.admin, 'contacts', [k.row(elsewhere)])).toEqual({ conflicts: [], rejected: [] });
    // Renaming her (address unchanged) is never a duplicate.
    expect(await k.check('contacts', acme.admin, lena, { ...lena, name: 'Lena Nord' })).toBeNull();
  });

  it('refuses to delete an order’s licensee or billing contact, and deletes any other contact', async () => {
    const productId = await k.product();
    const licenseeId = newId();
    const billingId = newId();
    const order = await k.order(acme.orgId, productId, { reference: 'PO-77', licenseeContactId: licenseeId, billingContactId: billingId });
    const party = (id: string, name: string) => ({ id, orgId: acme.orgId, name, email: `${name.toLowerCase()}@acme.test`, roles: [], orderIds: [order.id], disabled: false, source: 'order' as const });
    const stored = await k.put(acme.orgId, 'contacts', [party(licenseeId, 'Licia'), party(billingId, 'Bill')]);
    for (const c of stored) {
      const r = await k.check('contacts', acme.admin, c, { ...c, _deleted: true });
      expect(r).toMatchObject({ code: 'contact-in-use', message: expect.stringContaining('order PO-77; disable the contact instead') });
    }
    // Named on an order's list but not as its licensee or billing contact: may go.
    const [listed] = await k.put(acme.orgId, 'contacts', [party(newId(), 'Lister')]);
    expect(await k.check('contacts', acme.admin, listed, { ...listed, _deleted: true })).toBeNull();
    const plain = contact({ name: 'Temp', email: 'temp@acme.test' });
    expect(await k.check('contacts', acme.admin, plain, { ...plain, _deleted: true })).toBeNull();
  });
});
