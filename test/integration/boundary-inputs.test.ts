import type { CollectionName } from '../../shared/schemas';
/**
 * Every input at the boundary (issue 12), one table per kind, on SQLite and PostgreSQL: date
 * fields (RFC 3339 timestamps stored in UTC, calendar days, nothing else), ids (UUIDs),
 * strings (well-formed Unicode without NUL), numbers and nesting (bounded), invitation tokens
 * (made by the server), licenses (only from orders), and private answers (never cached).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { syncPath } from '../helpers/sync-path';
import { newId } from '../../shared/ids';
import { findDoc, listDocs } from '../../server/store/docs';
import { claim, claimFixture, outboxRows } from './claims-fixtures';

const HOUR = 3_600_000;
/** An instant written with a UTC offset of `minutes` (e.g. +05:00), as RFC 3339 allows. */
function withOffset(ms: number, minutes: number): string {
  const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 19);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the boundary inputs suite'))(`inputs at the boundary on ${dialect}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer({ dialect });
    });
    afterAll(async () => s?.close());

    const push = (orgId: string, collection: CollectionName, cookie: string, docs: Record<string, unknown>[]) =>
      s.request(syncPath(orgId, collection, 'push'), { cookie, body: docs.map((d) => ({ newDocumentState: d })) });

    const invitationDoc = (f: Awaited<ReturnType<typeof claimFixture>>, over: Record<string, unknown>) => ({
      id: newId(),
      orgId: f.org.orgId,
      teamId: f.teamId,
      productId: f.productId,
      allowedDomains: [],
      createdByMemberId: f.org.memberId,
      seq: 0,
      updatedAt: '',
      ...over,
    });

    describe('date fields', () => {
      it.each([
        ['one hour past, written +05:00', 'expired', () => withOffset(Date.now() - HOUR, 300)],
        ['one hour past, written -05:00', 'expired', () => withOffset(Date.now() - HOUR, -300)],
        ['one hour ahead, written -05:00', 'active', () => withOffset(Date.now() + HOUR, -300)],
        ['one hour ahead, written +05:00', 'active', () => withOffset(Date.now() + HOUR, 300)],
        ['one hour ahead, in UTC', 'active', () => new Date(Date.now() + HOUR).toISOString()],
      ])('an invitation expiring %s is %s at GET and at claim, stored in UTC', async (_what, state, expiresAt) => {
        const f = await claimFixture(s, { seats: 1 });
        const value = expiresAt();
        const doc = invitationDoc(f, { expiresAt: value });
        const r = await push(f.org.orgId, 'invitations', f.org.cookie, [doc]);
        expect(r.json).toEqual({ conflicts: [], rejected: [] });
        const stored = await findDoc(s.store.db, 'invitations', doc.id);
        expect(stored!.expiresAt).toBe(new Date(Date.parse(value)).toISOString());
        const info = await s.request(`/api/invitations/${stored!.token}`);
        expect(info.json.status).toBe(state);
        const claimed = await claim(s, stored!.token!, await s.signIn(`p-${newId().slice(0, 8)}@people.test`));
        expect(claimed.status).toBe(state === 'active' ? 200 : 410);
        if (state === 'expired') expect(claimed.json.error).toBe('invitation-expired');
      });

      it.each([
        ['invitations', 'expiresAt', ['31/12/2020', 'expired', '2026-02-30T10:00:00Z', '2026-05-01T09:30:00', '2026-05-01 09:30:00Z', '2020-12-31', '']],
        ['invitations', 'disabledAt', ['yesterday', '2026-13-01T00:00:00Z']],
        ['orders', 'validUntil', ['31/12/2020', 'forever', '2026-02-30', '20261231']],
        ['orders', 'placedAt', ['01/03/2026', 'now']],
        ['invoices', 'dueAt', ['31/12/2020', 'next week']],
      ])('%s.%s refuses %j with invalid-document naming the field', async (collection, field, values) => {
        const f = await claimFixture(s, { seats: 0 });
        const base: Record<string, Record<string, unknown>> = {
          invitations: invitationDoc(f, {}),
          orders: {
            orgId: f.org.orgId,
            reference: 'R-1',
            placedAt: '2026-03-01',
            teamId: f.teamId,
            licensee: { name: 'Lena', email: 'lena@acme.test' },
            licenseeContactId: '',
            billingContactId: '',
            lines: [{ productId: f.productId, quantity: 1 }],
            validUntil: '2099-12-31',
            seq: 0,
            updatedAt: '',
          },
          invoices: { orgId: f.org.orgId, orderId: newId(), number: 'INV-1', amountCents: 100, currency: 'EUR', issuedAt: '2026-03-01', dueAt: '2026-04-01', seq: 0, updatedAt: '' },
        };
        for (const value of values) {
          const doc = { ...base[collection], id: newId(), [field]: value };
          const r = await push(f.org.orgId, collection as CollectionName, f.org.cookie, [doc]);
          expect(r.status).toBe(200);
          expect(r.json.rejected, `${field} = ${JSON.stringify(value)}`).toEqual([expect.objectContaining({ id: doc.id, code: 'invalid-document', fields: [field] })]);
          expect(await findDoc(s.store.db, collection as 'orders', doc.id)).toBeUndefined();
        }
      });

      it('an order valid until 31/12/2020 hands out nothing; one written with a day or an offset is stored as a day or in UTC', async () => {
        const f = await claimFixture(s, { seats: 0 });
        const order = (validUntil: string) => ({
          id: newId(),
          orgId: f.org.orgId,
          reference: `R-${newId().slice(0, 4)}`,
          placedAt: '2026-03-01T10:00:00+02:00',
          teamId: f.teamId,
          licensee: { name: 'Lena', email: 'lena@acme.test' },
          licenseeContactId: '',
          billingContactId: '',
          lines: [{ productId: f.productId, quantity: 1 }],
          validUntil,
          seq: 0,
          updatedAt: '',
        });
        const bad = order('31/12/2020');
        expect((await push(f.org.orgId, 'orders', f.org.cookie, [bad])).json.rejected).toMatchObject([{ code: 'invalid-document', fields: ['validUntil'] }]);
        expect(await listDocs(s.store.db, { collection: 'licenses', org: f.org.orgId })).toEqual([]);
        const day = order('2099-12-31');
        const stamp = order('2099-12-31T23:00:00-05:00');
        expect((await push(f.org.orgId, 'orders', f.org.cookie, [day, stamp])).json.rejected).toEqual([]);
        expect((await findDoc(s.store.db, 'orders', day.id))!).toMatchObject({ validUntil: '2099-12-31', placedAt: '2026-03-01T08:00:00.000Z' });
        expect((await findDoc(s.store.db, 'orders', stamp.id))!.validUntil).toBe('2100-01-01T04:00:00.000Z');
      });
    });

    describe('ids, strings, numbers and nesting', () => {
      it.each([
        ['not a UUID', 'abc'],
        ['a path', '../../etc/passwd'],
        ['CR/LF', `${newId()}\r\nX: y`],
        ['upper case', newId().toUpperCase()],
        ['too long', `${newId()}-0000`],
        ['a number', 42],
        ['empty', ''],
      ])('a pushed id that is %s is refused before any lookup', async (_what, id) => {
        const org = await s.createOrg('Ids', `ids-${newId().slice(0, 8)}@acme.test`);
        const r = await push(org.orgId, 'contacts', org.cookie, [
          { id, orgId: org.orgId, name: 'X', email: 'x@acme.test', roles: [], orderIds: [], disabled: false, source: 'manual', seq: 0, updatedAt: '' },
        ]);
        expect(r.status).toBe(200);
        expect(r.json.rejected).toEqual([expect.objectContaining({ code: 'invalid-document', fields: ['id'] })]);
        expect(await listDocs(s.store.db, { collection: 'contacts', org: org.orgId })).toEqual([]);
      });

      it.each([
        ['NUL in an id', (org: string) => ({ id: `${newId().slice(0, 35)}\u0000`, orgId: org })],
        ['NUL in a name', (org: string) => ({ id: newId(), orgId: org, name: 'A\u0000B' })],
        ['a lone surrogate in a name', (org: string) => ({ id: newId(), orgId: org, name: 'A\ud800B' })],
        ['a lone surrogate in a key', (org: string) => ({ id: newId(), orgId: org, ['k\udc00']: 1 })],
      ])('%s: 400 invalid-body, nothing stored', async (_what, make) => {
        const org = await s.createOrg('Text', `text-${newId().slice(0, 8)}@acme.test`);
        const doc = { name: 'X', email: 'x@acme.test', roles: [], orderIds: [], disabled: false, source: 'manual', seq: 0, updatedAt: '', ...make(org.orgId) };
        const r = await push(org.orgId, 'contacts', org.cookie, [doc]);
        expect([r.status, r.json.error]).toEqual([400, 'invalid-body']);
        expect(await listDocs(s.store.db, { collection: 'contacts', org: org.orgId })).toEqual([]);
      });

      it.each([2147483648, 2 ** 53, 1e308, -1, 1.5])('a pull checkpoint {seq: %d} is 400 invalid-body', async (seq) => {
        const org = await s.createOrg('Seq', `seq-${newId().slice(0, 8)}@acme.test`);
        const r = await s.request(syncPath(org.orgId, 'contacts', 'pull'), { cookie: org.cookie, body: { checkpoint: { seq }, batchSize: 10 } });
        expect([r.status, r.json.error]).toEqual([400, 'invalid-body']);
      });

      it('the largest change number is pulled without error', async () => {
        const org = await s.createOrg('Seq', `seq-${newId().slice(0, 8)}@acme.test`);
        const r = await s.request(syncPath(org.orgId, 'contacts', 'pull'), { cookie: org.cookie, body: { checkpoint: { seq: 2147483647 }, batchSize: 10 } });
        expect(r.status).toBe(200);
      });

      it('a row nested 5,000 levels deep is 400 invalid-body from an admin; an account with no reach is 404 before its body is read', async () => {
        const org = await s.createOrg('Deep', `deep-${newId().slice(0, 8)}@acme.test`);
        const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
        const body = `[{"newDocumentState":{"id":"${newId()}","x":${deep}}}]`;
        const nobody = await s.signIn(`nobody-${newId().slice(0, 8)}@people.test`);
        for (const [cookie, status, error] of [[org.cookie, 400, 'invalid-body'], [nobody, 404, 'organization-not-found']] as const) {
          const res = await fetch(s.url + syncPath(org.orgId, 'contacts', 'push'), {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: s.url, cookie },
            body,
          });
          expect(res.status).toBe(status);
          expect(((await res.json()) as { error: string }).error).toBe(error);
        }
      });

      it.each(['%00', '%E0%A4%A', '%ED%A0%80', 'a%2', '%FF'])('a path with %s is 400 bad-request', async (bad) => {
        const org = await s.createOrg('Path', `path-${newId().slice(0, 8)}@acme.test`);
        for (const path of [`/api/invitations/${bad}`, `/api/orgs/${org.orgId}/notifications/${bad}/retry`, `/api/orgs/${org.orgId}/sync/contacts${bad}/pull`]) {
          const res = await fetch(s.url + path, { method: 'POST', headers: { 'content-type': 'application/json', origin: s.url, cookie: org.cookie }, body: '{}' });
          expect(res.status, path).toBe(400);
        }
      });

      it('a notification id that is no UUID is refused before any lookup', async () => {
        const org = await s.createOrg('Retry', `retry-${newId().slice(0, 8)}@acme.test`);
        for (const id of ['abc', 'x'.repeat(41), newId().toUpperCase(), `${newId()}\n`]) {
          const r = await s.request(`/api/orgs/${org.orgId}/notifications/${encodeURIComponent(id)}/retry`, { cookie: org.cookie, body: {} });
          expect([r.status, r.json.error]).toEqual([400, 'invalid-body']);
        }
      });
    });

    describe('licenses come only from orders', () => {
      it('a pushed license row is refused, against an existing order or none, and a deleted one is not brought back', async () => {
        const f = await claimFixture(s, { seats: 2 });
        const rows = [
          { id: newId(), orgId: f.org.orgId, orderId: f.orderId, teamId: f.teamId, productId: f.productId, status: 'available', validUntil: '2099-12-31', seq: 0, updatedAt: '' },
          { id: newId(), orgId: f.org.orgId, orderId: newId(), teamId: f.teamId, productId: f.productId, status: 'available', validUntil: '2099-12-31', seq: 0, updatedAt: '' },
        ];
        const r = await push(f.org.orgId, 'licenses', f.org.cookie, rows);
        expect(r.json.rejected.map((x: { code: string }) => x.code)).toEqual(['server-only', 'server-only']);
        expect(await listDocs(s.store.db, { collection: 'licenses', org: f.org.orgId })).toHaveLength(2);
      });

      it('deleting an assigned license is a revoke: the holder is emailed, the acceptance marked, no claim again', async () => {
        const f = await claimFixture(s, { seats: 2 });
        const holder = `h-${newId().slice(0, 8)}@people.test`;
        const cookie = await s.signIn(holder);
        const got = await claim(s, f.invitation.token, cookie);
        expect(got.status).toBe(200);
        const stored = await findDoc(s.store.db, 'licenses', got.json.id);
        const r = await s.request(syncPath(f.org.orgId, 'licenses', 'push'), {
          cookie: f.org.cookie,
          body: [{ assumedMasterState: stored, newDocumentState: { ...stored, _deleted: true } }],
        });
        expect(r.json).toEqual({ conflicts: [], rejected: [] });
        expect((await outboxRows(s, 'license-revoked')).some((m) => m.recipient === holder)).toBe(true);
        const [acceptance] = await listDocs(s.store.db, { collection: 'acceptances', org: f.org.orgId });
        expect(acceptance.revokedAt).toEqual(expect.any(String));
        const again = await claim(s, f.invitation.token, cookie);
        expect([again.status, again.json.error]).toEqual([403, 'revoked-cannot-reclaim']);
      });
    });

    describe('private answers', () => {
      it('carry Cache-Control: no-store (me, pull, push, claims, invitations)', async () => {
        const f = await claimFixture(s, { seats: 1 });
        const answers = [
          await fetch(`${s.url}/api/me`, { headers: { cookie: f.org.cookie } }),
          await fetch(s.url + syncPath(f.org.orgId, 'contacts', 'pull'), {
            method: 'POST',
            headers: { cookie: f.org.cookie, origin: s.url, 'content-type': 'application/json' },
            body: JSON.stringify({ checkpoint: null, batchSize: 5 }),
          }),
          await fetch(s.url + syncPath(f.org.orgId, 'contacts', 'push'), {
            method: 'POST',
            headers: { cookie: f.org.cookie, origin: s.url, 'content-type': 'application/json' },
            body: '[]',
          }),
          await fetch(`${s.url}/api/invitations/${f.invitation.token}`),
          await fetch(`${s.url}/api/me`),
        ];
        for (const res of answers) {
          expect(res.headers.get('cache-control'), res.url).toBe('no-store');
          await res.arrayBuffer();
        }
      });
    });
  });
}
