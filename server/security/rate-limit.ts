/**
 * A plain in-memory sliding-window limiter (DESIGN §8): at most `limit` hits per key in any
 * window of `windowMs`, estimated from the current and the previous fixed window as the
 * window slides (the usual "sliding window counter"). One process keeps its own counts;
 * behind a load balancer each process limits on its own, which only makes the limit
 * per-process, never absent.
 */
export interface RateLimiter {
  /** Counts a hit for `key`; `ok: false` with the seconds to wait when over the limit (the hit is not counted then). */
  hit(key: string): { ok: true } | { ok: false; retryAfter: number };
  /** Keys currently tracked (for tests and housekeeping). */
  size(): number;
}

interface Bucket {
  window: number;
  current: number;
  previous: number;
}

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
    hit(key) {
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
      const elapsed = (now % windowMs) / windowMs;
      const estimate = b.previous * (1 - elapsed) + b.current;
      if (estimate + 1 > opts.limit) {
        // When the estimate falls below the limit again: as the previous window's weight fades,
        // or else once this window is over.
        const room = opts.limit - b.current - 1;
        const wait =
          b.previous > 0 && room >= 0
            ? (1 - room / b.previous - elapsed) * windowMs
            : windowMs - (now % windowMs);
        return { ok: false, retryAfter: Math.max(1, Math.ceil(wait / 1000)) };
      }
      b.current += 1;
      return { ok: true };
    },
    size: () => buckets.size,
  };
}
