import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { smtpMailer } from './mailer';
import { afterFailure, isPermanentRefusal, retryDelay, retryPolicy } from './retry-policy';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('the retry schedule', () => {
  const policy = retryPolicy(72);

  it('doubles from 2 s and never waits more than 10 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => retryDelay(n, policy))).toEqual([
      2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 512_000,
    ]);
    expect(retryDelay(10, policy)).toBe(10 * MIN);
    expect(retryDelay(500, policy)).toBe(10 * MIN);
  });

  it('keeps trying through a 5-hour outage: about 38 attempts, none more than 10 minutes apart', () => {
    const since = new Date('2026-01-01T00:00:00Z');
    let now = since;
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET', command: 'CONN' });
    const tries: Date[] = [];
    for (let attempts = 1; now.getTime() < since.getTime() + 5 * HOUR; attempts++) {
      tries.push(now);
      const next = afterFailure(down, attempts, since, now, policy);
      if (next.give !== 'another-try') throw new Error(`given up after ${attempts} attempts`);
      expect(next.at.getTime() - now.getTime()).toBeLessThanOrEqual(10 * MIN);
      now = next.at;
    }
    expect(tries.length).toBeGreaterThan(30);
    expect(tries.length).toBeLessThan(40);
  });

  it('gives up after MAIL_RETRY_HOURS, with a last try at the window’s end', () => {
    const since = new Date('2026-01-01T00:00:00Z');
    const timeout = Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT', command: 'CONN' });
    const nearEnd = new Date(since.getTime() + 72 * HOUR - MIN);
    expect(afterFailure(timeout, 400, since, nearEnd, policy)).toEqual({ give: 'another-try', at: new Date(since.getTime() + 72 * HOUR) });
    expect(afterFailure(timeout, 401, since, new Date(since.getTime() + 72 * HOUR), policy)).toEqual({ give: 'up' });
    const short = retryPolicy(1);
    expect(afterFailure(timeout, 9, since, new Date(since.getTime() + HOUR), short)).toEqual({ give: 'up' });
  });
});

/**
 * What a real SMTP server answers, as nodemailer reports it: only a 5xx to this message's
 * recipient or content is permanent.
 */
describe('temporary and permanent SMTP failures', () => {
  let server: SMTPServer;
  let port: number;
  const refuse = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });
  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _session, cb) {
        if (auth.password === 'right') cb(null, { user: auth.username });
        else cb(refuse(535, 'Authentication credentials invalid'));
      },
      onMailFrom(address, _session, cb) {
        cb(address.address.startsWith('blocked') ? refuse(553, 'Sender not allowed') : undefined);
      },
      onRcptTo(address, _session, cb) {
        const who = address.address;
        if (who.startsWith('gone')) return cb(refuse(550, 'Mailbox unavailable'));
        if (who.startsWith('full')) return cb(refuse(452, 'Mailbox full, try later'));
        if (who.startsWith('greylisted')) return cb(refuse(451, 'Greylisted, try again later'));
        cb();
      },
      onData(stream, session, cb) {
        stream.resume();
        stream.on('end', () => cb(session.envelope.rcptTo[0].address.startsWith('spam') ? refuse(554, 'Message refused') : undefined));
      },
    });
    port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port)));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function failureOf(to: string, opts: { password?: string; from?: string; port?: number } = {}) {
    const url = `smtp://${opts.password ? `ada:${opts.password}@` : ''}127.0.0.1:${opts.port ?? port}`;
    const mailer = smtpMailer(url);
    try {
      await mailer.send({ from: opts.from ?? 'allot@acme.test', to, subject: 'Hello', text: 'Hello', html: '<p>Hello</p>', messageId: '<t@allot>' });
      return null;
    } catch (err) {
      return err;
    } finally {
      mailer.close();
    }
  }

  it.each([
    ['a mailbox that does not exist (550 to RCPT TO)', 'gone@people.test', {}],
    ['a message refused (554 to DATA)', 'spam@people.test', {}],
  ])('%s is permanent', async (_what, to, opts) => {
    const err = await failureOf(to, opts);
    expect(err).toBeTruthy();
    expect(isPermanentRefusal(err)).toBe(true);
  });

  it.each([
    ['a full mailbox (452)', 'full@people.test', {}],
    ['greylisting (451)', 'greylisted@people.test', {}],
    ['a wrong SMTP password (535 to AUTH)', 'kim@people.test', { password: 'wrong' }],
    ['a sender the server refuses (553 to MAIL FROM)', 'kim@people.test', { from: 'blocked@acme.test' }],
    ['no SMTP server listening (connection refused)', 'kim@people.test', { port: 1 }],
  ])('%s is temporary', async (_what, to, opts) => {
    const err = await failureOf(to, opts);
    expect(err).toBeTruthy();
    expect(isPermanentRefusal(err)).toBe(false);
  });

  it('a message the server takes is no failure', async () => {
    expect(await failureOf('kim@people.test', { password: 'right' })).toBeNull();
  });
});
