/**
 * DESIGN §15: an audit event is written in the transaction of its change, so a server killed
 * (SIGKILL) while changes are committing — some committed with their reply never sent — loses
 * no event and keeps none without its change: after the kill, every stored document pushed
 * has exactly one `create` event, and every such event names a stored document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../server/store/open-store';
import { listDocs, orgTx } from '../../server/store/docs';
import { createSession } from '../../server/auth/session';
import { ensureAccountRow } from '../../server/store/accounts';
import { newId } from '../../shared/ids';
import { syncPath } from '../../shared/sync-paths';
import { skipWithoutPg } from '../helpers/pg';
import { startServerProcess, throwawayDatabase, type ServerProcess } from '../helpers/server-process';

const PUSHES = 80;

for (const dialect of ['sqlite', 'postgres'] as const)
  describe.skipIf(skipWithoutPg(dialect, 'the audit SIGKILL suite'))(`audit events survive SIGKILL of the server on ${dialect}`, () => {
    let dir = '';
    let database: Awaited<ReturnType<typeof throwawayDatabase>> | undefined;
    let store: Store | undefined;
    let server: ServerProcess | undefined;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'allot-audit-kill-'));
      if (dialect === 'postgres') database = await throwawayDatabase('allot_audit_kill');
    });
    afterAll(async () => {
      await server?.kill('SIGKILL');
      await store?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
      await database?.drop();
    });

    it('a change and its event commit together, whatever the kill interrupts', { timeout: 150_000 }, async () => {
      store = await openStore(dialect === 'postgres' ? { databaseUrl: database!.url } : { dataDir: dir });
      const now = new Date();
      const orgId = newId();
      const admin = await ensureAccountRow(store.db, 'ada@kill.test', now.toISOString(), { verified: true, name: 'Ada' });
      await orgTx(store, orgId, now, async (w) => {
        await w.put('organizations', { id: orgId, orgId, name: 'Kill Co', _deleted: false });
        await w.put('members', { id: newId(), orgId, accountId: admin.id, email: admin.email, name: 'Ada', isOrgAdmin: true, adminOfTeamIds: [], disabled: false, _deleted: false });
      });
      const cookie = `allot_session=${await createSession(store.db, admin.id, now)}`;
      server = await startServerProcess({ DATA_DIR: dir, DATABASE_URL: database?.url ?? '', SMTP_URL: '', LOG_LEVEL: 'warn' });
      const url = server.url;

      // Many pushes at once, each creating one contact; the server is killed when the first answer arrives.
      const ids = Array.from({ length: PUSHES }, () => newId());
      let answered = 0;
      const replies = ids.map((id, i) =>
        fetch(url + syncPath(orgId, 'contacts', 'push'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: url, cookie },
          body: JSON.stringify([
            {
              assumedMasterState: null,
              newDocumentState: { id, orgId, name: `Person ${i}`, email: `p${i}@kill.test`, roles: [], orderIds: [], disabled: false, source: 'manual', seq: 0, updatedAt: '', _deleted: false },
            },
          ]),
        }).then(
          async (res) => {
            const ok = res.status === 200 && ((await res.json()) as { rejected: unknown[] }).rejected.length === 0;
            if (ok && ++answered === 1) void server!.kill('SIGKILL');
            return ok ? id : null;
          },
          () => null,
        ),
      );
      const acknowledged = (await Promise.all(replies)).filter((x): x is string => x !== null);
      await server.kill('SIGKILL');

      const contacts = (await listDocs(store.db, { collection: 'contacts', org: orgId })).map((c) => c.id);
      const events = await listDocs(store.db, { collection: 'auditEvents', org: orgId });
      const creates = events.filter((e) => e.collection === 'contacts');
      // Every answered push is stored; some pushes may have committed without an answer.
      expect(acknowledged.length).toBeGreaterThan(0);
      for (const id of acknowledged) expect(contacts).toContain(id);
      // Exactly one event per stored contact, and none for a contact that is not stored.
      expect(creates.map((e) => e.docId).sort()).toEqual([...contacts].sort());
      expect(creates.every((e) => e.kind === 'create' && e.actorEmail === 'ada@kill.test')).toBe(true);
      // Seen once more after a restart: nothing appears or disappears later.
      server = await startServerProcess({ DATA_DIR: dir, DATABASE_URL: database?.url ?? '', SMTP_URL: '', LOG_LEVEL: 'warn' });
      await server.kill('SIGTERM');
      const again = (await listDocs(store.db, { collection: 'auditEvents', org: orgId })).filter((e) => e.collection === 'contacts');
      expect(again.map((e) => e.id).sort()).toEqual(creates.map((e) => e.id).sort());
    });
  });
