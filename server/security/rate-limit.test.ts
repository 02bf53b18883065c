import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPgSchema, openStore, type Store } from '../store/open-store';
import pg from 'pg';
import { MAX_GROUP_BUCKETS, RATE_LOCK_CLASS, rateCounters, type RateCounters } from '../store/rate-counters';
import { newId } from '../../shared/ids';
import { PG_URL, skipWithoutPg } from '../../test/helpers/pg';
import { createRateLimiter, createSharedRateLimiter, hitInTurn, type RateLimiter } from './rate-limit';


const T0 = Date.parse('2026-06-01T12:00:00Z');

/** The sliding-window verdicts every limiter gives, in memory or in the database. */
function behavesAsASlidingWindow(make: (now: () => number) => RateLimiter) {
  it('lets `limit` hits through per window, then says how long to wait', async () => {
    let t = T0 + 10_000;
    const l = make(() => t);
    for (let i = 0; i < 4; i++) expect(await l.hit('ann')).toEqual({ ok: true });
    expect(await l.hit('ann')).toEqual({ ok: false, retryAfter: 50 });
    // Another key has its own budget.
    expect(await l.hit('ben')).toEqual({ ok: true });
    // Halfway through the next minute, half of the previous one still counts: 2 more.
    t = T0 + 90_000;
    expect(await l.hit('ann')).toEqual({ ok: true });
    expect(await l.hit('ann')).toEqual({ ok: true });
    const refused = await l.hit('ann');
    expect(refused.ok).toBe(false);
    // Two minutes on, the old hits no longer count.
    t = T0 + 200_000;
    for (let i = 0; i < 4; i++) expect(await l.hit('ann')).toEqual({ ok: true });
  });
}

/** Limiters asked in turn (address, then account): a refusal stops the turn, as one hit after another would. */
function hitsInTurn(make: (limit: number, now: () => number) => RateLimiter) {
  it('hits in turn: the first refusal answers, and the limiters after it count nothing', async () => {
    const t = T0 + 10_000;
    const byAddress = make(2, () => t);
    const byAccount = make(3, () => t);
    const turn = (account: string) => hitInTurn([[byAddress, 'addr'], [byAccount, account]]);
    expect(await turn('ann')).toEqual({ ok: true });
    expect(await turn('ann')).toEqual({ ok: true });
    expect(await turn('ann')).toEqual({ ok: false, retryAfter: 50 });
    expect(await turn('ann')).toEqual({ ok: false, retryAfter: 50 });
    // Ann's account counted her two claims, not the two the address refused: one more.
    expect(await byAccount.hit('ann')).toEqual({ ok: true });
    expect(await byAccount.hit('ann')).toEqual({ ok: false, retryAfter: 50 });
    // Refused for the account: the address hit before it still counts, as it would one after another.
    const other = make(5, () => t);
    const none = make(0, () => t);
    expect(await hitInTurn([[other, 'addr'], [none, 'ben']])).toEqual({ ok: false, retryAfter: 50 });
    for (let i = 0; i < 4; i++) expect((await other.hit('addr')).ok).toBe(true);
    expect((await other.hit('addr')).ok).toBe(false);
    expect(await hitInTurn([])).toEqual({ ok: true });
  });
}

