import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionKit, type CollectionKit } from '../../test/helpers/collection-kit';
import { findDoc } from '../store/docs';
import { newId } from '../../shared/ids';
import type { WireDoc } from '../../shared/schemas';
import { fieldRefusal } from './field-rules';
import { licenses } from './licenses';

describe('licenses (server/collections/licenses.ts)', () => {
  let k: CollectionKit;
  let acme: Awaited<ReturnType<CollectionKit['org']>>;
  let productId: string;
  const teamA = newId();
  const teamB = newId();
  const orderId = newId();
  const invitationId = newId();
  beforeAll(async () => {
    k = await collectionKit();
    acme = await k.org('Acme', 'ada@acme.test');
    productId = await k.product('Rocket IDE');
    await k.put(acme.orgId, 'teams', [
      { id: teamA, orgId: acme.orgId, name: 'Team A' },
      { id: teamB, orgId: acme.orgId, name: 'Team B' },
    ]);
    await k.order(acme.orgId, productId, { id: orderId, teamId: teamA, lines: [{ productId, quantity: 5 }] });
  });
  afterAll(async () => {
    await k?.close();
  });

  const holder = { accountId: 'acc-kim', email: 'kim@people.test', name: 'Kim' };
  const available = (over: Partial<WireDoc<'licenses'>> = {}) =>
    k.fresh<'licenses'>({ id: newId(), orgId: acme.orgId, orderId, teamId: teamA, productId, status: 'available', validUntil: '2027-03-01', ...over });
  const assigned = (over: Partial<WireDoc<'licenses'>> = {}) =>
    available({ status: 'assigned', assignee: holder, assignedAt: '2026-03-01T10:00:00.000Z', assignedVia: invitationId, ...over });
  const revoked = (l: WireDoc<'licenses'>, over: Partial<WireDoc<'licenses'>> = {}) => {
    const { assignee: _a, assignedAt: _b, assignedVia: _c, ...rest } = l;
    return { ...rest, status: 'available' as const, ...over };
  };
  const fields = (before: WireDoc<'licenses'> | undefined, after: WireDoc<'licenses'>) => fieldRefusal('licenses', licenses, before, after);

  it('starts available; a client never assigns', () => {
    // Licenses come only from orders (DESIGN §3): a client never creates one, not even an available one.
    expect(fields(undefined, available())).toMatchObject({ code: 'server-only' });
    expect(fields(undefined, available({ status: 'assigned' }))).toMatchObject({ code: 'server-only' });
    expect(fields(undefined, assigned())).toMatchObject({ code: 'server-only' });
    const a = available();
    expect(fields(a, { ...a, status: 'assigned' })).toMatchObject({ code: 'server-only', fields: ['status'] });
  });

  it('may be revoked — alone, or with a move to another team — but only with the whole assignment cleared', () => {
    const l = assigned();
    expect(fields(l, revoked(l))).toBeNull();
    expect(fields(l, revoked(l, { teamId: teamB }))).toBeNull();
    expect(fields(l, { ...revoked(l), assignedAt: l.assignedAt })).toMatchObject({ code: 'server-only' });
    expect(fields(l, { ...l, assignee: { ...holder, name: 'Someone else' } })).toMatchObject({ code: 'server-only', fields: ['assignee'] });
    expect(fields(l, { ...l, validUntil: '2099-01-01' })).toMatchObject({ code: 'immutable-field', fields: ['validUntil'] });
  });

  it('checks its team, order and product, and one license per person, product and team', async () => {
    expect(await k.check('licenses', acme.admin, undefined, available({ teamId: newId() }))).toMatchObject({ code: 'unknown-reference', fields: ['teamId'] });
    expect(await k.check('licenses', acme.admin, undefined, available({ orderId: newId() }))).toMatchObject({ fields: ['orderId'] });
    const held = assigned();
    await k.put(acme.orgId, 'licenses', [held]);
    const other = available();
    await k.put(acme.orgId, 'licenses', [other]);
    expect(await k.check('licenses', acme.admin, other, { ...other, status: 'assigned', assignee: holder })).toMatchObject({ code: 'holder-has-license' });
    expect(await k.check('licenses', acme.admin, held, { ...held })).toBeNull();
  });

  it('a revoke marks the acceptance revoked and tells the former holder, once', async () => {
    const [l] = await k.put(acme.orgId, 'licenses', [assigned({ teamId: teamB })]);
    const acceptanceId = newId();
    await k.put(acme.orgId, 'acceptances', [
      { id: acceptanceId, orgId: acme.orgId, invitationId, teamId: teamB, productId, licenseId: l.id, account: { id: holder.accountId, email: holder.email, name: holder.name }, acceptedAt: l.assignedAt! },
    ]);
    const r = await k.push(acme.admin, 'licenses', [k.row(revoked(l), l)]);
    expect(r).toEqual({ conflicts: [], rejected: [] });
    expect(await findDoc(k.store.db, 'licenses', l.id)).toMatchObject({ status: 'available' });
    expect((await findDoc(k.store.db, 'acceptances', acceptanceId))?.revokedAt).toBe(k.clock.now().toISOString());
    const mail = (await k.outbox('license-revoked')).filter((m) => m.dedupe_key.startsWith(`license-revoked:${l.id}:`));
    expect(mail.map((m) => [m.recipient, m.subject])).toEqual([['kim@people.test', 'Your Rocket IDE license was revoked']]);
    expect(mail[0].text).toContain('Acme revoked your license of Rocket IDE in the team Team B.');
  });

  it('a move without a revoke sends nothing', async () => {
    const [l] = await k.put(acme.orgId, 'licenses', [available()]);
    const before = (await k.outbox()).length;
    expect(await k.push(acme.admin, 'licenses', [k.row({ ...l, teamId: teamB }, l)])).toEqual({ conflicts: [], rejected: [] });
    expect((await k.outbox()).length).toBe(before);
  });
});
