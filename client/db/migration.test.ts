import { createHash } from 'node:crypto';
import { createRxDatabase, type RxJsonSchema } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { describe, expect, it } from 'vitest';
import { LOCAL_SCHEMA_VERSION, rxSchemaOf } from '../../shared/schemas';
import { openDatabase } from './database';
import { noticeSchema } from './notices';

type StoredSchema = RxJsonSchema<Record<string, unknown>>;

/** The orders and notifications schemas as the first release stored them (local version 0). */
function firstRelease(): Record<'orders' | 'notifications', StoredSchema> {
  const orders: StoredSchema = { ...structuredClone(rxSchemaOf('orders')), version: 0 };
  orders.required = [...(orders.required ?? []), 'licensee'];
  const notifications: StoredSchema = { ...structuredClone(rxSchemaOf('notifications')), version: 0 };
  const topic = notifications.properties.topic;
  topic.enum = topic.enum?.filter((t: string) => t !== 'licenses-expiring');
  return { orders, notifications };
}

describe('a local database made by an earlier version', () => {
  it('opens with the new schemas and keeps its documents', async () => {
    expect(LOCAL_SCHEMA_VERSION).toBeGreaterThan(0);
    const storage = getRxStorageMemory();
    const name = `migrate${Date.now()}`;
    const old = await createRxDatabase({ name, storage, multiInstance: false });
    const schemas = firstRelease();
    await old.addCollections({ orders: { schema: schemas.orders }, notifications: { schema: schemas.notifications } });
    const order = {
      id: 'order-1',
      orgId: 'org-1',
      reference: 'PO-1',
      placedAt: '2026-01-01T00:00:00.000Z',
      teamId: 'team-1',
      licensee: { name: 'Lee', email: 'lee@acme.test' },
      licenseeContactId: 'contact-1',
      billingContactId: 'contact-1',
      lines: [{ productId: 'p-1', quantity: 3 }],
      validUntil: '2027-01-01T00:00:00.000Z',
      seq: 4,
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    await old.orders.insert(order);
    await old.close();

    const told: number[] = [];
    const db = await openDatabase({ name, storage, multiInstance: false, collections: ['orders', 'notifications'], onUpgrade: (p) => told.push(p) });
    try {
      expect((await db.orders.findOne('order-1').exec())?.toJSON()).toMatchObject(order);
      // The opening screen was told how far the upgrade went.
      expect(told.length).toBeGreaterThan(0);
      expect(told).toEqual([...told].sort((a, b) => a - b));
      expect(told.at(-1)).toBe(100);
    } finally {
      await db.close();
    }
    // Opened again, nothing is left to upgrade: nothing is said.
    const again: number[] = [];
    const reopened = await openDatabase({ name, storage, multiInstance: false, collections: ['orders', 'notifications'], onUpgrade: (p) => again.push(p) });
    await reopened.close();
    expect(again).toEqual([]);
  });
});

describe('the local notices collection', () => {
  it('keeps its schema (a change needs a new version and a migration strategy, like the replicated ones)', () => {
    expect(noticeSchema.version).toBe(0);
    expect(createHash('sha256').update(JSON.stringify(noticeSchema)).digest('hex')).toBe(
      '06eb27b2b2a35e83b979bfcf923419ecb9456d7fe6274f8e5577128d1d35bda8',
    );
  });
});
