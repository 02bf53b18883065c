// @vitest-environment jsdom
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { openDatabase } from './database';
import { databaseNameFor, legacyDatabaseNameFor, noteLegacyOwner, resolveDatabaseName, type LegacyProbe } from './database-names';

const storage = getRxStorageMemory();
const probe = (existing: Set<string>): LegacyProbe & { opened: string[] } => {
  const opened: string[] = [];
  return {
    opened,
    exists: async (name) => existing.has(name),
    open: async (name) => {
      opened.push(name);
      return openDatabase({ name, storage, multiInstance: false });
    },
  };
};

/** An account's one database as versions before organizations kept it: Acme's data and a change not pushed yet. */
async function earlierDatabase(accountId: string, orgId: string) {
  const name = legacyDatabaseNameFor(accountId);
  const db = await openDatabase({ name, storage, multiInstance: false });
  await db.organizations.insert({ id: orgId, orgId, name: 'Acme', seq: 3, updatedAt: '2026-01-01T00:00:00.000Z' });
  await db.teams.insert({ id: 'team-new', orgId, name: 'Made offline', seq: 0, updatedAt: '' });
  await db.close();
  return name;
}

describe('one local database per (account, organization)', () => {
  beforeEach(() => localStorage.clear());

  it('names one per pair, apart for every account and every organization', () => {
    const [a, b, x, y] = [newId(), newId(), newId(), newId()];
    const names = [databaseNameFor(a, x), databaseNameFor(a, y), databaseNameFor(b, x), databaseNameFor(b, y)];
    expect(new Set(names).size).toBe(4);
    for (const n of names) expect(n).toMatch(/^allot-[a-z0-9]+-[a-z0-9]+$/);
    expect(databaseNameFor(a.toUpperCase(), x)).toBe(databaseNameFor(a, x));
  });

  it('keeps an earlier single database, unpushed change included, as the database of the organization it holds', async () => {
    const [account, acme, globex] = [newId(), newId(), newId()];
    const legacy = await earlierDatabase(account, acme);
    const p = probe(new Set([legacy]));
    // Opening another organization first: the earlier database is read once, and left to its own.
    expect(await resolveDatabaseName(account, globex, p)).toBe(databaseNameFor(account, globex));
    expect(p.opened).toEqual([legacy]);
    expect(await resolveDatabaseName(account, acme, p)).toBe(legacy);
    expect(p.opened).toEqual([legacy]);
    const db = await openDatabase({ name: await resolveDatabaseName(account, acme, p), storage, multiInstance: false });
    try {
      expect((await db.teams.findOne('team-new').exec())?.toJSON()).toMatchObject({ name: 'Made offline', seq: 0 });
    } finally {
      await db.close();
    }
  });

  it('takes the organization from what an earlier version remembered, without opening anything', async () => {
    const [account, acme] = [newId(), newId()];
    noteLegacyOwner(account, acme);
    const p = probe(new Set());
    expect(await resolveDatabaseName(account, acme, p)).toBe(legacyDatabaseNameFor(account));
    expect(p.opened).toEqual([]);
  });

  it('opens nothing when the device holds no earlier database', async () => {
    const [account, acme] = [newId(), newId()];
    const p = probe(new Set());
    expect(await resolveDatabaseName(account, acme, p)).toBe(databaseNameFor(account, acme));
    expect(p.opened).toEqual([]);
  });
});
