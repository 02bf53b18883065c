import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionKit, type CollectionKit } from '../../test/helpers/collection-kit';
import { newId } from '../../shared/ids';
import type { WireDoc } from '../../shared/schemas';
import { fieldRefusal } from './field-rules';
import { invoices } from './invoices';

describe('invoices (server/collections/invoices.ts)', () => {
  let k: CollectionKit;
  let acme: Awaited<ReturnType<CollectionKit['org']>>;
  const orderId = newId();
  beforeAll(async () => {
    k = await collectionKit();
    acme = await k.org('Acme', 'ada@acme.test');
    await k.order(acme.orgId, await k.product(), { id: orderId });
  });
  afterAll(async () => {
    await k?.close();
  });

  const invoice = (over: Partial<WireDoc<'invoices'>> = {}) =>
    k.fresh<'invoices'>({ id: newId(), orgId: acme.orgId, orderId, number: 'INV-1', amountCents: 1000, currency: 'EUR', issuedAt: '2026-03-01', dueAt: '2026-03-31', ...over });

  it('never changes what was invoiced; paying it is a change like any other here', () => {
    const inv = invoice();
    for (const change of [{ number: 'INV-2' }, { amountCents: 1 }, { currency: 'USD' }, { issuedAt: '2026-01-01' }, { orderId: newId() }]) {
      expect(fieldRefusal('invoices', invoices, inv, { ...inv, ...change })).toMatchObject({ code: 'immutable-field' });
    }
    expect(fieldRefusal('invoices', invoices, inv, { ...inv, paidAt: '2026-03-10' })).toBeNull();
  });

  it('names an order of this organization', async () => {
    expect(await k.check('invoices', acme.admin, undefined, invoice())).toBeNull();
    expect(await k.check('invoices', acme.admin, undefined, invoice({ orderId: newId() }))).toMatchObject({ code: 'unknown-reference', fields: ['orderId'] });
  });
});
