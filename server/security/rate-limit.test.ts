import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPgSchema, openStore, type Store } from '../store/open-store';
import { rateCounters } from '../store/rate-counters';
import { newId } from '../../shared/ids';
import { createRateLimiter, createSharedRateLimiter, type RateLimiter } from './rate-limit';

const PG_URL = process.env.TEST_DATABASE_URL;
if (!PG_URL) console.warn('TEST_DATABASE_URL is not set: the database rate limiter is not compared with the in-memory one');

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
});

describe.skipIf(!PG_URL)('rate limiter counting in PostgreSQL', () => {
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
