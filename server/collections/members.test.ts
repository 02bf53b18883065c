import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionKit, type CollectionKit } from '../../test/helpers/collection-kit';
import { accountByEmail } from '../store/accounts';
import { findDoc } from '../store/docs';
import { newId } from '../../shared/ids';
import { members } from './members';

describe('members (server/collections/members.ts)', () => {
  let k: CollectionKit;
  let acme: Awaited<ReturnType<CollectionKit['org']>>;
  let globex: Awaited<ReturnType<CollectionKit['org']>>;
  let teamId: string;
  beforeAll(async () => {
    k = await collectionKit();
    acme = await k.org('Acme', 'ada@acme.test');
    globex = await k.org('Globex', 'gil@globex.test');
    teamId = newId();
    await k.put(acme.orgId, 'teams', [{ id: teamId, orgId: acme.orgId, name: 'Platform' }]);
  });
  afterAll(async () => {
    await k?.close();
  });

  const member = (orgId: string, over: Record<string, unknown> = {}) =>
    k.fresh<'members'>({ id: newId(), orgId, accountId: '', email: 'x@acme.test', name: 'X', isOrgAdmin: false, adminOfTeamIds: [], disabled: false, ...over });

  it('names its immutable and server-only fields', () => {
    expect(members.immutable).toEqual(['accountId', 'email']);
    expect(members.serverOnly).toEqual(['accountId']);
    expect(members.serverWritten).toBeFalsy();
  });

  it('refuses demoting, disabling or removing the last org admin', async () => {
    const [ada] = (await k.docs(acme.orgId, 'members')).filter((m) => m.isOrgAdmin);
    for (const change of [{ isOrgAdmin: false }, { disabled: true }, { _deleted: true }]) {
      expect(await k.check('members', acme.admin, ada, { ...ada, ...change })).toMatchObject({ code: 'last-org-admin', fields: ['isOrgAdmin'] });
    }
    expect(await k.check('members', acme.admin, ada, { ...ada, name: 'Ada L.' })).toBeNull();
  });

  it('lets an org admin go once there is another', async () => {
    const org = await k.org('Initech', 'bill@initech.test');
    const second = { ...member(org.orgId, { email: 'peter@initech.test', isOrgAdmin: true }) };
    await k.put(org.orgId, 'members', [second]);
    const [bill] = (await k.docs(org.orgId, 'members')).filter((m) => m.email === 'bill@initech.test');
    expect(await k.check('members', org.admin, bill, { ...bill, isOrgAdmin: false })).toBeNull();
  });

  it('wants an address it can make an account for', async () => {
    for (const email of ['not an address', 'a@b..test', '']) {
      expect(await k.check('members', acme.admin, undefined, member(acme.orgId, { email }))).toMatchObject({ code: 'invalid-document', fields: ['email'] });
    }
  });

  it('refuses a second member of one person here, and takes what the person is elsewhere as no matter (DESIGN §3)', async () => {
    expect(await k.check('members', acme.admin, undefined, member(acme.orgId, { email: 'ADA@acme.test' }))).toMatchObject({ code: 'member-exists' });
    // A member of another organization may be one here too.
    expect(await k.check('members', acme.admin, undefined, member(acme.orgId, { email: 'gil@globex.test' }))).toBeNull();
    // So may a contact of another organization.
    await k.put(globex.orgId, 'contacts', [
      { id: newId(), orgId: globex.orgId, name: 'Cora', email: 'cora@globex.test', roles: ['primaryBilling'], orderIds: [], disabled: false, source: 'manual' },
    ]);
    expect(await k.check('members', acme.admin, undefined, member(acme.orgId, { email: 'cora@globex.test' }))).toBeNull();
  });

  it('refuses a team of another organization among adminOfTeamIds, and takes its own', async () => {
    const foreign = newId();
    await k.put(globex.orgId, 'teams', [{ id: foreign, orgId: globex.orgId, name: 'Theirs' }]);
    expect(await k.check('members', acme.admin, undefined, member(acme.orgId, { email: 'tom@acme.test', adminOfTeamIds: [foreign] }))).toMatchObject({
      code: 'unknown-reference',
      fields: ['adminOfTeamIds'],
    });
    expect(await k.check('members', acme.admin, undefined, member(acme.orgId, { email: 'tom@acme.test', adminOfTeamIds: [teamId] }))).toBeNull();
  });

  it('fills a new member’s account: a new unverified one, in the address’s stored form', async () => {
    const after = member(acme.orgId, { email: 'Anna@MÜNCHEN.test', name: 'Anna' });
    const filled = await k.inTx(acme.admin, undefined, after, (ctx) => members.fill!(ctx));
    const account = await accountByEmail(k.store.db, 'anna@xn--mnchen-3ya.test');
    expect(account).toMatchObject({ name: 'Anna', emailVerifiedAt: null });
    expect(filled).toMatchObject({ email: 'anna@xn--mnchen-3ya.test', accountId: account!.id });
  });

  it('fills the existing account of an address, and leaves a stored member as it is', async () => {
    const after = member(acme.orgId, { email: 'gil@globex.test' });
    const filled = await k.inTx(acme.admin, undefined, after, (ctx) => members.fill!(ctx));
    expect(filled.accountId).toBe(globex.account.id);
    const [ada] = await k.docs(acme.orgId, 'members');
    expect(await k.inTx(acme.admin, ada, { ...ada, name: 'Ada' }, (ctx) => members.fill!(ctx))).toEqual({ ...ada, name: 'Ada' });
  });

  it('through the push: an org admin adds a member by address; a chosen account is refused', async () => {
    const id = newId();
    const r = await k.push(acme.admin, 'members', [k.row({ ...member(acme.orgId, { id, email: "O'Brien@Example.test", name: "Pat O'Brien" }) })]);
    expect(r).toEqual({ conflicts: [], rejected: [] });
    const stored = await findDoc(k.store.db, 'members', id);
    expect(stored).toMatchObject({ email: "o'brien@example.test", accountId: (await accountByEmail(k.store.db, "o'brien@example.test"))!.id });
    const chosen = await k.push(acme.admin, 'members', [k.row(member(acme.orgId, { email: 'eve@acme.test', accountId: globex.account.id }))]);
    expect(chosen.rejected).toMatchObject([{ code: 'server-only', fields: ['accountId'] }]);
    const moved = await k.push(acme.admin, 'members', [k.row({ ...stored, email: 'pat@acme.test' }, stored)]);
    expect(moved.rejected).toMatchObject([{ code: 'immutable-field', fields: ['email'] }]);
  });

  it('welcomes the person added, once, with a link into the organization; a refused member gets nothing', async () => {
    const id = newId();
    const row = k.row(member(acme.orgId, { id, email: 'Ivy@Acme.test', name: 'Ivy', isOrgAdmin: true }));
    expect(await k.push(acme.admin, 'members', [row])).toEqual({ conflicts: [], rejected: [] });
    // The same push again (a retry after a lost answer) changes nothing and sends nothing more.
    await k.push(acme.admin, 'members', [row]);
    // The outbox is not in insertion order: pick Ivy's by address.
    const ivys = async () => (await k.outbox('member-added')).filter((m) => m.recipient === 'ivy@acme.test');
    const mails = await ivys();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ recipient: 'ivy@acme.test', subject: 'Ada Admin added you to Acme in Allot' });
    expect(mails[0].text).toContain(`/o/${acme.orgId}/`);
    expect(mails[0].text).toContain('as an org admin');
    expect(mails[0].text).toContain('Sign in with this address (ivy@acme.test)');
    const twice = await k.push(acme.admin, 'members', [k.row(member(acme.orgId, { email: 'ivy@acme.test' }))]);
    expect(twice.rejected).toHaveLength(1);
    expect(await ivys()).toHaveLength(1);
  });
});
