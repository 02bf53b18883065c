/**
 * Every route of the API, fuzzed (issue 12): malformed JSON, wrong types, huge numbers and
 * strings, deep nesting, bad percent-encoding, NUL and lone surrogates, oversized bodies — as
 * nobody, as an org admin and as an account in no organization, on SQLite and PostgreSQL. The
 * routes are read from the app itself (Hono's route list), so a new route is fuzzed too.
 * Expected: no answer is a 5xx, and an input that is refused changes no data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { syncPath } from '../helpers/sync-path';
import { newId } from '../../shared/ids';
import { collections, COLLECTION_NAMES } from '../../shared/schemas';
import { CATALOG_ORG, currentSeq } from '../../server/store/docs';
import { listOutbox } from '../../server/store/outbox';
import { listSigninTokens } from '../../server/store/signin-tokens';
import { claimFixture } from './claims-fixtures';

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/** Bodies sent as application/json, raw. */
const BODIES: [string, string][] = [
  ['malformed: open brace', '{'],
  ['malformed: cut', '{"email": "a@b.test", "token":'],
  ['malformed: single quotes', "{'email': 'x'}"],
  ['malformed: trailing comma', '[1,]'],
  ['empty', ''],
  ['wrong type: array', '[]'],
  ['wrong type: object', '{}'],
  ['wrong type: string', '"hello"'],
  ['wrong type: number', '42'],
  ['wrong type: null', 'null'],
  ['wrong types in fields', '{"email": 1, "token": [], "code": {}, "checkpoint": "x", "batchSize": "10", "orgName": false, "topic": 7}'],
  ['wrong row types', '[{"newDocumentState": 1}, {"newDocumentState": "x", "assumedMasterState": 5}, 3, null]'],
  ['huge numbers', '{"checkpoint": {"seq": 1e308}, "batchSize": 1e400, "code": 1e21, "seq": -1e308}'],
  ['2^31 checkpoint', '{"checkpoint": {"seq": 2147483648}, "batchSize": 10}'],
  ['2^53 checkpoint', '{"checkpoint": {"seq": 9007199254740993}, "batchSize": 9007199254740993}'],
  ['huge string', JSON.stringify({ email: `${'a'.repeat(200_000)}@x.test`, orgName: 'o'.repeat(200_000), token: 't'.repeat(200_000), subject: 's'.repeat(200_000) })],
  ['deep array', deep(100_000)],
  ['deep object', deepObject(20_000)],
  ['deep inside a row', `[{"newDocumentState": {"id": "${newId()}", "name": ${deep(5_000)}}}]`],
  ['NUL escaped', '{"email": "a\\u0000@x.test", "orgName": "A\\u0000", "token": "\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000", "subject": "\\u0000", "body": "x"}'],
  ['NUL raw', '{"email": "a\u0000@x.test", "token": "abc\u0000defghijkl"}'],
  ['lone surrogates', '{"email": "\\ud800@x.test", "orgName": "\\udc00", "token": "\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800", "code": "\\udfff"}'],
  ['lone surrogate in a key', '{"\\ud800": 1}'],
  ['NUL in a pushed id', `[{"newDocumentState": {"id": "${newId().slice(0, 30)}\\u0000", "name": "x"}}]`],
  ['lone surrogate in a pushed id', `[{"newDocumentState": {"id": "\\ud800${newId().slice(1)}", "name": "x"}}]`],
  ['too many rows', JSON.stringify(Array.from({ length: 501 }, () => ({ newDocumentState: { id: newId() } })))],
  ['invalid UTF-8 bytes', '{"email": "\xff\xfe@x.test"}'],
];

/** Junk for every field of every collection's documents. */
const JUNK: [string, unknown][] = [
  ['null', null],
  ['a huge number', 1e308],
  ['a negative number', -1],
  ['a fraction', 0.5],
  ['a long string', 'x'.repeat(20_000)],
  ['an object', { nested: { deeper: [1, 2, 3] } }],
  ['an array of junk', [null, 1e308, 'x', {}]],
  ['a date nobody can read', '31/12/2020'],
  ['a path', '../../etc/passwd'],
  ['CR/LF', 'a\r\nb'],
];

