import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { manualClock } from '../../server/clock';
import { newId } from '../../shared/ids';
import { claimFixture } from './claims-fixtures';
import { listOutbox } from '../../server/store/outbox';


/**
 * Two server instances on one PostgreSQL schema, as behind a load balancer: every limit of
 * DESIGN §8 (SIGNIN_RATE and CLAIM_RATE per address, claims per account, sign-in emails per
 * email, wrong codes per code) holds for both together, not for each.
 */
describe.skipIf(skipWithoutPg('postgres', 'the shared rate-limit suite (two instances)'))('rate limits shared by two instances on one PostgreSQL', () => {
  let a: TestServer;
  let b: TestServer;
  // Both instances read one clock, set mid-minute, so no request straddles a window.
  const clock = manualClock(new Date('2026-06-01T12:00:20Z'));
  const env = { SIGNIN_RATE: '4', CLAIM_RATE: '3', TRUST_PROXY: '1' };
  beforeAll(async () => {
    a = await startTestServer({ dialect: 'postgres', clock, env });
    b = await startTestServer({ dialect: 'postgres', clock, env, pgSchema: a.pgSchema });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /** Round-robin over the two, as a balancer spreads requests. */
  const via = (i: number) => (i % 2 === 0 ? a : b);
  // A client address of its own for each call (the balancer's entry is the last one, the one counted).
  let clients = 0;
  const address = () => {
    clients += 1;
    return `203.0.113.9, 10.${Math.floor(clients / 250)}.${clients % 250}.1`;
  };
  const signIn = (i: number, email: string, from: string) =>
    via(i).request('/api/auth/email', { body: { email }, headers: { 'x-forwarded-for': from } });

  it('SIGNIN_RATE per client address counts requests to both', async () => {
    const from = address();
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push((await signIn(i, `p${i}-${newId().slice(0, 6)}@people.test`, from)).status);
    expect(answers).toEqual([200, 200, 200, 200, 429, 429, 429, 429]);
    const refused = await signIn(8, `late-${newId().slice(0, 6)}@people.test`, from);
    expect(refused.json.error).toBe('rate-limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address has its own budget on both.
    expect((await signIn(1, `other-${newId().slice(0, 6)}@people.test`, address())).status).toBe(200);
  });

  it('lets no more through when both are asked at the same moment', async () => {
    const from = address();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signIn(i, `burst${i}-${newId().slice(0, 6)}@people.test`, from).then((r) => r.status)),
    );
    expect(answers.filter((s) => s === 200)).toHaveLength(4);
    expect(answers.filter((s) => s === 429)).toHaveLength(16);
  });

  it('sign-in emails per email address, whichever instance and address asks', async () => {
    const email = `popular-${newId().slice(0, 6)}@people.test`;
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await signIn(i, email, address())).status);
    expect(answers).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('wrong codes lock a sign-in code for both', async () => {
    const email = `guess-${newId().slice(0, 6)}@people.test`;
    expect((await signIn(0, email, address())).status).toBe(200);
    const [row] = (await listOutbox(a.store.db)).filter((r) => r.recipient === email);
    const code = /Code: (\d{6})/.exec(row.text)![1];
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) {
      const r = await via(i).request('/api/auth/verify', { body: { email, code: wrong }, headers: { 'x-forwarded-for': address() } });
      expect(r.json.error).toBe('invalid-code');
    }
    const right = await b.request('/api/auth/verify', { body: { email, code }, headers: { 'x-forwarded-for': address() } });
    expect(right.status).toBe(400);
    expect(right.json.error).toBe('invalid-code');
  });

  it('CLAIM_RATE per client address and per account counts claims to both', async () => {
    const f = await claimFixture(a, { seats: 10 });
    const claimAt = (i: number, cookie: string, from: string) =>
      via(i).request(`/api/invitations/${f.invitation.token}/claim`, { cookie, body: {}, headers: { 'x-forwarded-for': from } });

    const from = address();
    const perAddress = [];
    for (let i = 0; i < 6; i++) perAddress.push((await claimAt(i, await a.signIn(`c${i}-${newId().slice(0, 6)}@people.test`), from)).status);
    expect(perAddress).toEqual([200, 200, 200, 429, 429, 429]);

    const eager = await a.signIn(`eager-${newId().slice(0, 6)}@people.test`);
    const perAccount = [];
    for (let i = 0; i < 5; i++) perAccount.push((await claimAt(i, eager, address())).status);
    // The same license each time (a claim is idempotent), until the account's budget is spent.
    expect(perAccount).toEqual([200, 200, 200, 429, 429]);
  });

  it('lets requests through again as the window slides', async () => {
    const from = address();
    for (let i = 0; i < 4; i++) expect((await signIn(i, `w${i}-${newId().slice(0, 6)}@people.test`, from)).status).toBe(200);
    expect((await signIn(4, `w4-${newId().slice(0, 6)}@people.test`, from)).status).toBe(429);
    clock.advance(2 * 60_000);
    expect((await signIn(5, `w5-${newId().slice(0, 6)}@people.test`, from)).status).toBe(200);
  });
});
