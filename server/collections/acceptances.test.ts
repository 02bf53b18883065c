import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionKit, type CollectionKit } from '../../test/helpers/collection-kit';
import { newId } from '../../shared/ids';
import { acceptances } from './acceptances';

describe('acceptances (server/collections/acceptances.ts)', () => {
  let k: CollectionKit;
  beforeAll(async () => {
    k = await collectionKit();
  });
  afterAll(async () => {
    await k?.close();
  });

  it('are recorded by claims only, and keep what was claimed', () => {
    expect(acceptances).toEqual({ serverWritten: true, immutable: ['invitationId', 'licenseId'] });
  });

  it('refuses an org admin’s push, new or changed, and writes nothing', async () => {
    const acme = await k.org('Acme', 'ada@acme.test');
    const productId = await k.product();
    const doc = {
      id: newId(),
      orgId: acme.orgId,
      invitationId: newId(),
      teamId: newId(),
      productId,
      licenseId: newId(),
      account: { id: acme.account.id, email: acme.account.email, name: 'Ada' },
      acceptedAt: '2026-03-01T00:00:00.000Z',
      seq: 0,
      updatedAt: '',
    };
    const r = await k.push(acme.admin, 'acceptances', [k.row(doc)]);
    expect(r.rejected).toEqual([{ id: doc.id, code: 'server-only', message: 'Only the server writes acceptances' }]);
    expect(r.conflicts).toMatchObject([{ id: doc.id, _deleted: true }]);
    expect(await k.docs(acme.orgId, 'acceptances')).toEqual([]);
  });
});
