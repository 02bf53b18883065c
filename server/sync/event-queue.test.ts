import { describe, expect, it } from 'vitest';
import { createEventQueue, KEEP_ALIVE } from './event-queue';

describe('a live connection’s event queue', () => {
  it('hands out events in order, also those pushed while the reader waits', async () => {
    const q = createEventQueue<number>({ keepAliveMs: 60_000 });
    q.push(1);
    q.push(2);
    const seen: unknown[] = [];
    const reading = (async () => {
      for await (const ev of q) {
        seen.push(ev);
        if (seen.length === 4) q.close();
      }
    })();
    await new Promise((r) => setTimeout(r, 5));
    q.push(3);
    q.push(4);
    await reading;
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('says it is alive after keepAliveMs without an event', async () => {
    const q = createEventQueue<string>({ keepAliveMs: 10 });
    const it = q[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe(KEEP_ALIVE);
    q.push('x');
    expect((await it.next()).value).toBe('x');
    q.close();
    expect((await it.next()).done).toBe(true);
  });

  it('ends when closed, calls onClose once, and takes no more events', async () => {
    let closed = 0;
    const q = createEventQueue<string>({ keepAliveMs: 60_000, onClose: () => (closed += 1) });
    const it = q[Symbol.asyncIterator]();
    const next = it.next();
    q.close();
    q.close();
    q.push('late');
    expect((await next).done).toBe(true);
    expect(closed).toBe(1);
    expect(q.closed).toBe(true);
  });
});
