import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionKit, type CollectionKit } from '../../test/helpers/collection-kit';
import { newId } from '../../shared/ids';
import { randomToken } from '../../shared/tokens';
import type { WireDoc } from '../../shared/schemas';
import { fieldRefusal } from './field-rules';
import { invitations } from './invitations';

describe('invitations (server/collections/invitations.ts)', () => {
  let k: CollectionKit;
  let acme: Awaited<ReturnType<CollectionKit['org']>>;
  let globex: Awaited<ReturnType<CollectionKit['org']>>;
  let productId: string;
  const teamId = newId();
  const theirTeam = newId();
  beforeAll(async () => {
    k = await collectionKit();
    acme = await k.org('Acme', 'ada@acme.test');
    globex = await k.org('Globex', 'gil@globex.test');
    productId = await k.product();
    await k.put(acme.orgId, 'teams', [{ id: teamId, orgId: acme.orgId, name: 'Platform' }]);
    await k.put(globex.orgId, 'teams', [{ id: theirTeam, orgId: globex.orgId, name: 'Theirs' }]);
  });
  afterAll(async () => {
    await k?.close();
  });

  const invitation = (over: Partial<WireDoc<'invitations'>> = {}) =>
    k.fresh<'invitations'>({ id: newId(), orgId: acme.orgId, teamId, productId, token: randomToken(), allowedDomains: [], createdByMemberId: acme.memberId, ...over });

  it('fixes its link, team, product and creator', () => {
    const inv = invitation();
    for (const change of [{ token: randomToken() }, { teamId: newId() }, { productId: 'p' }, { createdByMemberId: newId() }]) {
      expect(fieldRefusal('invitations', invitations, inv, { ...inv, ...change })).toMatchObject({ code: 'immutable-field' });
    }
    expect(fieldRefusal('invitations', invitations, inv, { ...inv, name: 'Spring', disabledAt: '2026-03-02T00:00:00.000Z' })).toBeNull();
  });

  it('refuses another organization’s team and an unknown product', async () => {
    expect(await k.check('invitations', acme.admin, undefined, invitation({ teamId: theirTeam }))).toMatchObject({ code: 'unknown-reference', fields: ['teamId'] });
    expect(await k.check('invitations', acme.admin, undefined, invitation({ productId: 'product-none' }))).toMatchObject({ fields: ['productId'] });
    expect(await k.check('invitations', acme.admin, undefined, invitation())).toBeNull();
  });

  it('refuses a token another invitation holds, a deleted one’s too, anywhere', async () => {
    const [live] = await k.put(acme.orgId, 'invitations', [invitation()]);
    const [gone] = await k.put(globex.orgId, 'invitations', [{ ...invitation({ orgId: globex.orgId, teamId: theirTeam, createdByMemberId: globex.memberId }), _deleted: true }]);
    for (const token of [live.token, gone.token]) {
      expect(await k.check('invitations', acme.admin, undefined, invitation({ token }))).toMatchObject({ code: 'token-taken', fields: ['token'] });
    }
    expect(await k.check('invitations', acme.admin, live, { ...live, name: 'Renamed' })).toBeNull();
  });

  it('stores allowed domains in their normalized form', async () => {
    const inv = invitation({ allowedDomains: ['MÜNCHEN.test', '*.Example.com'] as string[] });
    const r = await k.push(acme.admin, 'invitations', [k.row(inv)]);
    expect(r).toEqual({ conflicts: [], rejected: [] });
    const [stored] = (await k.docs(acme.orgId, 'invitations')).filter((d) => d.id === inv.id);
    expect(stored.allowedDomains).toEqual(['xn--mnchen-3ya.test', '*.example.com']);
  });
});
