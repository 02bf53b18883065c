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
});
