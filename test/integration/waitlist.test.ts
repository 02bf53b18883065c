/**
 * The waitlist (DESIGN §6 Waitlist) and refused attempts (DESIGN §6 Refused attempts) over HTTP:
 * joining after "No assets left", the claim checks a join passes through, leaving, and the
 * hand-out when a license is freed — revoked, moved into the team, or made by a new order —
 * to the first person who still qualifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import type { PushResponse } from '../../shared/sync';
import type { WireDoc } from '../../shared/schemas';
import { getDoc } from '../../server/store/docs';
import { startTestServer, type TestServer } from '../helpers/server';
import { syncPath } from '../helpers/sync-path';
import { claim, claimFixture, liveDocs, outboxRows } from './claims-fixtures';
import { joinWaitlist, leaveWaitlist, revoke, waitlistStatus } from './waitlist-fixtures';

describe('waitlist', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.close());

  /** An invitation whose one license is taken by `holder`. */
  async function fullInvitation(invitation: Record<string, unknown> = {}) {
    const f = await claimFixture(s, { seats: 1, invitation });
    const holder = await s.signIn(`holder-${newId().slice(0, 6)}@people.test`);
    const held = await claim(s, f.invitation.token, holder);
    expect(held.status).toBe(200);
    return { ...f, holder, heldId: held.json.id as string };
  }

  it('after "No assets left" a person joins, sees their place, keeps it when joining again, and leaves', async () => {
    const f = await fullInvitation();
    const ann = await s.signIn(`ann-${newId().slice(0, 6)}@people.test`);
    const bob = await s.signIn(`bob-${newId().slice(0, 6)}@people.test`);
    expect((await claim(s, f.invitation.token, ann)).json.error).toBe('no-assets-left');

    const a = await joinWaitlist(s, f.invitation.token, ann);
    expect(a.status).toBe(202);
    expect(a.json).toMatchObject({ status: 'waiting', position: 1 });
    const b = await joinWaitlist(s, f.invitation.token, bob);
    expect(b.status).toBe(202);
    expect(b.json).toMatchObject({ status: 'waiting', position: 2 });
    expect((await joinWaitlist(s, f.invitation.token, ann)).json).toMatchObject({ status: 'waiting', position: 1 });
    expect((await waitlistStatus(s, f.invitation.token, bob)).json).toMatchObject({ status: 'waiting', position: 2 });

    const left = await leaveWaitlist(s, f.invitation.token, ann);
    expect(left.status).toBe(200);
    expect((await waitlistStatus(s, f.invitation.token, bob)).json).toMatchObject({ status: 'waiting', position: 1 });
    expect((await waitlistStatus(s, f.invitation.token, ann)).json.error).toBe('not-on-waitlist');
    expect((await leaveWaitlist(s, f.invitation.token, ann)).json.error).toBe('not-on-waitlist');
    expect((await joinWaitlist(s, f.invitation.token)).status).toBe(401);
    expect((await joinWaitlist(s, 'no-such-token-at-all-000000', ann)).json.error).toBe('invitation-not-found');
  });

  it('a join passes every claim check but seats: the first failing one answers', async () => {
    const disabled = await claimFixture(s, { seats: 0, invitation: { disabledAt: '2026-01-01T00:00:00.000Z' } });
    const someone = await s.signIn(`someone-${newId().slice(0, 6)}@people.test`);
    expect((await joinWaitlist(s, disabled.invitation.token, someone)).json.error).toBe('invitation-disabled');
    const expired = await claimFixture(s, { seats: 0, invitation: { expiresAt: '2020-01-01T00:00:00.000Z' } });
    expect((await joinWaitlist(s, expired.invitation.token, someone)).json.error).toBe('invitation-expired');
    const domains = await claimFixture(s, { seats: 0, invitation: { allowedDomains: ['acme.test'] } });
    const refused = await joinWaitlist(s, domains.invitation.token, someone);
    expect(refused.status).toBe(403);
    expect(refused.json.error).toBe('domain-not-allowed');
    const usedUp = await fullInvitation({ maxClaims: 1 });
    expect((await joinWaitlist(s, usedUp.invitation.token, someone)).json.error).toBe('invitation-used-up');
    // The holder is not put on a list: they get their license back.
    const f = await fullInvitation();
    const theirs = await joinWaitlist(s, f.invitation.token, f.holder);
    expect(theirs.status).toBe(200);
    expect(theirs.json).toMatchObject({ status: 'served', license: { id: f.heldId } });
  });

  it('a join while a license is free hands it out at once', async () => {
    const f = await claimFixture(s, { seats: 1 });
    const cleo = await s.signIn(`cleo-${newId().slice(0, 6)}@people.test`);
    const r = await joinWaitlist(s, f.invitation.token, cleo);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'served', license: { id: f.licenses[0].id, status: 'assigned' } });
  });

  it('a revoke hands the license to the first person waiting, in the same transaction, and both are told', async () => {
    const f = await fullInvitation();
    const emails = [`dana-${newId().slice(0, 6)}@people.test`, `eli-${newId().slice(0, 6)}@people.test`];
    const [dana, eli] = [await s.signIn(emails[0], 'Dana'), await s.signIn(emails[1], 'Eli')];
    await joinWaitlist(s, f.invitation.token, dana);
    await joinWaitlist(s, f.invitation.token, eli);

    const r = await revoke(s, f.org.orgId, f.org.cookie, [f.heldId]);
    expect(r.answer.rejected).toEqual([]);

    const lic = (await getDoc(s.store.db, 'licenses', f.heldId)) as WireDoc<'licenses'>;
    expect(lic.status).toBe('assigned');
    expect(lic.assignee?.email).toBe(emails[0]);
    expect(lic.assignedVia).toBe(f.invitation.id);
    const served = await waitlistStatus(s, f.invitation.token, dana);
    expect(served.json).toMatchObject({ status: 'served', license: { id: f.heldId } });
    expect((await waitlistStatus(s, f.invitation.token, eli)).json).toMatchObject({ status: 'waiting', position: 1 });
    const acceptances = (await liveDocs(s, 'acceptances', f.org.orgId)).filter((a) => a.licenseId === f.heldId && !a.revokedAt);
    expect(acceptances.map((a) => a.account.email)).toEqual([emails[0]]);
    expect((await outboxRows(s, 'license-ready')).filter((m) => m.recipient === emails[0])).toHaveLength(1);
    expect((await outboxRows(s, 'license-claimed')).filter((m) => m.text.includes(emails[0]))).toHaveLength(1);
    // Dana sees it as hers like any claimed license; claiming again changes nothing.
    expect((await claim(s, f.invitation.token, dana)).json.id).toBe(f.heldId);
  });

  it('someone who no longer qualifies is skipped and told; the next in line gets the license', async () => {
    const f = await fullInvitation();
    const gone = `gus-${newId().slice(0, 6)}@gone.test`;
    const stays = `hal-${newId().slice(0, 6)}@acme.test`;
    const [gus, hal] = [await s.signIn(gone), await s.signIn(stays)];
    await joinWaitlist(s, f.invitation.token, gus);
    await joinWaitlist(s, f.invitation.token, hal);
    // The admin narrows the invitation to acme.test after both joined.
    const inv = (await getDoc(s.store.db, 'invitations', f.invitation.id)) as WireDoc<'invitations'>;
    const narrowed = await s.request(syncPath(f.org.orgId, 'invitations', 'push'), {
      cookie: f.org.cookie,
      body: [{ assumedMasterState: inv, newDocumentState: { ...inv, allowedDomains: ['acme.test'] } }],
    });
    expect((narrowed.json as PushResponse).rejected).toEqual([]);

    await revoke(s, f.org.orgId, f.org.cookie, [f.heldId]);
    expect((await waitlistStatus(s, f.invitation.token, gus)).json).toEqual({ status: 'ended', reason: 'domain-not-allowed' });
    expect((await waitlistStatus(s, f.invitation.token, hal)).json).toMatchObject({ status: 'served', license: { id: f.heldId } });
    const told = (await outboxRows(s, 'waitlist-skipped')).filter((m) => m.recipient === gone);
    expect(told).toHaveLength(1);
    expect(told[0].text).toContain('acme.test');
  });

  it('maxClaims is honoured: nobody is served past it', async () => {
    const f = await fullInvitation({ maxClaims: 2 });
    const ivy = await s.signIn(`ivy-${newId().slice(0, 6)}@people.test`);
    const jo = await s.signIn(`jo-${newId().slice(0, 6)}@people.test`);
    await joinWaitlist(s, f.invitation.token, ivy);
    await joinWaitlist(s, f.invitation.token, jo);
    // Two licenses freed: the first goes to Ivy (the second acceptance), then the invitation is used up.
    const other = await claim(s, f.invitation.token, await s.signIn(`kim-${newId().slice(0, 6)}@people.test`));
    expect(other.json.error).toBe('no-assets-left');
    await revoke(s, f.org.orgId, f.org.cookie, [f.heldId]);
    expect((await waitlistStatus(s, f.invitation.token, ivy)).json).toMatchObject({ status: 'served' });
    const ivyLicense = ((await waitlistStatus(s, f.invitation.token, ivy)).json as { license: { id: string } }).license.id;
    await revoke(s, f.org.orgId, f.org.cookie, [ivyLicense]);
    expect((await waitlistStatus(s, f.invitation.token, jo)).json).toEqual({ status: 'ended', reason: 'invitation-used-up' });
    expect(((await getDoc(s.store.db, 'licenses', ivyLicense)) as WireDoc<'licenses'>).status).toBe('available');
  });

  it('a license moved into the team, or made by a new order, goes to the first person waiting', async () => {
    const f = await fullInvitation();
    const lee = await s.signIn(`lee-${newId().slice(0, 6)}@people.test`);
    const max = await s.signIn(`max-${newId().slice(0, 6)}@people.test`);
    await joinWaitlist(s, f.invitation.token, lee);
    await joinWaitlist(s, f.invitation.token, max);

    const otherTeam = newId();
    await s.put(f.org.orgId, 'teams', [{ id: otherTeam, orgId: f.org.orgId, name: 'Elsewhere' }]);
    const spare = newId();
    await s.put(f.org.orgId, 'licenses', [
      { id: spare, orgId: f.org.orgId, orderId: f.orderId, teamId: otherTeam, productId: f.productId, status: 'available', validUntil: '2099-12-31' },
    ]);
    const stored = (await getDoc(s.store.db, 'licenses', spare)) as WireDoc<'licenses'>;
    const moved = await s.request(syncPath(f.org.orgId, 'licenses', 'push'), {
      cookie: f.org.cookie,
      body: [{ assumedMasterState: stored, newDocumentState: { ...stored, teamId: f.teamId } }],
    });
    expect((moved.json as PushResponse).rejected).toEqual([]);
    expect((await waitlistStatus(s, f.invitation.token, lee)).json).toMatchObject({ status: 'served', license: { id: spare } });

    const order = await s.request(syncPath(f.org.orgId, 'orders', 'push'), {
      cookie: f.org.cookie,
      body: [
        {
          assumedMasterState: null,
          newDocumentState: {
            id: newId(),
            orgId: f.org.orgId,
            seq: 0,
            updatedAt: '',
            _deleted: false,
            reference: 'PO-MORE',
            placedAt: '2026-05-01T00:00:00.000Z',
            teamId: f.teamId,
            licensee: { name: 'Lee', email: 'lee@acme.test' },
            licenseeContactId: '',
            billingContactId: '',
            lines: [{ productId: f.productId, quantity: 1 }],
            validUntil: '2099-12-31T00:00:00.000Z',
          },
        },
      ],
    });
    expect((order.json as PushResponse).rejected).toEqual([]);
    expect((await waitlistStatus(s, f.invitation.token, max)).json).toMatchObject({ status: 'served' });
  });

  it('an admin removes an entry by deleting it; the person is no longer waiting', async () => {
    const f = await fullInvitation();
    const ned = await s.signIn(`ned-${newId().slice(0, 6)}@people.test`);
    await joinWaitlist(s, f.invitation.token, ned);
    const [entry] = (await liveDocs(s, 'waitlistEntries', f.org.orgId)).filter((e) => e.invitationId === f.invitation.id);
    const r = await s.request(syncPath(f.org.orgId, 'waitlistEntries', 'push'), {
      cookie: f.org.cookie,
      body: [{ assumedMasterState: entry, newDocumentState: { ...entry, _deleted: true } }],
    });
    expect((r.json as PushResponse).rejected).toEqual([]);
    expect((await waitlistStatus(s, f.invitation.token, ned)).json.error).toBe('not-on-waitlist');
    // Changing an entry (moving someone up) is refused.
    await joinWaitlist(s, f.invitation.token, ned);
    const [again] = (await liveDocs(s, 'waitlistEntries', f.org.orgId)).filter((e) => e.invitationId === f.invitation.id);
    const bumped = await s.request(syncPath(f.org.orgId, 'waitlistEntries', 'push'), {
      cookie: f.org.cookie,
      body: [{ assumedMasterState: again, newDocumentState: { ...again, rank: 0 } }],
    });
    expect((bumped.json as PushResponse).rejected.map((x) => x.code)).toEqual(['not-allowed']);
  });

  it('refused claims are kept with the invitation: who (the address), why, when, how often', async () => {
    const f = await fullInvitation();
    const late = `late-${newId().slice(0, 6)}@people.test`;
    const cookie = await s.signIn(late);
    await claim(s, f.invitation.token, cookie);
    await claim(s, f.invitation.token, cookie);
    const refused = (await liveDocs(s, 'refusedClaims', f.org.orgId)).filter((r) => r.invitationId === f.invitation.id);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ email: late, code: 'no-assets-left', attempts: 2, teamId: f.teamId });
    expect(Object.keys(refused[0]).sort()).toEqual(
      ['_deleted', 'attempts', 'code', 'email', 'firstAt', 'id', 'invitationId', 'lastAt', 'orgId', 'productId', 'seq', 'teamId', 'updatedAt'].sort(),
    );
  });
});
