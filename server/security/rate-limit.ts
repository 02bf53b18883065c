import type { RateCounters } from '../store/rate-counters';

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
 * fixed window, the hit added by one atomic upsert only while the window has room (so two
 * instances answering at once never let more through than one would).
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
  return {
    async hit(key) {
      const now = opts.now();
      const window = Math.floor(now / windowMs);
      const bucket = prefix + key.slice(0, 250);
      if (forgottenBefore < window - 1) {
        // Once a window per process: older windows no longer count.
        forgottenBefore = window - 1;
        await opts.counters.forgetBefore(prefix, window - 1);
      }
      const elapsed = (now % windowMs) / windowMs;
      const { counted, previous } = await opts.counters.slidingHit(bucket, window, opts.limit, 1 - elapsed);
      if (counted) return { ok: true };
      const current = await opts.counters.count(bucket, window);
      return { ok: false, retryAfter: retryAfter(opts.limit, current, previous, now, windowMs) };
    },
  };
}
