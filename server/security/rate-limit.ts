import type { HitAsk, RateCounters, SlidingHit } from '../store/rate-counters';

/**
 * Rate limiters (DESIGN §8): at most `limit` hits per key in any window of `windowMs`,
 * estimated from the current and the previous fixed window as the window slides (the usual
 * "sliding window counter"). A refused hit is not counted.
 *
 * Two homes for the counts: this process's memory (one process on SQLite), or the database
 * (`DATABASE_URL` set: every instance on that PostgreSQL counts in one place, DESIGN §9).
 */
export type Verdict = { ok: true } | { ok: false; retryAfter: number };

export interface RateLimiter {
  /** Counts a hit for `key`; `ok: false` with the seconds to wait when over the limit. */
  hit(key: string): Promise<Verdict>;
  /** Counting in the database: how to ask its counters (hitInTurn asks several limiters at once). */
  shared?: SharedHits;
}

interface SharedHits {
  counters: RateCounters;
  /** The hit for `key` now, and the verdict its answer gives. */
  ask(key: string): { hit: HitAsk; verdict: (answer: SlidingHit) => Verdict };
}

/**
 * The most hits the current window may hold: what the limit leaves once the previous window's
 * hits, weighted by how much of it the sliding window still covers, are taken off.
 */
function allowance(limit: number, previous: number, elapsed: number): number {
  return Math.floor(limit - previous * (1 - elapsed));
}

/** Seconds until a hit would be let through: as the previous window's weight fades, or else when this window ends. */
function retryAfter(limit: number, current: number, previous: number, now: number, windowMs: number): number {
  const elapsed = (now % windowMs) / windowMs;
  const room = limit - current - 1;
  const wait = previous > 0 && room >= 0 ? (1 - room / previous - elapsed) * windowMs : windowMs - (now % windowMs);
  return Math.max(1, Math.ceil(wait / 1000));
}

interface Bucket {
  window: number;
  current: number;
  previous: number;
}

/** Counts in this process's memory, forgetting the oldest keys beyond `maxKeys`. */
export function createRateLimiter(opts: { limit: number; windowMs?: number; now: () => number; maxKeys?: number }): RateLimiter {
  const windowMs = opts.windowMs ?? 60_000;
  const maxKeys = opts.maxKeys ?? 100_000;
  const buckets = new Map<string, Bucket>();
  let sweptAt = 0;

  function sweep(now: number) {
    const window = Math.floor(now / windowMs);
    if (window === sweptAt && buckets.size < maxKeys) return;
    sweptAt = window;
    for (const [k, b] of buckets) if (b.window < window - 1) buckets.delete(k);
    // Still too many keys (a flood of addresses): forget the oldest rather than grow without bound.
    if (buckets.size >= maxKeys) {
      const drop = buckets.size - Math.floor(maxKeys / 2);
      let i = 0;
      for (const k of buckets.keys()) {
        if (i++ >= drop) break;
        buckets.delete(k);
      }
    }
  }

  return {
    async hit(key) {
      const now = opts.now();
      sweep(now);
      const window = Math.floor(now / windowMs);
      let b = buckets.get(key);
      if (!b) {
        b = { window, current: 0, previous: 0 };
        buckets.set(key, b);
      } else if (b.window !== window) {
        b.previous = b.window === window - 1 ? b.current : 0;
        b.current = 0;
        b.window = window;
      }
      if (b.current >= allowance(opts.limit, b.previous, (now % windowMs) / windowMs)) {
        return { ok: false, retryAfter: retryAfter(opts.limit, b.current, b.previous, now, windowMs) };
      }
      b.current += 1;
      return { ok: true };
    },
  };
}

/**
 * Counts in the database, shared by every process on it: bucket `<name>:<key>`, one row per
 * fixed window, the hit added only while the window has room, checked against the row's
 * latest count under its lock (so two instances answering at once never let more through than
 * one would). Hits asked at once, by every limiter on the same `counters`, are decided together
 * in one statement, each in the order asked (store/rate-counters.ts).
 */
export function createSharedRateLimiter(opts: {
  name: string;
  limit: number;
  windowMs?: number;
  now: () => number;
  counters: RateCounters;
}): RateLimiter {
  const windowMs = opts.windowMs ?? 60_000;
  const prefix = `${opts.name}:`;
  let forgottenBefore = 0;
  const shared: SharedHits = {
    counters: opts.counters,
    ask(key) {
      const now = opts.now();
      const window = Math.floor(now / windowMs);
      if (forgottenBefore < window - 1) {
        // Once a window per process: older windows no longer count. Not waited for: no hit reads
        // them, and the hit that happens to come first keeps its place among those asked with it.
        // A failed delete is done by the next window's (it forgets everything older).
        forgottenBefore = window - 1;
        opts.counters.forgetBefore(prefix, window - 1).catch(() => {});
      }
      return {
        hit: { bucket: prefix + key.slice(0, 250), window, limit: opts.limit, weight: 1 - (now % windowMs) / windowMs },
        verdict: (r) => (r.counted ? { ok: true } : { ok: false, retryAfter: retryAfter(opts.limit, r.current, r.previous, now, windowMs) }),
      };
    },
  };
  return {
    shared,
    async hit(key) {
      const { hit, verdict } = shared.ask(key);
      const [answer] = await opts.counters.slidingHits([hit]);
      return verdict(answer);
    },
  };
}

/**
 * Hits each limiter with its key in turn, as `hit` one after another would: the first refusal
 * is the answer, and the limiters after it are not asked (their hits not counted). Limiters
 * counting in the same database ask in one turn of one statement instead of one each.
 */
export async function hitInTurn(hits: ReadonlyArray<readonly [RateLimiter, string]>): Promise<Verdict> {
  const counters = hits[0]?.[0].shared?.counters;
  if (counters && hits.every(([l]) => l.shared?.counters === counters)) {
    const asked = hits.map(([l, key]) => l.shared!.ask(key));
    const answers = await counters.slidingHits(asked.map((a) => a.hit));
    for (const [i, answer] of answers.entries()) if (!answer.counted) return asked[i].verdict(answer);
    return { ok: true };
  }
  for (const [limiter, key] of hits) {
    const r = await limiter.hit(key);
    if (!r.ok) return r;
  }
  return { ok: true };
}
