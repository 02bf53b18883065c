import { describe, expect, it } from 'vitest';
import { keepUnchanged } from './keep-unchanged';

describe('keepUnchanged', () => {
  const key = (x: { id: string }) => x.id;
  it('keeps the earlier object of every entry that did not change, and takes the changed and new ones', () => {
    const a = { id: 'a', n: 1, tags: ['x'] };
    const b = { id: 'b', n: 2 };
    const out = keepUnchanged([a, b], [{ id: 'b', n: 3 }, { id: 'a', n: 1, tags: ['x'] }, { id: 'c', n: 0 }], key);
    expect(out[1]).toBe(a);
    expect(out[0]).toEqual({ id: 'b', n: 3 });
    expect(out[0]).not.toBe(b);
    expect(out.map(key)).toEqual(['b', 'a', 'c']);
  });
  it('takes everything new when nothing was shown before', () => {
    const next = [{ id: 'a' }];
    expect(keepUnchanged(undefined, next, key)).toEqual(next);
  });
});
