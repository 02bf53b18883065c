import { describe, expect, it } from 'vitest';
import { orgPath, parseOrgPath } from './links';

describe('org paths', () => {
  const id = '6f1c1f0e-8d4b-4c1e-9a51-0a3b9f1c2d3e';
  it('put the organization first', () => {
    expect(orgPath(id, '/licenses')).toBe(`/o/${id}/licenses`);
    expect(orgPath(id, '/billing?invoice=1')).toBe(`/o/${id}/billing?invoice=1`);
    expect(orgPath(id, 'teams')).toBe(`/o/${id}/teams`);
  });
  it('read back', () => {
    expect(parseOrgPath(`/o/${id}/licenses`)).toEqual({ orgId: id, path: '/licenses' });
    expect(parseOrgPath(`/o/${id}`)).toEqual({ orgId: id, path: '/' });
    expect(parseOrgPath('/join/abc')).toBeNull();
    expect(parseOrgPath('/other')).toBeNull();
  });
});
