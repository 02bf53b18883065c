import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionKit, type CollectionKit } from '../../test/helpers/collection-kit';
import { newId } from '../../shared/ids';
import { notifications } from './notifications';

describe('notifications (server/collections/notifications.ts)', () => {
  let k: CollectionKit;
  beforeAll(async () => {
    k = await collectionKit();
  });
  afterAll(async () => {
    await k?.close();
  });

  it('are the sent-mail log the outbox writes', () => {
    expect(notifications).toEqual({ serverWritten: true });
  });

  it('refuses an org admin’s push, new or changed, and writes nothing', async () => {
    const acme = await k.org('Acme', 'ada@acme.test');
    const doc = { id: newId(), orgId: acme.orgId, topic: 'order-placed', recipients: ['x@acme.test'], subject: 'Hi', status: 'sent', attempts: 1, seq: 0, updatedAt: '' };
    const r = await k.push(acme.admin, 'notifications', [k.row(doc)]);
    expect(r.rejected).toEqual([{ id: doc.id, code: 'server-only', message: 'Only the server writes notifications' }]);
    expect(r.conflicts).toMatchObject([{ id: doc.id, _deleted: true }]);
    expect(await k.docs(acme.orgId, 'notifications')).toEqual([]);
  });
});
