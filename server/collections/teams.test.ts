import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionKit, type CollectionKit } from '../../test/helpers/collection-kit';
import { newId } from '../../shared/ids';
import { teams } from './teams';

describe('teams (server/collections/teams.ts)', () => {
  let k: CollectionKit;
  beforeAll(async () => {
    k = await collectionKit();
  });
  afterAll(async () => {
    await k?.close();
  });

  it('has no rules beyond the shared ones: an org admin makes, renames and removes one', async () => {
    expect(teams).toEqual({});
    const acme = await k.org('Acme', 'ada@acme.test');
    const team = k.fresh<'teams'>({ id: newId(), orgId: acme.orgId, name: 'Platform' });
    expect(await k.push(acme.admin, 'teams', [k.row(team)])).toEqual({ conflicts: [], rejected: [] });
    const [stored] = await k.docs(acme.orgId, 'teams');
    expect(await k.push(acme.admin, 'teams', [k.row({ ...stored, name: 'Core' }, stored)])).toEqual({ conflicts: [], rejected: [] });
    const [renamed] = await k.docs(acme.orgId, 'teams');
    expect(renamed.name).toBe('Core');
    expect(await k.push(acme.admin, 'teams', [k.row({ ...renamed, _deleted: true }, renamed)])).toEqual({ conflicts: [], rejected: [] });
    expect(await k.docs(acme.orgId, 'teams')).toEqual([]);
  });
});
