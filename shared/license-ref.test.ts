import { describe, expect, it } from 'vitest';
import { licenseRef } from './license-ref';

describe('licenseRef (shared/license-ref.ts)', () => {
  it('reads a UUID as L-XXXX-XXXX', () => {
    expect(licenseRef('b01ed95e-3c4d-4e5f-8a9b-0c1d2e3f4a5b')).toBe('L-B01E-D95E');
    expect(licenseRef('0000000a-0000-4000-8000-000000000000')).toBe('L-0000-000A');
  });
});
