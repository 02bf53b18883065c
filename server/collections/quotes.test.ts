import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionKit, type CollectionKit } from '../../test/helpers/collection-kit';
import { findDoc } from '../store/docs';
import { newId } from '../../shared/ids';
import type { WireDoc } from '../../shared/schemas';
import { quotes } from './quotes';

describe('quotes (server/collections/quotes.ts)', () => {
  let k: CollectionKit;
  let acme: Awaited<ReturnType<CollectionKit['org']>>;
  let productId: string;
  beforeAll(async () => {
    k = await collectionKit();
    acme = await k.org('Acme', 'ada@acme.test');
    productId = await k.product();
    await k.put(acme.orgId, 'contacts', [
      { id: newId(), orgId: acme.orgId, name: 'Nora', email: 'nora@acme.test', roles: ['newQuotes'], orderIds: [], disabled: false, source: 'manual' },
      { id: newId(), orgId: acme.orgId, name: 'Bea', email: 'bea@acme.test', roles: ['primaryBilling'], orderIds: [], disabled: false, source: 'manual' },
      { id: newId(), orgId: acme.orgId, name: 'Una', email: 'una@acme.test', roles: ['unpaidInvoices'], orderIds: [], disabled: false, source: 'manual' },
    ]);
  });
  afterAll(async () => {
    await k?.close();
  });

  const quote = (over: Partial<WireDoc<'quotes'>> = {}) =>
    k.fresh<'quotes'>({
      id: newId(),
      orgId: acme.orgId,
      number: '',
      lines: [{ productId, quantity: 10 }],
      totalCents: 0,
      currency: 'EUR',
      requestedByMemberId: acme.memberId,
      createdAt: '2026-03-01T10:00:00.000Z',
      validUntil: '2026-03-31',
      ...over,
    });

  it('numbers a new quote per organization and year, counting every quote made there', async () => {
    const first = await k.inTx(acme.admin, undefined, quote(), (ctx) => quotes.fill!(ctx));
    expect(first.number).toBe('Q-2026-0001');
    await k.put(acme.orgId, 'quotes', [{ ...quote({ number: 'Q-2026-0001' }), _deleted: true }]);
    expect((await k.inTx(acme.admin, undefined, quote(), (ctx) => quotes.fill!(ctx))).number).toBe('Q-2026-0002');
    const stored = quote({ number: 'Q-2026-0002' });
    expect(await k.inTx(acme.admin, stored, { ...stored, validUntil: '2026-04-30' }, (ctx) => quotes.fill!(ctx))).toMatchObject({ number: 'Q-2026-0002' });
  });

  it('through the push: numbered in its one write, and the new-quotes and primary billing contacts hear of it', async () => {
    const q = quote();
    expect(await k.push(acme.admin, 'quotes', [k.row(q)])).toEqual({ conflicts: [], rejected: [] });
    const stored = (await findDoc(k.store.db, 'quotes', q.id))!;
    expect(stored.number).toMatch(/^Q-2026-\d{4}$/);
    const mail = (await k.outbox('quote-created')).filter((m) => m.dedupe_key.startsWith(`quote-created:${q.id}:`));
    expect(mail.map((m) => m.recipient).sort()).toEqual(['bea@acme.test', 'nora@acme.test']);
    expect(mail[0].subject).toBe(`New quote ${stored.number}`);
    expect(mail[0].text).toContain('for 10 licenses was requested, valid until 2026-03-31.');
  });

  it('leaves the number and the total to the server', async () => {
    expect((await k.push(acme.admin, 'quotes', [k.row(quote({ number: 'Q-1' }))])).rejected).toMatchObject([{ code: 'server-only', fields: ['number'] }]);
    expect((await k.push(acme.admin, 'quotes', [k.row(quote({ totalCents: 100 }))])).rejected).toMatchObject([{ code: 'server-only', fields: ['totalCents'] }]);
  });
});