/** Path segments put in place of each parameter. */
const BAD_SEGMENTS = ['%00', '%E0%A4%A', '%ED%A0%80', '%', 'x'.repeat(5000), '..%2F..%2F', '%C0%AF'];

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'the fuzz suite'))(`every route fuzzed on ${dialect}`, () => {
    let s: TestServer;
    let f: Awaited<ReturnType<typeof claimFixture>>;
    let cookies: Record<'nobody' | 'admin' | 'noOrg', string | undefined>;
    let routes: { method: string; path: string }[];
    const orgIds = () => [f.org.orgId, CATALOG_ORG];
    const ADMIN = `fuzz-admin-${newId().slice(0, 8)}@acme.test`;

    beforeAll(async () => {
      s = await startTestServer({ dialect });
      f = await claimFixture(s, { seats: 3, adminEmail: ADMIN });
      cookies = { nobody: undefined, admin: f.org.cookie, noOrg: await s.signIn(`drifter-${newId().slice(0, 8)}@people.test`) };
      const seen = new Set<string>();
      routes = s.app.routes
        .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && !r.path.includes('*'))
        .filter((r) => (seen.has(`${r.method} ${r.path}`) ? false : (seen.add(`${r.method} ${r.path}`), true)))
        .map((r) => ({ method: r.method, path: r.path }));
    }, 120_000);
    afterAll(async () => s?.close());

    /** What refused input must leave as it was: every change number, the outbox, the sign-in tokens. */
    async function fingerprint() {
      const seqs = await Promise.all(orgIds().map((o) => currentSeq(s.store.db, o)));
      return { seqs, outbox: (await listOutbox(s.store.db)).length, signin: (await listSigninTokens(s.store.db)).length };
    }

    /** A route's path with its parameters filled in: good values, or `bad` in place of each. */
    function fill(path: string, bad?: string): string {
      return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
        if (bad !== undefined) return bad;
        if (name === 'collection') return 'contacts';
        if (name === 'token') return f.invitation.token;
        if (name === 'orgId') return f.org.orgId;
        return newId();
      });
    }

    let requests = 0;
    const failures: string[] = [];

    async function send(method: string, path: string, body: string | undefined, cookieOf: string | undefined, type = 'application/json') {
      // Signing out would end the session the other requests use.
      const cookie = path.endsWith('/logout') ? undefined : cookieOf;
      const before = await fingerprint();
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), 30_000);
      let status = 0;
      let text = '';
      try {
        const res = await fetch(s.url + path, {
          method,
          headers: { origin: s.url, ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': type } : {}) },
          body: method === 'GET' || method === 'HEAD' ? undefined : body,
          signal: ctl.signal,
        });
        status = res.status;
        // A live stream answers and stays open: its status is what counts.
        if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) await res.body?.cancel();
        else text = await res.text();
      } catch (err) {
        // No answer at all (the connection dropped, or 30 s passed): counted as a failure below.
        text = String(err);
      } finally {
        clearTimeout(timer);
      }
      requests += 1;
      const label = `${method} ${path.slice(0, 120)} ${body === undefined ? '' : JSON.stringify(body.slice(0, 60))}`;
      if (status >= 500 || status === 0) failures.push(`${status} ${label} ${text.slice(0, 200)}`);
      let refused = status >= 400;
      if (!refused && text.startsWith('{"conflicts"')) {
        // A push is refused when every row it carried was (junk in one field may still be a valid value of it).
        const rows = (JSON.parse(body ?? '[]') as unknown[]).length;
        const json = JSON.parse(text) as { rejected: unknown[] };
        refused = rows > 0 && json.rejected.length === rows;
      }
      if (refused) {
        const after = await fingerprint();
        if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`data changed by a refused input (${status}): ${label}`);
      }
      return status;
    }

    it('reads the routes from the app', () => {
      const names = routes.map((r) => `${r.method} ${r.path}`);
      expect(names).toEqual(expect.arrayContaining(['POST /api/auth/email', 'POST /api/auth/verify', 'POST /api/setup', 'GET /api/me']));
      expect(names.some((n) => n.includes('/pull'))).toBe(true);
      expect(names.some((n) => n.includes('/claim'))).toBe(true);
    });

    it('answers every malformed, mistyped, huge, deep, NUL or surrogate body without a 5xx or a change', async () => {
      for (const r of routes) {
        // Someone in no organization where it matters: what they may reach (sync, me) is decided per organization.
        const people = /\/(sync|me)\b/.test(r.path) ? (['nobody', 'admin', 'noOrg'] as const) : (['nobody', 'admin'] as const);
        for (const who of people) {
          for (const [, body] of BODIES) await send(r.method, fill(r.path), body, cookies[who]);
          await send(r.method, fill(r.path), '{"a": 1}', cookies[who], 'text/plain');
          await send(r.method, fill(r.path), 'a=1&email=%00', cookies[who], 'application/x-www-form-urlencoded');
        }
      }
      expect(failures).toEqual([]);
    }, 900_000);

    it('answers bad percent-encoding, NUL and huge values in every path parameter and the query', async () => {
      for (const r of routes) {
        const params = r.path.match(/:[A-Za-z]+/g) ?? [];
        for (const bad of params.length ? BAD_SEGMENTS : []) await send(r.method, fill(r.path, bad), '{}', cookies.admin);
        for (const q of ['?x=%00', '?x=%E0%A4%A', '?checkpoint=%ED%A0%80', `?x=${'y'.repeat(10_000)}`]) await send(r.method, fill(r.path) + q, '{}', cookies.admin);
      }
      expect(failures).toEqual([]);
    }, 900_000);

    it('refuses an oversized body on every route that takes one, and keeps answering', async () => {
      const big = JSON.stringify({ pad: 'x'.repeat(1_100_000) });
      for (const r of routes.filter((x) => x.method !== 'GET')) {
        const status = await send(r.method, fill(r.path), big, cookies.admin);
        expect(status, `${r.method} ${r.path}`).toBeLessThan(500);
      }
      expect(failures).toEqual([]);
    }, 900_000);

    it('pushes junk in every field of every collection: every row refused, nothing written, no 5xx', async () => {
      // A fresh session: the route fuzz above signs out whoever it sends to /api/auth/logout.
      const admin = await s.signIn(ADMIN);
      for (const collection of COLLECTION_NAMES) {
        const fields = Object.keys(collections[collection].schema.entries);
        for (const [, junk] of JUNK) {
          const rows = fields.map((field) => ({ newDocumentState: { id: newId(), orgId: f.org.orgId, seq: 0, updatedAt: '', [field]: junk } }));
          // The admin's rows are each refused inside a 200; an account with no reach in the
          // organization (or signed out by the route fuzz) is refused before its body is read.
          expect(await send('POST', syncPath(f.org.orgId, collection, 'push'), JSON.stringify(rows), admin)).toBe(200);
          expect([401, 404]).toContain(await send('POST', syncPath(f.org.orgId, collection, 'push'), JSON.stringify(rows), cookies.noOrg));
        }
      }
      expect(failures).toEqual([]);
      expect(requests).toBeGreaterThan(1000);
    }, 900_000);
  });
}
