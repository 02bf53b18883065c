import { describe, expect, it } from 'vitest';
import { formatMoney } from './money';

describe('formatMoney', () => {
  it('writes cents in a currency', () => {
    expect(formatMoney(845_000, 'EUR', 'en')).toBe('€8,450.00');
    expect(formatMoney(99, 'USD', 'en')).toBe('$0.99');
    expect(formatMoney(100, '', 'en')).toBe('€1.00');
    expect(formatMoney(12_345, 'XYZ1', 'en')).toBe('123.45 XYZ1');
  });
});
