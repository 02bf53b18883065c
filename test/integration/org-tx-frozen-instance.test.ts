import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../server/auth/session';
import { accountByEmail, ensureAccountRow } from '../../server/store/accounts';
import { listDocs, orgTx } from '../../server/store/docs';
import { openStore, type Store } from '../../server/store/open-store';
import { newId } from '../../shared/ids';
import { parseJson } from '../helpers/json';
import { skipWithoutPg } from '../helpers/pg';
import { pgAdmin } from '../helpers/pg-admin';
import { freezeHolding, startServerProcess, throwawayDatabase, until, type ServerProcess } from '../helpers/server-process';
import { pushPath } from '../helpers/sync-api';

const PUBLIC_URL = 'https://allot.example.test';

/**
 * DESIGN §9: an instance frozen (a paused VM, a host cut off: its connections to PostgreSQL stay
 * open) inside an organization's transaction, holding the organization's change counter. The
 * other instances write that organization again once PostgreSQL has ended the frozen
 * transaction (open-store.ts IDLE_IN_TRANSACTION_MS), instead of waiting for as long as the
 * instance is gone; the frozen instance answers again when it wakes; every write any instance
 * acknowledged is stored.
 */
describe.skipIf(skipWithoutPg('postgres', 'the frozen-instance organization suite (two server processes)'))('an instance frozen inside an organization’s transaction', () => {
  let db: Awaited<ReturnType<typeof throwawayDatabase>>;
  let store: Store;
  let frozen: ServerProcess;
  let other: ServerProcess;
  let admin: Awaited<ReturnType<typeof pgAdmin>>;
  const orgId = newId();
  let cookie = '';

  beforeAll(async () => {
    db = await throwawayDatabase('allot_frozen_org');
    const env = { DATABASE_URL: db.url, PUBLIC_URL, CATALOG: '' };
    [frozen, other] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    store = await openStore({ databaseUrl: db.url });
    admin = await pgAdmin(db.url);
    const { id } = await ensureAccountRow(store.db, 'ada@acme.test', new Date().toISOString(), { verified: true });
    cookie = `allot_session=${await createSession(store.db, id, new Date())}`;
    const adminId = (await accountByEmail(store.db, 'ada@acme.test'))!.id;
    await orgTx(store, orgId, new Date(), async (w) => {
      await w.put('organizations', { id: orgId, orgId, name: 'Acme', _deleted: false });
      await w.put('members', { id: newId(), orgId, accountId: adminId, email: 'ada@acme.test', name: 'Ada', isOrgAdmin: true, adminOfTeamIds: [], disabled: false, _deleted: false });
    });
  }, 120_000);
  afterAll(async () => {
    frozen?.child.kill('SIGCONT');
    await Promise.all([frozen, other].map((i) => i?.kill('SIGTERM')));
    await admin?.end();
    await store?.close();
    await db?.drop();
  });

  /** Pushes one new contact to `instance`: its status, and the contact's id when it was stored. */
  async function push(instance: ServerProcess, tag: string): Promise<{ status: number; id: string }> {
    const doc = { id: newId(), orgId, name: `Person ${tag}`, email: `${tag}@acme.test`, roles: [], orderIds: [], disabled: false, source: 'manual' };
    const res = await fetch(instance.url + pushPath(orgId, 'contacts'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PUBLIC_URL, cookie },
      body: JSON.stringify([{ newDocumentState: doc }]),
    });
    const body = parseJson(await res.text());
    if (res.status === 200) expect(body).toEqual({ conflicts: [], rejected: [] });
    return { status: res.status, id: doc.id };
  }

  /** Sessions idle inside a transaction that has written the change counter (only the frozen instance writes). */
  async function counterHolders(): Promise<number[]> {
    await admin.client.query('select pg_stat_clear_snapshot()');
    const r = await admin.client.query(
      `select distinct a.pid from pg_stat_activity a join pg_locks l using (pid)
        where a.state = 'idle in transaction' and l.relation = 'org_seq'::regclass and l.mode = 'RowExclusiveLock' and l.granted`,
    );
    return r.rows.map((row: { pid: number }) => row.pid);
  }

  it('the others write the organization again once PostgreSQL ends the frozen transaction, and nothing acknowledged is lost', async () => {
    const acknowledged: string[] = [];
    let flowing = true;
    let n = 0;
    const flow = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (flowing) {
          const r = await push(frozen, `f${n++}`).catch(() => ({ status: -1, id: '' }));
          if (r.status === 200) acknowledged.push(r.id);
          else expect([503, -1]).toContain(r.status);
        }
      }),
    );
    await until('writes to flow', async () => acknowledged.length > 20);
    const holder = await freezeHolding(frozen, async () => (await counterHolders())[0]);

    // The other instance's write to the same organization is answered `busy` while the frozen
    // transaction holds the counter, then lands (the app's replication tries again the same way).
    // It lands while the frozen instance is still stopped: PostgreSQL ended the frozen
    // transaction, nobody waited for the instance to come back.
    const answers: number[] = [];
    const meanwhile = await until('the other instance to write the organization', async () => {
      const r = await push(other, 'meanwhile');
      answers.push(r.status);
      return r.status === 200 && r;
    });
    acknowledged.push(meanwhile.id);
    expect(answers.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(await counterHolders()).not.toContain(holder);

    // The frozen instance wakes: the write it was in fails as `busy` (nothing acknowledged), then it writes again.
    frozen.child.kill('SIGCONT');
    flowing = false;
    await flow;
    await until('the frozen instance to write again', async () => (await push(frozen, 'after')).status === 200);

    const stored = new Set((await listDocs(store.db, { collection: 'contacts', org: orgId })).map((d) => d.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  }, 90_000);
});