describe('in-memory rate limiter', () => {
  behavesAsASlidingWindow((now) => createRateLimiter({ limit: 4, now }));
  hitsInTurn((limit, now) => createRateLimiter({ limit, now }));

  it('does not count a refused hit', async () => {
    let t = T0;
    const l = createRateLimiter({ limit: 2, now: () => t });
    await l.hit('a');
    await l.hit('a');
    for (let i = 0; i < 50; i++) expect((await l.hit('a')).ok).toBe(false);
    // Three quarters into the next window the previous one's 2 hits (not 52) weigh half a hit.
    t = T0 + 60_000 + 45_000;
    expect((await l.hit('a')).ok).toBe(true);
  });

  it('says how long to wait, and that wait is enough', async () => {
    let t = T0;
    const l = createRateLimiter({ limit: 4, now: () => t });
    for (let i = 0; i < 4; i++) await l.hit('a');
    t = T0 + 60_000 + 15_000;
    expect((await l.hit('a')).ok).toBe(true);
    const refused = await l.hit('a');
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      t += refused.retryAfter * 1000;
      expect((await l.hit('a')).ok).toBe(true);
    }
  });

  it('takes its window length', async () => {
    let t = T0;
    const l = createRateLimiter({ limit: 1, windowMs: 1000, now: () => t });
    expect(await l.hit('a')).toEqual({ ok: true });
    expect(await l.hit('a')).toEqual({ ok: false, retryAfter: 1 });
    t += 2000;
    expect(await l.hit('a')).toEqual({ ok: true });
  });

  it('stays bounded under a flood of keys, and still limits a key it kept', async () => {
    let t = T0;
    const l = createRateLimiter({ limit: 1, now: () => t, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) await l.hit(`addr-${i}`);
    expect((await l.hit('addr-999')).ok).toBe(false);
    t += 180_000;
    expect((await l.hit('addr-999')).ok).toBe(true);
  });
});

