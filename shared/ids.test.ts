import { describe, expect, it } from 'vitest';
import { UUID_PATTERN, isUuid, newId, newOrderedId, shortId } from './ids';

describe('newOrderedId', () => {
  it('makes canonical version-7 UUIDs (RFC 9562 §5.7) whose first 48 bits are the time in milliseconds', () => {
    const before = Date.now();
    const id = newOrderedId();
    const after = Date.now();
    expect(id).toMatch(UUID_PATTERN);
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
    const ms = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after + 1);
  });

  it('sorts every id after the ones made before it, thousands within one millisecond included', () => {
    const ids = Array.from({ length: 20_000 }, () => newOrderedId());
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
  });

  it('keeps random bits after the counter', () => {
    const tails = new Set(Array.from({ length: 100 }, () => newOrderedId().slice(19)));
    expect(tails.size).toBe(100);
  });
});

describe('shortId', () => {
  it('reads the random end of a time-ordered id, the start of any other', () => {
    const ordered = Array.from({ length: 1000 }, newOrderedId);
    expect(new Set(ordered.map(shortId)).size).toBe(1000);
    expect(shortId('019adc4e-1b2c-7d3e-8f40-5a6b7c8d9eaf')).toBe('7c8d9eaf');
    const random = newId();
    expect(shortId(random)).toBe(random.slice(0, 8));
    expect(shortId('product-allot-pro')).toBe('product-');
  });
});
