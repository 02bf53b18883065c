import { describe, expect, it } from 'vitest';
import { newId, newOrderedId } from './ids';
import { licenseRef } from './license-ref';

describe('licenseRef (shared/license-ref.ts)', () => {
  it('reads a UUID as L-XXXX-XXXX', () => {
    expect(licenseRef('b01ed95e-3c4d-4e5f-8a9b-0c1d2e3f4a5b')).toBe('L-B01E-D95E');
    expect(licenseRef('0000000a-0000-4000-8000-000000000000')).toBe('L-0000-000A');
  });

  it('tells apart licenses whose ids were made one after another (an order’s, time-ordered)', () => {
    // Made in the same millisecond or two: their first eight digits are the same time.
    const ids = Array.from({ length: 1000 }, newOrderedId);
    expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBeLessThan(3);
    expect(new Set(ids.map(licenseRef)).size).toBe(1000);
    expect(licenseRef('019adc4e-1b2c-7d3e-8f40-5a6b7c8d9eaf')).toBe('L-7C8D-9EAF');
  });

  it('keeps the reference of a license with a random id', () => {
    const id = newId();
    expect(licenseRef(id)).toBe(`L-${id.slice(0, 4).toUpperCase()}-${id.slice(4, 8).toUpperCase()}`);
  });
});
