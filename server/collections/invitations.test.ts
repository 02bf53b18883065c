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
    k.fresh<'invitations'>({ id: newId(), orgId: acme.orgId, teamId, productId, allowedDomains: [], createdByMemberId: acme.memberId, ...over });

  it('fixes its link, team, product and creator', () => {
    const inv = invitation({ token: randomToken() });
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

  it('refuses a token chosen by a client, guessable or not: the server makes it', async () => {
    for (const token of ['aaaaaaaaaaaaaaaaaaaaaa', randomToken()]) {
      const inv = invitation({ token });
      expect(fieldRefusal('invitations', invitations, undefined, inv)).toMatchObject({ code: 'server-only', fields: ['token'] });
      expect(await k.push(acme.admin, 'invitations', [k.row(inv)])).toMatchObject({ rejected: [{ id: inv.id, code: 'server-only' }] });
    }
  });

  it('gives each new invitation a random 128-bit token of its own, kept by later changes', async () => {
    const made = [invitation(), invitation()];
    expect(await k.push(acme.admin, 'invitations', made.map((d) => k.row(d)))).toEqual({ conflicts: [], rejected: [] });
    const stored = (await k.docs(acme.orgId, 'invitations')).filter((d) => made.some((m) => m.id === d.id));
    expect(stored).toHaveLength(2);
    for (const d of stored) expect(d.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(stored[0].token).not.toBe(stored[1].token);
    const renamed = { ...stored[0], name: 'Renamed' };
    expect(await k.push(acme.admin, 'invitations', [k.row(renamed, stored[0])])).toEqual({ conflicts: [], rejected: [] });
    const [after] = (await k.docs(acme.orgId, 'invitations')).filter((d) => d.id === renamed.id);
    expect(after).toMatchObject({ name: 'Renamed', token: stored[0].token });
  });

  it('stores allowed domains in their normalized form', async () => {
    const inv = invitation({ allowedDomains: ['MÜNCHEN.test', '*.Example.com'] as string[] });
    const r = await k.push(acme.admin, 'invitations', [k.row(inv)]);
    expect(r).toEqual({ conflicts: [], rejected: [] });
    const [stored] = (await k.docs(acme.orgId, 'invitations')).filter((d) => d.id === inv.id);
    expect(stored.allowedDomains).toEqual(['xn--mnchen-3ya.test', '*.example.com']);
  });
});
