/**
 * DESIGN §14 over a real port, as a product would run it: RFC 8628 device flow → approval on
 * the /activate page's API → tokens → a ticket, verified with jose against the JWKS; then every
 * refusal the contract names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { manualClock } from '../../server/clock';
import { fetchJwks, pollToken, refreshToken, requestDeviceCode, requestTicket } from '../../server/activation/product-client';
import { verifyTicket } from '../../shared/ticket';
import { listDocs } from '../../server/store/docs';
import { listActivationEvents } from '../../server/store/activation';
import { newId } from '../../shared/ids';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { activateMachine, activationFixture, approve, deactivate, deviceFlow, myMachines, orgMachines, revokeLicense } from './activation-fixtures';
import { machineById } from '../../server/store/machines';
import { orgApiPath } from '../../shared/sync-paths';
import type { ActivationEventsResponse } from '../../shared/api';
import { outboxRows } from './claims-fixtures';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'activation'))(`activation on ${dialect}`, () => {
    let s: TestServer;
    const clock = manualClock(new Date());
    beforeAll(async () => {
      s = await startTestServer({ dialect, clock });
    });
    afterAll(async () => s?.close());

    it('runs the whole flow as a product, and verifyTicket refuses each kind of wrong ticket with its code', async () => {
      const f = await activationFixture(s);
      const device = await requestDeviceCode(s.url, f.code, 'build-box');
      expect(device.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
      expect(device.verification_uri).toBe(`${s.url}/activate`);
      expect(device.verification_uri_complete).toBe(`${s.url}/activate?code=${device.user_code}`);
      expect([device.expires_in, device.interval]).toEqual([600, 5]);

      // Before the person decides: pending; polled again at once: slow_down, and the interval grows by 5 s.
      expect(await pollToken(s.url, f.code, device.device_code)).toMatchObject({ ok: false, status: 400, error: { error: 'authorization_pending' } });
      expect(await pollToken(s.url, f.code, device.device_code)).toMatchObject({ ok: false, error: { error: 'slow_down' } });
      clock.advance(6_000);
      expect(await pollToken(s.url, f.code, device.device_code)).toMatchObject({ ok: false, error: { error: 'slow_down' } });
      clock.advance(15_000);
      expect(await pollToken(s.url, f.code, device.device_code)).toMatchObject({ ok: false, error: { error: 'authorization_pending' } });

      // The page shows the product, the machine, and the license it will use; the code may be typed loosely.
      const info = await s.request(`/api/device/${device.user_code.toLowerCase().replace('-', ' ')}`, { cookie: f.holderCookie });
      expect(info.status).toBe(200);
      expect(info.json).toMatchObject({
        userCode: device.user_code,
        product: { code: f.code, name: 'Rocket IDE' },
        machineName: 'build-box',
        status: 'pending',
        licenses: [{ id: f.license.id, organization: { id: f.org.orgId, name: 'Acme' }, team: { name: 'Launch' }, machines: 0, machinesPerLicense: 3 }],
      });
      expect((await s.request(`/api/device/${device.user_code}`)).status).toBe(401);
      expect((await approve(s, f.holderCookie, device.user_code)).json).toEqual({ status: 'approved', licenseId: f.license.id });
      expect((await approve(s, f.holderCookie, device.user_code)).json.error).toBe('device-code-decided');

      clock.advance(20_000);
      const res = await fetch(`${s.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.device_code, client_id: f.code }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const token = (await res.json()) as { access_token: string; token_type: string; expires_in: number; refresh_token: string };
      expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
      expect(token.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(token.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // A device code is exchanged once.
      expect(await pollToken(s.url, f.code, device.device_code)).toMatchObject({ ok: false, error: { error: 'invalid_grant' } });

      const machine = { fingerprint: 'fp-build-box', name: 'build-box' };
      const activated = await requestTicket(s.url, token.access_token, machine);
      if (!activated.ok) throw new Error(activated.error);
      const ticket = activated.value.ticket;

      // jose against the published JWKS, as any vendor would.
      const jwks = createRemoteJWKSet(new URL(`${s.url}/.well-known/jwks.json`));
      const { payload, protectedHeader } = await jwtVerify(ticket, jwks, { audience: f.code, issuer: s.url, currentDate: clock.now() });
      expect(protectedHeader.alg).toBe('EdDSA');
      const iat = Math.floor(clock.now().getTime() / 1000);
      expect(payload).toEqual({
        iss: s.url,
        sub: f.holderId,
        aud: f.code,
        lic: f.license.id,
        org: { id: f.org.orgId, name: 'Acme' },
        email: f.holderEmail,
        mfp: 'fp-build-box',
        iat,
        exp: iat + 7 * 86_400,
        validUntil: '2099-12-31',
      });
      expect(activated.value.expiresAt).toBe(new Date((iat + 7 * 86_400) * 1000).toISOString());

      const keys = await fetchJwks(s.url);
      const opts = { product: f.code, fingerprint: 'fp-build-box', now: clock.now() };
      expect(await verifyTicket(ticket, keys, opts)).toMatchObject({ ok: true, claims: { lic: f.license.id } });
      const [h, p, sig] = ticket.split('.');
      const tampered = `${h}.${b64({ ...payload, validUntil: '2199-12-31' })}.${sig}`;
      expect(await verifyTicket(tampered, keys, opts)).toMatchObject({ ok: false, code: 'bad-signature' });
      expect(await verifyTicket(ticket, keys, { ...opts, product: 'other-product' })).toMatchObject({ ok: false, code: 'wrong-product' });
      expect(await verifyTicket(ticket, keys, { ...opts, fingerprint: 'fp-elsewhere' })).toMatchObject({ ok: false, code: 'wrong-machine' });
      expect(await verifyTicket(ticket, keys, { ...opts, now: new Date((iat + 7 * 86_400 + 1) * 1000) })).toMatchObject({ ok: false, code: 'expired' });
      expect(await verifyTicket(ticket, { keys: [] }, opts)).toMatchObject({ ok: false, code: 'unknown-key' });
      expect(await verifyTicket(`${h}.${p}`, keys, opts)).toMatchObject({ ok: false, code: 'malformed' });
      expect(decodeProtectedHeader(ticket).kid).toBe(keys.keys[0].kid);

      // The machine is recorded, the holder told once; renewing is the same call and tells no one.
      // The holder sees it under My licenses; the org admin sees it (and its last check-in) too.
      const [m] = await myMachines(s, f.holderCookie, f.license.id);
      expect(m).toEqual({ id: m.id, licenseId: f.license.id, name: 'build-box', firstSeenAt: clock.now().toISOString(), lastSeenAt: clock.now().toISOString() });
      expect((await orgMachines(s, f.org.cookie, f.org.orgId)).machines).toEqual([m]);
      expect(JSON.stringify(await machineById(s.store.db, m.id))).not.toContain('fp-build-box');
      clock.advance(3_600_000 - 1);
      const renewed = await requestTicket(s.url, token.access_token, machine);
      expect(renewed.ok).toBe(true);
      const [m2] = await myMachines(s, f.holderCookie, f.license.id);
      expect([m2.firstSeenAt, m2.lastSeenAt]).toEqual([m.firstSeenAt, clock.now().toISOString()]);
      expect((await orgMachines(s, f.org.cookie, f.org.orgId)).machines.map((x) => x.lastSeenAt)).toEqual([clock.now().toISOString()]);
      const mail = (await outboxRows(s, 'machine-activated')).filter((r) => r.recipient === f.holderEmail);
      expect(mail).toHaveLength(1);
      expect(mail[0].text).toContain('build-box');
      expect(mail[0].text).toContain('If it was not you');

      // The access token ends after an hour; the refresh token gets another.
      clock.advance(2);
      expect(await requestTicket(s.url, token.access_token, machine)).toMatchObject({ ok: false, status: 401, error: 'invalid-token' });
      const refreshed = await refreshToken(s.url, f.code, token.refresh_token);
      if (!refreshed.ok) throw new Error(refreshed.error.error);
      expect((await requestTicket(s.url, refreshed.token.access_token, machine)).ok).toBe(true);
      expect(await refreshToken(s.url, 'other-product', token.refresh_token)).toMatchObject({ ok: false, error: { error: 'invalid_grant' } });

      const events = (await listActivationEvents(s.store.db, f.org.orgId)).map((e) => e.action);
      expect(events.sort()).toEqual(['activation.activated', 'activation.approved', 'activation.renewed', 'activation.renewed']);
      // The organization's audit log has one event per activation and renewal, on the license (DESIGN §15).
      const audited = (await listDocs(s.store.db, { collection: 'auditEvents', org: f.org.orgId })).filter((e) => e.kind === 'activation');
      expect(audited.map((e) => [e.docId, e.summary.split(':')[0]]).sort()).toEqual([
        [f.license.id, 'Activated on a new machine'],
        [f.license.id, 'Ticket renewed'],
        [f.license.id, 'Ticket renewed'],
      ]);
    });

    it('after the admin revokes the license, renewal answers 403 license-revoked and no ticket', async () => {
      const f = await activationFixture(s);
      const { token, answer } = await activateMachine(s, f.code, f.holderCookie, 'fp-1');
      expect(answer.ok).toBe(true);
      const [stored] = await listDocs(s.store.db, { collection: 'licenses', where: { id: f.license.id } });
      const push = await revokeLicense(s, f.org.cookie, stored);
      expect(push.json).toEqual({ conflicts: [], rejected: [] });
      const again = await requestTicket(s.url, token.access_token, { fingerprint: 'fp-1', name: 'host-fp-1' });
      expect(again).toMatchObject({ ok: false, status: 403, error: 'license-revoked' });
      expect(again).not.toHaveProperty('value');
      // Its machines no longer count.
      const { machines } = await orgMachines(s, f.org.cookie, f.org.orgId);
      expect(machines.length).toBe(1);
      expect(machines.every((m) => m.licenseId === f.license.id && !!m.deactivatedAt)).toBe(true);
      const events = await listActivationEvents(s.store.db, f.org.orgId);
      expect(events).toContainEqual(expect.objectContaining({ action: 'activation.refused', detail: expect.objectContaining({ code: 'license-revoked' }) }));
      const refusedEvents = (await listDocs(s.store.db, { collection: 'auditEvents', org: f.org.orgId })).filter((e) => e.kind === 'activation' && e.summary.startsWith('Activation refused'));
      expect(refusedEvents).toHaveLength(1);
      expect(refusedEvents[0].changes).toContainEqual({ field: 'code', after: '"license-revoked"' });
    });

    it('a fourth machine answers machine-limit until the holder deactivates one', async () => {
      const f = await activationFixture(s);
      const tokens: string[] = [];
      for (const fp of ['fp-a', 'fp-b', 'fp-c']) {
        const { token, answer } = await activateMachine(s, f.code, f.holderCookie, fp);
        expect(answer.ok).toBe(true);
        tokens.push(token.access_token);
      }
      const fourth = await deviceFlow(s, f.code, f.holderCookie, 'host-fp-d');
      const refused = await requestTicket(s.url, fourth.access_token, { fingerprint: 'fp-d', name: 'host-fp-d' });
      expect(refused).toMatchObject({ ok: false, status: 403, error: 'machine-limit' });
      // A grant serves the machine it activated, not another.
      expect(await requestTicket(s.url, tokens[0], { fingerprint: 'fp-z', name: 'z' })).toMatchObject({ ok: false, status: 403, error: 'machine-mismatch' });

      const machines = await myMachines(s, f.holderCookie, f.license.id);
      expect(machines.map((m) => m.name).sort()).toEqual(['host-fp-a', 'host-fp-b', 'host-fp-c']);
      const b = machines.find((m) => m.name === 'host-fp-b')!;
      const stranger = await s.signIn(`x-${newId().slice(0, 6)}@elsewhere.test`);
      expect((await deactivate(s, stranger, b.id)).status).toBe(404);
      // Only the holder deactivates from My licenses (an admin revokes the license instead).
      expect((await deactivate(s, f.org.cookie, b.id)).status).toBe(404);
      const off = await deactivate(s, f.holderCookie, b.id);
      expect(off.status).toBe(200);
      expect((await myMachines(s, f.holderCookie, f.license.id)).map((m) => m.name).sort()).toEqual(['host-fp-a', 'host-fp-c']);
      expect((await orgMachines(s, f.org.cookie, f.org.orgId)).machines.find((m) => m.id === b.id)?.deactivatedAt).toBe(clock.now().toISOString());
      // The deactivated machine's product must activate again; the fourth now fits.
      expect(await requestTicket(s.url, tokens[1], { fingerprint: 'fp-b', name: 'host-fp-b' })).toMatchObject({ ok: false, status: 401, error: 'invalid-token' });
      expect((await requestTicket(s.url, fourth.access_token, { fingerprint: 'fp-d', name: 'host-fp-d' })).ok).toBe(true);
      const actions = (await listActivationEvents(s.store.db, f.org.orgId)).map((e) => e.action);
      expect(actions).toContain('activation.deactivated');
      expect(actions.filter((a) => a === 'activation.refused')).toHaveLength(2);
      // The organization's notification log shows them to its admin (the holder may not read it).
      const log = await s.request(orgApiPath(f.org.orgId, '/activation-events'), { method: 'GET', cookie: f.org.cookie });
      expect(log.status).toBe(200);
      const events = (log.json as ActivationEventsResponse).events;
      expect(events).toContainEqual(expect.objectContaining({ action: 'activated', product: f.code, machine: 'host-fp-d', email: f.holderEmail, licenseId: f.license.id }));
      expect(events).toContainEqual(expect.objectContaining({ action: 'deactivated', machine: 'host-fp-b', email: f.holderEmail }));
      expect(events).toContainEqual(expect.objectContaining({ action: 'refused', code: 'machine-limit', machine: 'host-fp-d' }));
      expect(events).toContainEqual(expect.objectContaining({ action: 'approved', machine: 'host-fp-a' }));
      expect((await s.request(orgApiPath(f.org.orgId, '/activation-events'), { method: 'GET', cookie: f.holderCookie })).status).toBe(403);
    });

    it('a denied request answers access_denied; an unused code expires; no license, no approval', async () => {
      const f = await activationFixture(s);
      const denied = await requestDeviceCode(s.url, f.code, 'kiosk');
      expect((await s.request('/api/device/deny', { cookie: f.holderCookie, body: { userCode: denied.user_code } })).json).toEqual({ status: 'denied' });
      expect(await pollToken(s.url, f.code, denied.device_code)).toMatchObject({ ok: false, status: 400, error: { error: 'access_denied' } });
      expect((await listActivationEvents(s.store.db, f.org.orgId)).map((e) => e.action)).toContain('activation.denied');

      const unused = await requestDeviceCode(s.url, f.code, 'kiosk');
      clock.advance(600_000);
      expect(await pollToken(s.url, f.code, unused.device_code)).toMatchObject({ ok: false, status: 400, error: { error: 'expired_token' } });
      expect((await approve(s, f.holderCookie, unused.user_code)).json.error).toBe('device-code-expired');

      const nobody = await s.signIn(`n-${newId().slice(0, 6)}@acme.test`);
      const other = await requestDeviceCode(s.url, f.code, 'kiosk');
      expect((await approve(s, nobody, other.user_code)).json.error).toBe('no-license');
      expect((await approve(s, f.holderCookie, 'BBBB-BBBB')).json.error).toBe('device-code-not-found');
    });

    it('a person holding licenses in two organizations chooses one', async () => {
      const a = await activationFixture(s, { code: 'multi-org' });
      const b = await activationFixture(s, { code: 'multi-org', orgName: 'Globex', holder: a.holderEmail });
      const device = await requestDeviceCode(s.url, 'multi-org', 'laptop');
      const info = await s.request(`/api/device/${device.user_code}`, { cookie: a.holderCookie });
      expect(info.json.licenses.map((l: { organization: { name: string } }) => l.organization.name).sort()).toEqual(['Acme', 'Globex']);
      expect((await approve(s, a.holderCookie, device.user_code)).json.error).toBe('license-choice-required');
      expect((await approve(s, a.holderCookie, device.user_code, newId())).json.error).toBe('license-not-held');
      expect((await approve(s, a.holderCookie, device.user_code, b.license.id)).status).toBe(200);
      const token = await pollToken(s.url, 'multi-org', device.device_code);
      if (!token.ok) throw new Error(token.error.error);
      const r = await requestTicket(s.url, token.token.access_token, { fingerprint: 'fp-l', name: 'laptop' });
      if (!r.ok) throw new Error(r.error);
      const v = await verifyTicket(r.value.ticket, await fetchJwks(s.url), { product: 'multi-org', fingerprint: 'fp-l', now: clock.now() });
      expect(v).toMatchObject({ ok: true, claims: { lic: b.license.id, org: { id: b.org.orgId, name: 'Globex' } } });
    });

    it('a license past its last day and a disabled account are refused with their codes', async () => {
      const f = await activationFixture(s);
      const token = await deviceFlow(s, f.code, f.holderCookie, 'm');
      await s.put(f.org.orgId, 'licenses', [{ ...f.license, validUntil: '2020-01-01' }]);
      expect(await requestTicket(s.url, token.access_token, { fingerprint: 'fp', name: 'm' })).toMatchObject({ ok: false, status: 403, error: 'license-expired' });
      await s.put(f.org.orgId, 'licenses', [{ ...f.license }]);
      await s.put(f.org.orgId, 'contacts', [
        { id: newId(), orgId: f.org.orgId, name: 'Hal', email: f.holderEmail, roles: [], orderIds: [], disabled: true, source: 'manual' },
      ]);
      expect(await requestTicket(s.url, token.access_token, { fingerprint: 'fp', name: 'm' })).toMatchObject({ ok: false, status: 403, error: 'account-disabled' });
    });

    it('answers bad requests with their OAuth or Allot codes, never a 500', async () => {
      const post = (path: string, body: string, type = 'application/x-www-form-urlencoded', headers: Record<string, string> = {}) =>
        fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': type, ...headers }, body }).then(async (r) => [r.status, ((await r.json()) as { error: string }).error]);
      expect(await post('/oauth/device_authorization', 'client_id=no-such-product')).toEqual([401, 'invalid_client']);
      expect(await post('/oauth/device_authorization', '')).toEqual([400, 'invalid_request']);
      expect(await post('/oauth/device_authorization', JSON.stringify({ client_id: 'rocket-ide' }), 'application/json')).toEqual([400, 'invalid_request']);
      expect(await post('/oauth/token', 'grant_type=password&username=a')).toEqual([400, 'unsupported_grant_type']);
      expect(await post('/oauth/token', 'client_id=a&client_id=b&grant_type=x')).toEqual([400, 'invalid_request']);
      expect(await post('/oauth/token', `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=rocket-ide&device_code=${'x'.repeat(5000)}`)).toEqual([400, 'invalid_grant']);
      expect(await post('/api/activations', JSON.stringify({ machine: { fingerprint: 'a', name: 'b' } }), 'application/json')).toEqual([401, 'invalid-token']);
      expect(await post('/api/activations', JSON.stringify({ machine: { fingerprint: 'a', name: 'b' } }), 'application/json', { authorization: 'Bearer nope' })).toEqual([401, 'invalid-token']);
      expect(await post('/api/activations', JSON.stringify({ machine: { fingerprint: '' } }), 'application/json', { authorization: 'Bearer nope' })).toEqual([400, 'invalid-body']);
      expect((await s.request('/api/device/approve', { body: { userCode: 'BBBB-BBBB' } })).status).toBe(401);
    });
  });
}
