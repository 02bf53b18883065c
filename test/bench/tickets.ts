/**
 * Activation tickets (DESIGN §14): renewals over HTTP (`POST /api/activations`, Bearer, one
 * ticket each) against the same Ed25519 signature alone (jose's SignJWT with the same claims,
 * no HTTP, no database) in the same run; and how long a product's offline check takes
 * (shared/ticket.ts verifyTicket against the JWKS).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import { newId } from '../../shared/ids';
import { verifyTicket } from '../../shared/ticket';
import { fetchJwks, pollToken, requestDeviceCode, requestTicket } from '../../server/activation/product-client';
import { QUICK, ROOT, bulkAccounts, bulkSeed, log, now, openTarget, pool, round, sqliteTarget, startChildServer, summarize } from './lib';

const HOLDERS = QUICK ? 20 : 50;
const RENEWALS = QUICK ? 500 : 2000;
const CONCURRENCY = 10;
const VERIFY = QUICK ? 500 : 2000;

export async function ticketsFigure() {
  const dir = mkdtempSync(join(ROOT, 'bench/tmp/tickets-'));
  const target = sqliteTarget(dir);
  const store = await openTarget(target);
  const orgId = newId();
  const productId = newId();
  const code = `bench-${orgId.slice(0, 6)}`;
  const holders = await bulkAccounts(store, Array.from({ length: HOLDERS }, (_, i) => `holder${i}@tickets.test`));
  const teamId = newId();
  await bulkSeed(store, orgId, [
    { collection: 'products', docs: [{ id: productId, code, name: 'Bench IDE' }] },
    { collection: 'organizations', docs: [{ id: orgId, orgId, name: 'Tickets' }] },
    { collection: 'teams', docs: [{ id: teamId, orgId, name: 'Everyone' }] },
    {
      collection: 'licenses',
      docs: holders.map((h) => ({
        id: newId(),
        orgId,
        orderId: orgId,
        teamId,
        productId,
        status: 'assigned',
        assignee: { accountId: h.id, email: h.email, name: h.email.split('@')[0] },
        assignedAt: new Date().toISOString(),
        validUntil: '2099-12-31',
      })),
    },
  ]);
  await store.close();
  const server = await startChildServer(target);
  try {
    // Each holder's product goes through the device flow once and activates its machine.
    const grants = await pool(holders, 5, async (h) => {
      const device = await requestDeviceCode(server.url, code, `${h.email}-box`);
      const res = await fetch(`${server.url}/api/device/approve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url, cookie: h.cookie },
        body: JSON.stringify({ userCode: device.user_code }),
      });
      if (!res.ok) throw new Error(`approve: ${res.status} ${await res.text()}`);
      const token = await pollToken(server.url, code, device.device_code);
      if (!token.ok) throw new Error(`token: ${token.error.error}`);
      const machine = { fingerprint: `fp-${h.id}`, name: `${h.email}-box` };
      const first = await requestTicket(server.url, token.token.access_token, machine);
      if (!first.ok) throw new Error(`activation: ${first.error}`);
      return { access: token.token.access_token, machine, ticket: first.value.ticket };
    });

    // Renewals over HTTP, CONCURRENCY at a time.
    const latencies: number[] = [];
    const t0 = now();
    await pool(Array.from({ length: RENEWALS }, (_, i) => grants[i % grants.length]), CONCURRENCY, async (g) => {
      const s = now();
      const r = await requestTicket(server.url, g.access, g.machine);
      if (!r.ok) throw new Error(`renewal: ${r.error}`);
      latencies.push(now() - s);
    });
    const httpSec = (now() - t0) / 1000;

    // The signature alone: the same claims, an Ed25519 key, jose, one after another.
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const claims = { lic: newId(), org: { id: orgId, name: 'Tickets' }, email: 'holder0@tickets.test', mfp: 'fp-x', validUntil: '2099-12-31' };
    const sign = () =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', kid: 'k', typ: 'JWT' })
        .setIssuer(server.url)
        .setSubject(holders[0].id)
        .setAudience(code)
        .setIssuedAt()
        .setExpirationTime('7d')
        .sign(privateKey);
    for (let i = 0; i < 100; i++) await sign();
    const s0 = now();
    for (let i = 0; i < RENEWALS; i++) await sign();
    const signSec = (now() - s0) / 1000;

    // Offline verification as a product does it: the ticket against the JWKS it kept.
    const jwks = await fetchJwks(server.url);
    const g = grants[0];
    const opts = { product: code, fingerprint: g.machine.fingerprint };
    for (let i = 0; i < 100; i++) await verifyTicket(g.ticket, jwks, opts);
    const verifyUs: number[] = [];
    for (let i = 0; i < VERIFY; i++) {
      const s = now();
      const r = await verifyTicket(g.ticket, jwks, opts);
      verifyUs.push((now() - s) * 1000);
      if (!r.ok) throw new Error(`verify: ${r.code}`);
    }
    const httpPerSec = round(RENEWALS / httpSec, 1);
    const signPerSec = round(RENEWALS / signSec, 1);
    log(`tickets: ${httpPerSec}/s over HTTP, ${signPerSec}/s signature alone, verify p50 ${summarize(verifyUs).p50} µs`);
    return {
      holders: HOLDERS,
      renewals: RENEWALS,
      concurrency: CONCURRENCY,
      http: { ticketsPerSec: httpPerSec, latencyMs: summarize(latencies) },
      signatureAlone: { ticketsPerSec: signPerSec },
      httpVsSignature: round(httpPerSec / signPerSec, 3),
      offlineVerifyUs: summarize(verifyUs),
    };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
