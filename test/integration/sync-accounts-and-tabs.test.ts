/**
 * DESIGN §5 "Tabs, accounts and organizations": one local database per (account, organization), and of the tabs sharing
 * one database only the leader replicates. The other "tab" here is an elector on the very
 * broadcast channel RxDB's leader election uses for the database (RxDB refuses two open
 * instances of one database in one JavaScript realm, so a second RxDatabase cannot stand in).
 */
import { BroadcastChannel, createLeaderElection, type LeaderElector } from 'broadcast-channel';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../client/db/database';
import { databaseNameFor } from '../../client/db/database-names';
import { startSync } from '../../client/db/replication';
import { newId } from '../../shared/ids';
import { startTestServer, type TestServer } from '../helpers/server';
import { cuttableNetwork, eventually } from './sync-clients';
import { pullPath } from '../helpers/sync-api';

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('one local database per (account, organization)', () => {
  it('gives two accounts, and two organizations of one account, different database names, and one pair always the same', () => {
    const [a, b, org] = [newId(), newId(), newId()];
    expect(databaseNameFor(a, org)).not.toBe(databaseNameFor(b, org));
    expect(databaseNameFor(a, org)).not.toBe(databaseNameFor(a, newId()));
    expect(databaseNameFor(a, org)).toBe(databaseNameFor(a, org));
    expect(databaseNameFor(a.toUpperCase(), org.toUpperCase())).toBe(databaseNameFor(a, org));
    for (const name of [databaseNameFor(a, org), databaseNameFor(b, org)]) expect(name).toMatch(/^allot-[a-z0-9]+-[a-z0-9]+$/);
  });

  it("keeps one account's documents out of the other's database", async () => {
    const storage = getRxStorageMemory();
    const org = newId();
    const one = await openDatabase({ name: databaseNameFor(newId(), org), storage, multiInstance: false, collections: ['teams'] });
    const two = await openDatabase({ name: databaseNameFor(newId(), org), storage, multiInstance: false, collections: ['teams'] });
    try {
      await one.teams.insert({ id: 'team-a', orgId: 'org-1', name: 'Platform', seq: 0, updatedAt: '2025-01-01T00:00:00.000Z' });
      expect(await one.teams.count().exec()).toBe(1);
      expect(await two.teams.count().exec()).toBe(0);
    } finally {
      await one.close();
      await two.close();
    }
  });
});

describe('one replicating tab per database', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.close());

  it('does not pull while another tab leads, and takes over when that tab goes away', async () => {
    const email = `tabs-${newId().slice(0, 6)}@acme.test`;
    const org = await s.createOrg('Tabs Org', email);
    const name = databaseNameFor(await s.accountId(email), org.orgId);
    const storage = getRxStorageMemory();

    // The other tab: already the leader of this database's channel.
    const channel = new BroadcastChannel(['RxDB:', storage.name, name].join('|'));
    const otherTab: LeaderElector = createLeaderElection(channel);
    await otherTab.awaitLeadership();
    expect(otherTab.isLeader).toBe(true);

    const db = await openDatabase({ name, storage, multiInstance: true, collections: ['organizations', 'members'] });
    const net = cuttableNetwork();
    const sync = startSync(db, { orgId: org.orgId, baseUrl: s.url, fetch: net.fetch, headers: { cookie: org.cookie, origin: s.url }, retryTime: 100 });
    try {
      await pause(3000);
      expect(net.sent.filter((r) => r.path.includes('/sync/'))).toEqual([]);
      expect(sync.getStatus().replicating).toBe(false);
      expect(db.isLeader()).toBe(false);

      // The leading tab closes: this one is elected and replicates.
      await otherTab.die();
      await channel.close();
      await eventually(() => expect(sync.getStatus()).toMatchObject({ replicating: true, initialSyncDone: true }));
      expect(db.isLeader()).toBe(true);
      expect(net.sent.some((r) => r.path === pullPath(org.orgId, 'organizations'))).toBe(true);
      expect((await db.organizations.findOne(org.orgId).exec())?.name).toBe('Tabs Org');
    } finally {
      await sync.stop();
      await db.close();
      if (!channel.isClosed) await channel.close();
    }
  });
});
