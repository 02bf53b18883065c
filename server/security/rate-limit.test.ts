import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPgSchema, openStore, type Store } from '../store/open-store';
import { rateCounters } from '../store/rate-counters';
import { newId } from '../../shared/ids';
import { PG_URL, skipWithoutPg } from '../../test/helpers/pg';
import { createRateLimiter, createSharedRateLimiter, type RateLimiter } from './rate-limit';


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

describe('in-memory rate limiter', () => {
  behavesAsASlidingWindow((now) => createRateLimiter({ limit: 4, now }));

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
  let store: Store;
  const schema = `t_${newId().replace(/-/g, '').slice(0, 16)}`;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: PG_URL, pgSchema: schema });
  });
  afterAll(async () => {
    await store?.close();
    await dropPgSchema(PG_URL!, schema);
  });
  behavesAsASlidingWindow((now) => createSharedRateLimiter({ name: `t${newId().slice(0, 6)}`, limit: 4, now, counters: rateCounters(store.db) }));
});