describe.skipIf(skipWithoutPg('postgres', 'the database rate limiter'))('rate limiter counting in PostgreSQL', () => {
  // Two stores on one schema: two pools and two sets of counters, as two server processes.
  let store: Store;
  let other: Store;
  const schema = `t_${newId().replace(/-/g, '').slice(0, 16)}`;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: PG_URL, pgSchema: schema });
    other = await openStore({ databaseUrl: PG_URL, pgSchema: schema });
  });
  afterAll(async () => {
    await other?.close();
    await store?.close();
    await dropPgSchema(PG_URL!, schema);
  });
  behavesAsASlidingWindow((now) => createSharedRateLimiter({ name: `t${newId().slice(0, 6)}`, limit: 4, now, counters: rateCounters(store.db) }));
  // One set of counters for all of them, as createLimits makes: each turn is one statement.
  let counters: RateCounters;
  beforeAll(() => {
    counters = rateCounters(store.db);
  });
  hitsInTurn((limit, now) => createSharedRateLimiter({ name: `h${newId().slice(0, 6)}`, limit, now, counters }));

  /** One limiter per process, both counting under `name`. */
  const twoInstances = (name: string, limit: number, now: () => number) =>
    [store, other].map((s) => createSharedRateLimiter({ name, limit, now, counters: rateCounters(s.db) }));

  it('lets exactly `limit` through when many hits arrive at once on two instances, and counts no refused one', async () => {
    let t = T0 + 10_000;
    const [a, b] = twoInstances(`c${newId().slice(0, 6)}`, 4, () => t);
    const verdicts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).hit('ann')));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(4);
    expect(verdicts.filter((v) => !v.ok)).toEqual(Array.from({ length: 16 }, () => ({ ok: false, retryAfter: 50 })));
    // Three quarters into the next window the previous one's 4 hits (not 20) weigh one: 3 more.
    t = T0 + 60_000 + 45_000;
    const next = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? b : a).hit('ann')));
    expect(next.filter((v) => v.ok)).toHaveLength(3);
  });

  it('lets the first hits asked through, in order, and keeps the keys of one group apart', async () => {
    const t = T0 + 10_000;
    const [a] = twoInstances(`o${newId().slice(0, 6)}`, 2, () => t);
    const [, b] = twoInstances(`p${newId().slice(0, 6)}`, 3, () => t);
    // Asked in one turn of the event loop: decided together, two limiters and three keys.
    const verdicts = await Promise.all([a.hit('x'), a.hit('y'), b.hit('x'), a.hit('x'), a.hit('x'), b.hit('x'), a.hit('y')]);
    expect(verdicts.map((v) => v.ok)).toEqual([true, true, true, true, false, true, true]);
    expect((await a.hit('y')).ok).toBe(false);
    expect((await b.hit('x')).ok).toBe(true);
    expect((await b.hit('x')).ok).toBe(false);
  });

  it('decides a group straddling two windows with the earlier window as it ends', async () => {
    let t = T0 + 59_000;
    const [a] = twoInstances(`w${newId().slice(0, 6)}`, 10, () => t);
    // Eight hits at the end of one window, then, asked in the same turn, four just after it:
    // the new window's allowance is ⌊10 − 8·(1 − 0.01)⌋ = 2, the old one's 8 counted first.
    const late = Array.from({ length: 8 }, () => a.hit('k'));
    t = T0 + 60_600;
    const early = Array.from({ length: 4 }, () => a.hit('k'));
    expect((await Promise.all(late)).every((v) => v.ok)).toBe(true);
    expect((await Promise.all(early)).filter((v) => v.ok)).toHaveLength(2);
  });

  /**
   * Until one of this schema's counters connections waits on a lock (no clock: polls the
   * database). `client` may be inside a transaction: pg_stat_activity is read once per
   * transaction unless its snapshot is cleared, so it is before each look.
   */
  async function untilOneWaits(client: pg.Client) {
    for (;;) {
      await client.query('select pg_stat_clear_snapshot()');
      const r = await client.query(
        `select count(*)::int as n from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'`,
        [`allot:${schema}`],
      );
      if (r.rows[0].n > 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Another process counting `bucket` (under its lock, as every Allot process does) while a hit
   * is asked: the hit waits for that lock (seen in pg_stat_activity), then decides from what
   * the other committed. `window` is the window the other writes in.
   */
  async function whileAnotherCounts(bucket: string, window: number, write: string, hit: () => Promise<unknown>) {
    const other = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}`, application_name: `other:${schema}` });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select pg_advisory_xact_lock($1, hashtext($2))', [RATE_LOCK_CLASS, bucket]);
      await other.query(write, [bucket, window]);
      const answer = hit();
      await untilOneWaits(other);
      await other.query('commit');
      return await answer;
    } finally {
      await other.end();
    }
  }

  const W = Math.floor((T0 + 10_000) / 60_000);

  it('decides from the count another process creates meanwhile', async () => {
    const name = `r${newId().slice(0, 6)}`;
    const [a] = twoInstances(name, 4, () => T0 + 10_000);
    // The other committed 3 first: one more, then none.
    const first = await whileAnotherCounts(`${name}:k`, W, 'insert into rate_limits (bucket, window_index, hits) values ($1, $2, 3)', () =>
      Promise.all([a.hit('k'), a.hit('k')]),
    );
    expect(first).toEqual([{ ok: true }, { ok: false, retryAfter: 50 }]);
  });

  it('decides from the count another process adds to meanwhile', async () => {
    const name = `u${newId().slice(0, 6)}`;
    const [a] = twoInstances(name, 5, () => T0 + 10_000);
    expect(await a.hit('k')).toEqual({ ok: true });
    // The other adds 3 under its lock: 4 of 5, one more, then none.
    const next = await whileAnotherCounts(`${name}:k`, W, 'update rate_limits set hits = hits + 3 where bucket = $1 and window_index = $2', () =>
      Promise.all([a.hit('k'), a.hit('k')]),
    );
    expect(next).toEqual([{ ok: true }, { ok: false, retryAfter: 50 }]);
  });

  it('at a window\'s turn, counts the hits another process adds to the window that just ended', async () => {
    const name = `v${newId().slice(0, 6)}`;
    // Just into window W+1; the other process, still in W, fills it (limit 4). The sliding window
    // still covers 99% of W, so nothing more may pass: ⌊4 − 4·0.99⌋ = 0.
    const [a] = twoInstances(name, 4, () => T0 + 60_000 + 600);
    const wNext = Math.floor((T0 + 60_000 + 600) / 60_000);
    const turn = await whileAnotherCounts(`${name}:k`, wNext - 1, 'insert into rate_limits (bucket, window_index, hits) values ($1, $2, 4)', () => a.hit('k'));
    expect(turn).toMatchObject({ ok: false });
  });

  /** A connection of another process on this schema (not named `allot:`, so not counted as one of ours). */
  async function otherProcess() {
    const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}`, application_name: `other:${schema}` });
    client.on('error', () => {});
    await client.connect();
    return client;
  }

  it('takes at most MAX_GROUP_BUCKETS bucket locks in one transaction, however many keys are asked at once', async () => {
    const name = `g${newId().slice(0, 6)}`;
    const limiter = createSharedRateLimiter({ name, limit: 1, now: () => T0 + 10_000, counters: rateCounters(store.db) });
    const keys = Array.from({ length: 5 * MAX_GROUP_BUCKETS }, (_, i) => `198.51.${i >> 8}.${i & 255}`);
    const held = await otherProcess();
    try {
      // Another process holds the lock a group takes last (the highest lock key) while all are asked.
      const { rows } = await held.query('select b from unnest($1::text[]) as b order by hashtext(b) desc limit 1', [keys.map((k) => `${name}:${k}`)]);
      await held.query('begin');
      await held.query('select pg_advisory_xact_lock($1, hashtext($2))', [RATE_LOCK_CLASS, rows[0].b]);
      const answers = Promise.all(keys.map((k) => limiter.hit(k)));
      await untilOneWaits(held);
      const locks = await held.query(
        `select count(*)::int as n from pg_locks l join pg_stat_activity a using (pid)
          where a.application_name = $1 and l.locktype = 'advisory' and l.classid = $2 and l.granted`,
        [`allot:${schema}`, RATE_LOCK_CLASS],
      );
      expect(locks.rows[0].n).toBeLessThan(MAX_GROUP_BUCKETS);
      await held.query('commit');
      expect((await answers).every((v) => v.ok)).toBe(true);
    } finally {
      await held.end();
    }
  });

  it('decides twenty thousand distinct keys asked at once, every one counted once', async () => {
    const name = `f${newId().slice(0, 6)}`;
    const limiter = createSharedRateLimiter({ name, limit: 1, now: () => T0 + 10_000, counters: rateCounters(store.db) });
    const keys = Array.from({ length: 20_000 }, (_, i) => `2001:db8::${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}`);
    const first = await Promise.all(keys.map((k) => limiter.hit(k)));
    expect(first.every((v) => v.ok)).toBe(true);
    const again = await Promise.all(keys.slice(0, 100).map((k) => limiter.hit(k)));
    expect(again.every((v) => !v.ok)).toBe(true);
  });

  it('fails as lock_not_available, not forever, when the process holding a bucket never lets go; other buckets go on', async () => {
    const name = `s${newId().slice(0, 6)}`;
    const counters = rateCounters(store.db);
    const limiter = createSharedRateLimiter({ name, limit: 5, now: () => T0 + 10_000, counters });
    // A process frozen (or cut off) inside its group: its transaction holds the lock and says nothing.
    const frozen = await otherProcess();
    try {
      await frozen.query('begin');
      await frozen.query('select pg_advisory_xact_lock($1, hashtext($2))', [RATE_LOCK_CLASS, `${name}:hot`]);
      await expect(limiter.hit('hot')).rejects.toMatchObject({ code: '55P03' });
      expect(await limiter.hit('cold')).toEqual({ ok: true });
      await frozen.query('rollback');
      expect(await limiter.hit('hot')).toEqual({ ok: true });
    } finally {
      await frozen.end();
    }
  });

  it('never fails a hit when four instances count one busy bucket at once, and lets exactly `limit` through', async () => {
    const name = `m${newId().slice(0, 6)}`;
    const more = await Promise.all([0, 1].map(() => openStore({ databaseUrl: PG_URL, pgSchema: schema })));
    try {
      const t = T0 + 10_000;
      const limiters = [store, other, ...more].map((s) => createSharedRateLimiter({ name, limit: 150, now: () => t, counters: rateCounters(s.db) }));
      // 600 hits in waves, as many people behind one address would send them.
      const verdicts = (
        await Promise.all(
          Array.from({ length: 12 }, async (_, wave) => {
            await new Promise((r) => setTimeout(r, wave));
            return Promise.all(Array.from({ length: 50 }, (_, i) => limiters[(wave + i) % 4].hit('nat')));
          }),
        )
      ).flat();
      expect(verdicts.filter((v) => v.ok)).toHaveLength(150);
      // What the table holds, read as another client would.
      const reader = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
      await reader.connect();
      const { rows } = await reader.query('select hits from rate_limits where bucket = $1', [`${name}:nat`]).finally(() => reader.end());
      expect(rows).toEqual([{ hits: 150 }]);
    } finally {
      await Promise.all(more.map((s) => s.close()));
    }
  });
});
