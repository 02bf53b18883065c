import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionKit, type CollectionKit } from '../../test/helpers/collection-kit';
import { newId } from '../../shared/ids';
import { products } from './products';

describe('products (server/collections/products.ts)', () => {
  let k: CollectionKit;
  beforeAll(async () => {
    k = await collectionKit();
  });
  afterAll(async () => {
    await k?.close();
  });

  it('is the operator’s catalog: only the server writes it', () => {
    expect(products).toEqual({ serverWritten: true });
  });

  it('refuses an org admin’s push, new or changed, and writes nothing', async () => {
    const acme = await k.org('Acme', 'ada@acme.test');
    const productId = await k.product();
    const doc = { id: `product-${newId().slice(0, 8)}`, code: 'X', name: 'X', seq: 0, updatedAt: '' };
    const r = await k.push(acme.admin, 'products', [k.row(doc)]);
    expect(r.rejected).toEqual([{ id: doc.id, code: 'server-only', message: 'Only the server writes products' }]);
    expect(r.conflicts).toMatchObject([{ id: doc.id, _deleted: true }]);
    const stored = (await k.docs('', 'products')).find((p) => p.id === productId)!;
    const renamed = await k.push(acme.admin, 'products', [k.row({ ...stored, name: 'Mine now' }, stored)]);
    expect(renamed.rejected).toMatchObject([{ code: 'server-only' }]);
    expect((await k.docs('', 'products')).find((p) => p.id === productId)?.name).toBe('Rocket IDE');
  });
});
