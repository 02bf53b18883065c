/**
 * Long-lived connections end with their session (issue 13, point 3): an organization's sync
 * stream and the account's /api/me/stream end within a few seconds of a logout, the session's
 * expiry, its revocation (the session row gone, as when another instance ends it), and — for
 * the sync stream — the member removed or disabled; nothing is delivered after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { openMeStream, openStream } from '../helpers/sse';
import { manualClock } from '../../server/clock';
import { sha256 } from '../../server/auth/hash';
import { deleteSessionRow } from '../../server/store/sessions';
import { newId } from '../../shared/ids';
import { SESSION_CHECK_MS } from '../../server/sync/session-watch';
import { createRow, pushOutcome } from './permissions-fixtures';

/** "Within a few seconds": the session check's period, and some room for a loaded machine. */
const ENDS_WITHIN_MS = SESSION_CHECK_MS + 3_000;

/** Resolves true when `p` settles within `ms`, else false. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'streams end with their session'))(`streams end with their session on ${dialect}`, () => {
    let s: TestServer;
    const clock = manualClock(new Date());
    beforeAll(async () => {
      s = await startTestServer({ dialect, clock });
    });
    afterAll(async () => s?.close());

    /** An organization whose admin Ada has one session, and a second admin Bo (who makes the changes) with another. */
    async function setup() {
      const tag = newId().slice(0, 6);
      const org = await s.createOrg(`Org ${tag}`, `ada-${tag}@acme.test`);
      const bo = `bo-${tag}@acme.test`;
      const boCookie = await s.signIn(bo);
      const boMember = { id: newId(), orgId: org.orgId, accountId: await s.accountId(bo), email: bo, name: 'Bo', isOrgAdmin: true, adminOfTeamIds: [], disabled: false };
      await s.put(org.orgId, 'members', [boMember]);
      const ada = await s.signIn(`ada-${tag}@acme.test`);
      return { org, ada, bo: { cookie: boCookie, orgId: org.orgId, email: bo } };
    }

    /** Bo adds a contact (which an org admin's stream carries); returns its id. */
    async function change(bo: { cookie: string; orgId: string; email: string }) {
      const id = newId();
      const contact = { id, orgId: bo.orgId, name: 'Late', email: `late-${id.slice(0, 6)}@x.test`, roles: [], orderIds: [], disabled: false, source: 'manual' };
      expect((await pushOutcome(s, 'contacts', [createRow(contact)], bo.cookie, bo.orgId)).outcome).toBe('ok');
      return id;
    }

    /** Opens Ada's sync stream and me stream; checks both are live (a change reaches the sync stream). */
    async function openBoth(f: Awaited<ReturnType<typeof setup>>) {
      const sync = openStream(s.url, f.ada, f.org.orgId);
      const me = openMeStream(s.url, f.ada);
      await Promise.all([sync.opened, me.opened]);
      const seen = await change(f.bo);
      await expect.poll(() => sync.ids().has(seen), { timeout: 5_000 }).toBe(true);
      return { sync, me };
    }

    /** After the end: both streams closed in time, and a later change reaches neither. */
    async function endedAndSilent(f: Awaited<ReturnType<typeof setup>>, both: Awaited<ReturnType<typeof openBoth>>, which: ('sync' | 'me')[] = ['sync', 'me']) {
      for (const k of which) expect(await within(both[k].ended, ENDS_WITHIN_MS), `${k} stream ended`).toBe(true);
      const syncEvents = both.sync.events.length;
      const meEvents = both.me.events.length;
      const late = await change(f.bo);
      await new Promise((r) => setTimeout(r, 300));
      if (which.includes('sync')) {
        expect(both.sync.ids().has(late)).toBe(false);
        expect(both.sync.events.length).toBe(syncEvents);
      }
      if (which.includes('me')) expect(both.me.events.length).toBe(meEvents);
    }

    it('logout ends them at once', async () => {
      const f = await setup();
      const both = await openBoth(f);
      try {
        expect((await s.request('/api/auth/logout', { cookie: f.ada, body: {} })).status).toBe(200);
        // In this process: not at the next check, at once.
        expect(await within(Promise.all([both.sync.ended, both.me.ended]), 1_000)).toBe(true);
        await endedAndSilent(f, both);
      } finally {
        both.sync.close();
        both.me.close();
      }
    });

    it('revocation (the session gone, as another instance ends it) ends them within a few seconds', async () => {
      const f = await setup();
      const both = await openBoth(f);
      try {
        await deleteSessionRow(s.store.db, sha256(f.ada.replace(/^allot_session=/, '')));
        await endedAndSilent(f, both);
      } finally {
        both.sync.close();
        both.me.close();
      }
    });

    it('expiry ends them within a few seconds', async () => {
      const f = await setup();
      const both = await openBoth(f);
      try {
        // Sessions last 30 days. Bo signs in again after, to make the late change.
        clock.advance(31 * 86_400_000);
        f.bo.cookie = await s.signIn(f.bo.email);
        await endedAndSilent(f, both);
      } finally {
        both.sync.close();
        both.me.close();
      }
    });

    it('the member disabled, or removed, ends their sync stream; their me stream tells them', async () => {
      for (const how of ['disabled', 'removed'] as const) {
        const f = await setup();
        const both = await openBoth(f);
        try {
          const { getDoc } = await import('../../server/store/docs');
          const ada = (await getDoc(s.store.db, 'members', f.org.memberId))!;
          const row = { assumedMasterState: ada, newDocumentState: how === 'disabled' ? { ...ada, disabled: true } : { ...ada, _deleted: true } };
          expect((await pushOutcome(s, 'members', [row], f.bo.cookie, f.bo.orgId)).outcome, how).toBe('ok');
          await endedAndSilent(f, both, ['sync']);
          await expect.poll(() => both.me.me()?.organizations, { timeout: 5_000 }).toEqual([]);
        } finally {
          both.sync.close();
          both.me.close();
        }
      }
    });
  });
}
