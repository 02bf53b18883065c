import { describe, expect, it } from 'vitest';
import type { WireDoc } from '../../shared/schemas';
import { COLLECTIONS } from './index';
import { fieldRefusal } from './field-rules';

/** The rules every collection shares, and the collections only the server writes. */
describe('field rules (server/collections/field-rules.ts)', () => {
  const team = (over: Partial<WireDoc<'teams'>> = {}): WireDoc<'teams'> => ({ id: 't', orgId: 'o', name: 'Platform', seq: 0, updatedAt: '', _deleted: false, ...over });

  it('wants seq and updatedAt as the server last wrote them (0 and "" when new)', () => {
    expect(fieldRefusal('teams', COLLECTIONS.teams, undefined, team())).toBeNull();
    expect(fieldRefusal('teams', COLLECTIONS.teams, undefined, team({ seq: 3 }))).toMatchObject({ code: 'server-only', fields: ['seq'] });
    const stored = team({ seq: 7, updatedAt: '2026-03-01T00:00:00.000Z' });
    expect(fieldRefusal('teams', COLLECTIONS.teams, stored, { ...stored, name: 'Core' })).toBeNull();
    expect(fieldRefusal('teams', COLLECTIONS.teams, stored, { ...stored, updatedAt: '2099-01-01T00:00:00.000Z' })).toMatchObject({ fields: ['updatedAt'] });
  });

  it('never moves a document to another organization', () => {
    const stored = team({ seq: 7, updatedAt: 'x' });
    for (const name of ['organizations', 'teams', 'contacts'] as const) {
      expect(fieldRefusal(name, COLLECTIONS[name] as never, stored as never, { ...stored, orgId: 'other' } as never)).toMatchObject({
        code: 'immutable-field',
        fields: ['orgId'],
      });
    }
  });

  it('refuses every write of a collection only the server writes', () => {
    const serverWritten = Object.entries(COLLECTIONS).filter(([, r]) => r.serverWritten).map(([n]) => n);
    expect(serverWritten.sort()).toEqual(['acceptances', 'auditEvents', 'notifications', 'products', 'refusedClaims']);
    for (const name of ['acceptances', 'auditEvents', 'notifications', 'products', 'refusedClaims'] as const) {
      expect(fieldRefusal(name, COLLECTIONS[name] as never, undefined, { id: 'x', seq: 0, updatedAt: '', _deleted: false } as never)).toEqual({
        code: 'server-only',
        message: `Only the server writes ${name}`,
      });
    }
  });
});
