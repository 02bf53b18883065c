/**
 * DESIGN §14: `npm run cli -- rotate-ticket-key` makes a new signing key while a server runs;
 * tickets of the old key still verify until they expire (its key stays published that long),
 * new tickets use the new key. A key given as TICKET_SIGNING_KEY signs instead of a stored one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair, decodeProtectedHeader, calculateJwkThumbprint } from 'jose';
import { manualClock } from '../../server/clock';
import { fetchJwks, requestTicket } from '../../server/activation/product-client';
import { verifyTicket } from '../../shared/ticket';
import { parseSigningKey } from '../../server/activation/keys';
import { startTestServer, type TestServer } from '../helpers/server';
import { activationFixture, deviceFlow } from './activation-fixtures';

const ROOT = resolve(__dirname, '../..');

function cli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string }>((done) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['server/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => done({ code, out }));
  });
}

describe('ticket key rotation', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it('keeps an old key published until its last ticket expires; new tickets use the new key', async () => {
    const clock = manualClock(new Date());
    const s = await startTestServer({ clock });
    servers.push(s);
    const f = await activationFixture(s);
    const token = await deviceFlow(s, f.code, f.holderCookie, 'box');
    const machine = { fingerprint: 'fp-rot', name: 'box' };
    const first = await requestTicket(s.url, token.access_token, machine);
    if (!first.ok) throw new Error(first.error);
    const oldKid = decodeProtectedHeader(first.value.ticket).kid;
    expect((await fetchJwks(s.url)).keys.map((k) => k.kid)).toEqual([oldKid]);

    const rotated = await cli(['rotate-ticket-key'], { DATA_DIR: s.dir, LOG_LEVEL: 'silent' });
    expect(rotated.code, rotated.out).toBe(0);
    expect(rotated.out).toContain(`Retired ${oldKid}`);

    clock.advance(60_000);
    const second = await requestTicket(s.url, token.access_token, machine);
    if (!second.ok) throw new Error(second.error);
    const newKid = decodeProtectedHeader(second.value.ticket).kid;
    expect(newKid).not.toBe(oldKid);
    expect(rotated.out).toContain(`signed with the key ${newKid}`);

    const jwks = await fetchJwks(s.url);
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
    const opts = { product: f.code, fingerprint: 'fp-rot' };
    expect(await verifyTicket(first.value.ticket, jwks, { ...opts, now: clock.now() })).toMatchObject({ ok: true });
    expect(await verifyTicket(second.value.ticket, jwks, { ...opts, now: clock.now() })).toMatchObject({ ok: true });

    // Seven days after the rotation the old key's last ticket has expired, and the key is gone.
    clock.advance(7 * 86_400_000);
    expect((await fetchJwks(s.url)).keys.map((k) => k.kid)).toEqual([newKid]);
  }, 60_000);

  it('signs with TICKET_SIGNING_KEY (JWK or PKCS #8 PEM) and refuses to rotate it', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwk = await exportJWK(privateKey);
    const pem = await exportPKCS8(privateKey);
    const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x });
    expect((await parseSigningKey(pem)).signing.kid).toBe(kid);
    await expect(parseSigningKey('{"kty":"RSA"}')).rejects.toThrow(/TICKET_SIGNING_KEY/);

    const s = await startTestServer({ env: { TICKET_SIGNING_KEY: JSON.stringify(jwk) } });
    servers.push(s);
    const f = await activationFixture(s);
    const token = await deviceFlow(s, f.code, f.holderCookie, 'box');
    const r = await requestTicket(s.url, token.access_token, { fingerprint: 'fp', name: 'box' });
    if (!r.ok) throw new Error(r.error);
    expect(decodeProtectedHeader(r.value.ticket).kid).toBe(kid);
    const jwks = await fetchJwks(s.url);
    expect(jwks.keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, alg: 'EdDSA', use: 'sig' }]);
    expect(JSON.stringify(jwks)).not.toContain(jwk.d!);

    const refused = await cli(['rotate-ticket-key'], { DATA_DIR: s.dir, LOG_LEVEL: 'silent', TICKET_SIGNING_KEY: JSON.stringify(jwk) });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('TICKET_SIGNING_KEY');
  }, 60_000);
});
