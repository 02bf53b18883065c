import { describe, expect, it } from 'vitest';
import { backoffDelay, createBackoffGate } from './backoff-gate';

/** A clock the test moves by hand, with the timers it holds. */
function fakeTime() {
  let t = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  return {
    now: () => t,
    setTimer: (fn: () => void, ms: number) => {
      const id = next++;
      timers.set(id, { at: t + ms, fn });
      return id;
    },
    clearTimer: (id: unknown) => void timers.delete(id as number),
    async advance(ms: number) {
      t += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at <= t) {
          timers.delete(id);
          timer.fn();
        }
      }
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe('backoff gate (client/db/backoff-gate.ts)', () => {
  it('waits 1 s, 2 s, 4 s … up to a minute after failures in a row', () => {
    expect([1, 2, 3, 4, 7, 8, 20].map((n) => backoffDelay(n))).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000, 60_000]);
  });

  it('counts requests that were already out and fail together as one failure', async () => {
    const time = fakeTime();
    const gate = createBackoffGate(time);
    const out = await Promise.all(Array.from({ length: 13 }, () => gate.admit()));
    for (const done of out) done(false);
    expect(gate.failures).toBe(1);
  });

  it('lets every request through while the server answers', async () => {
    const gate = createBackoffGate();
    for (let i = 0; i < 5; i++) (await gate.admit())(true);
    expect(gate.failures).toBe(0);
  });

  it('offline: one probe at a time, spaced by the backoff; thirteen collections make one request per delay, not thirteen', async () => {
    const time = fakeTime();
    const gate = createBackoffGate(time);
    (await gate.admit())(false);
    let sent = 0;
    const attempts = Array.from({ length: 13 }, async () => {
      const done = await gate.admit();
      sent += 1;
      return done;
    });
    await time.advance(999);
    expect(sent).toBe(0);
    await time.advance(1);
    expect(sent).toBe(1);
    // The probe fails: the other twelve keep waiting, now for 2 s.
    const probe = await Promise.race(attempts);
    probe(false);
    await time.advance(1999);
    expect(sent).toBe(1);
    await time.advance(1);
    expect(sent).toBe(2);
    expect(gate.failures).toBe(2);
  });

  it('opens at once when the network comes back, and lets all through once the server answers', async () => {
    const time = fakeTime();
    const gate = createBackoffGate(time);
    for (let i = 0; i < 6; i++) {
      const done = await (async () => {
        const p = gate.admit();
        await time.advance(60_000);
        return p;
      })();
      done(false);
    }
    let sent = 0;
    const waiting = Array.from({ length: 3 }, () => gate.admit().then((d) => (sent++, d)));
    await time.advance(0);
    expect(sent).toBe(0);
    gate.wake();
    await time.advance(0);
    expect(sent).toBe(1);
    (await Promise.race(waiting))(true);
    await time.advance(0);
    expect(sent).toBe(3);
    expect(gate.failures).toBe(0);
  });
});
