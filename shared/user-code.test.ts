import { describe, expect, it } from 'vitest';
import { formatUserCode, normalizeUserCode } from './user-code';

describe('user codes (RFC 8628 §6.1)', () => {
  it('read as typed: either case, with or without the dash or spaces', () => {
    expect(normalizeUserCode('BCDF-GHJK')).toBe('BCDFGHJK');
    expect(normalizeUserCode(' bcdf ghjk ')).toBe('BCDFGHJK');
    expect(normalizeUserCode('bcdfghjk')).toBe('BCDFGHJK');
    expect(formatUserCode('BCDFGHJK')).toBe('BCDF-GHJK');
  });
  it('refuse what cannot be a code: vowels, digits, look-alikes, wrong length', () => {
    for (const bad of ['ABCD-EFGH', 'BCDF-GHJ0', 'BCDF-GHJ', 'BCDF-GHJKL', '', 'B'.repeat(41)]) expect(normalizeUserCode(bad)).toBeNull();
  });
});
