import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutPg } from '../helpers/pg';
import { pgAdmin } from '../helpers/pg-admin';
import { freezeHolding, startServerProcess, throwawayDatabase, until, type ServerProcess } from '../helpers/server-process';
import { RATE_LOCK_CLASS } from '../../server/store/rate-counters';

const PUBLIC_URL = 'https://allot.example.test';
/** Every claim comes from behind one address: one busy bucket every instance counts. */
const FROM = '192.0.2.1, 198.51.100.7';

/** A claim without a session: counted per address, then answered 401 (429 once over CLAIM_RATE). */
async function claim(instance: ServerProcess): Promise<number> {
  const res = await fetch(`${instance.url}/api/invitations/none/claim`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: PUBLIC_URL, 'x-forwarded-for': FROM },
    body: '{}',
  });
  await res.arrayBuffer();
  return res.status;
}

/**
 * DESIGN §9: an instance frozen (a paused VM, a host cut off: its connection to PostgreSQL stays
 * open) while its rate-limit transaction holds the busy bucket's lock. The other instances
 * answer meanwhile — `busy` while the lock is held, then as before once PostgreSQL has ended
 * the frozen transaction — instead of waiting on that lock for as long as the instance is gone.
 */
describe.skipIf(skipWithoutPg('postgres', 'the frozen-instance rate-limit suite (two server processes)'))('an instance frozen while it holds a rate-limit lock', () => {
  let db: Awaited<ReturnType<typeof throwawayDatabase>>;
  let frozen: ServerProcess;
  let other: ServerProcess;
  let admin: Awaited<ReturnType<typeof pgAdmin>>;
  beforeAll(async () => {
    db = await throwawayDatabase('allot_frozen');
    const env = { DATABASE_URL: db.url, PUBLIC_URL, TRUST_PROXY: '1', CLAIM_RATE: '100000', CATALOG: '' };
    frozen = await startServerProcess(env);
    other = await startServerProcess(env);
    admin = await pgAdmin(db.url);
  }, 120_000);
  afterAll(async () => {
    frozen?.child.kill('SIGCONT');
    await Promise.all([frozen, other].map((i) => i?.kill('SIGTERM')));
    await admin?.end();
    await db?.drop();
  });

  /** Rate-limit transactions holding bucket locks and waiting on their process (the frozen one: only it is asked). */
  async function lockHolders(): Promise<number[]> {
    await admin.client.query('select pg_stat_clear_snapshot()');
    const r = await admin.client.query(
      `select distinct a.pid from pg_stat_activity a join pg_locks l using (pid)
        where a.application_name = 'allot:public' and a.state = 'idle in transaction'
          and l.locktype = 'advisory' and l.classid = $1 and l.granted`,
      [RATE_LOCK_CLASS],
    );
    return r.rows.map((row: { pid: number }) => row.pid);
  }

  it('the others answer busy, then count again once PostgreSQL ends the frozen transaction', async () => {
    // Claims flow to one instance only; it is stopped until it is caught holding the lock.
    let flowing = true;
    const answered: number[] = [];
    const flow = Promise.all(
      Array.from({ length: 16 }, async () => {
        while (flowing) answered.push(await claim(frozen).catch(() => -1));
      }),
    );
    await until('claims to flow', async () => answered.length > 100);
    const holder = await freezeHolding(frozen, async () => (await lockHolders())[0]);

    // The other instance's claims behind the same address: answered, not held up.
    const meanwhile = await claim(other);
    expect([401, 503]).toContain(meanwhile);
    await until('the other instance to count claims again', async () => (await claim(other)) === 401);
    expect(await lockHolders()).not.toContain(holder);

    // The frozen instance comes back: its lost connection answers `busy`, then it counts again.
    frozen.child.kill('SIGCONT');
    flowing = false;
    await flow;
    await until('the frozen instance to count claims again', async () => (await claim(frozen)) === 401);
    expect(answered.filter((s) => ![401, 503].includes(s))).toEqual([]);
  });
});
