import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit';

/** A clock the limiter reads; starts at the beginning of a window. */
function clock(start = 6_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('rate limiter (sliding window counter)', () => {
  it('lets `limit` hits through in a window and refuses the next, with the seconds to wait', () => {
    const c = clock();
    const rl = createRateLimiter({ limit: 3, now: c.now });
    expect([rl.hit('a'), rl.hit('a'), rl.hit('a')]).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(rl.hit('a')).toEqual({ ok: false, retryAfter: 60 });
    c.advance(15_000);
    expect(rl.hit('a')).toEqual({ ok: false, retryAfter: 45 });
  });

  it('counts each key on its own', () => {
    const c = clock();
    const rl = createRateLimiter({ limit: 1, now: c.now });
    expect(rl.hit('a').ok).toBe(true);
    expect(rl.hit('b').ok).toBe(true);
    expect(rl.hit('a').ok).toBe(false);
    expect(rl.size()).toBe(2);
  });

  it('does not count a refused hit', () => {
    const c = clock();
    const rl = createRateLimiter({ limit: 2, now: c.now });
    rl.hit('a');
    rl.hit('a');
    for (let i = 0; i < 50; i++) expect(rl.hit('a').ok).toBe(false);
    // The next window weighs the previous one's 2 hits, not 52.
    c.advance(60_000 + 45_000);
    expect(rl.hit('a').ok).toBe(true);
  });

  it('slides: the previous window weighs less as the current one goes on', () => {
    const c = clock();
    const rl = createRateLimiter({ limit: 4, now: c.now });
    for (let i = 0; i < 4; i++) expect(rl.hit('a').ok).toBe(true);
    // A quarter into the next window, the previous 4 hits weigh 3: one more fits.
    c.advance(60_000 + 15_000);
    expect(rl.hit('a').ok).toBe(true);
    const refused = rl.hit('a');
    expect(refused.ok).toBe(false);
    // Waiting what it says is enough, and not much more than needed.
    if (!refused.ok) {
      c.advance(refused.retryAfter * 1000);
      expect(rl.hit('a').ok).toBe(true);
    }
    // Two windows later nothing is remembered.
    c.advance(120_000);
    for (let i = 0; i < 4; i++) expect(rl.hit('a').ok).toBe(true);
  });

  it('forgets old keys and stays bounded under a flood of keys', () => {
    const c = clock();
    const rl = createRateLimiter({ limit: 1, now: c.now, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) rl.hit(`addr-${i}`);
    expect(rl.size()).toBeLessThanOrEqual(100);
    c.advance(180_000);
    rl.hit('late');
    expect(rl.size()).toBe(1);
  });

  it('takes its window length', () => {
    const c = clock(0);
    const rl = createRateLimiter({ limit: 1, windowMs: 1000, now: c.now });
    expect(rl.hit('a').ok).toBe(true);
    expect(rl.hit('a')).toEqual({ ok: false, retryAfter: 1 });
    c.advance(2000);
    expect(rl.hit('a').ok).toBe(true);
  });
});
