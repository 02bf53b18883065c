import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionKit, type CollectionKit } from '../../test/helpers/collection-kit';
import { findDoc } from '../store/docs';
import { organizations } from './organizations';

describe('organizations (server/collections/organizations.ts)', () => {
  let k: CollectionKit;
  beforeAll(async () => {
    k = await collectionKit();
  });
  afterAll(async () => {
    await k?.close();
  });

  it('has no rules beyond the shared ones: an org admin renames it', async () => {
    expect(organizations).toEqual({});
    const acme = await k.org('Acme', 'ada@acme.test');
    const org = (await findDoc(k.store.db, 'organizations', acme.orgId))!;
    expect(await k.push(acme.admin, 'organizations', [k.row({ ...org, name: 'Acme Corp' }, org)])).toEqual({ conflicts: [], rejected: [] });
    expect((await findDoc(k.store.db, 'organizations', acme.orgId))?.name).toBe('Acme Corp');
  });
});
