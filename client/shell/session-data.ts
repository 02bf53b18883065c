/**
 * Starting the signed-in app (DESIGN §5 "Tabs, accounts and organizations"): who is asking
 * (/api/me, or the last account's when offline), then that account's own local database and
 * its sync. Signing out stops sync and closes the database but never deletes it.
 */
import { createSignal } from 'solid-js';
import { api, type Me } from '../api';
import { databaseNameFor, openDatabase, startSync, type SyncStatus } from '../db';
import { forgetMe, lastMe, rememberMe } from '../pwa/offline-me';
import { makeSession, type Session } from '../session';
import { errorWords } from '../ui/error-words';

export type Boot = { kind: 'signed-in'; me: Me } | { kind: 'setup' } | { kind: 'signed-out' } | { kind: 'error'; message: string };

/** What the app opens on: the signed-in console, first-run setup, sign-in, or an error in words. */
export async function boot(): Promise<Boot> {
  const me = await api.me();
  if (me.ok) {
    rememberMe(me.value);
    return { kind: 'signed-in', me: me.value };
  }
  // Offline: open the last account's local data (the service worker served the app).
  const offline = me.code === 'network' ? lastMe() : null;
  if (offline) return { kind: 'signed-in', me: offline };
  if (me.code === 'unauthenticated') forgetMe();
  if (me.code !== 'unauthenticated') return { kind: 'error', message: errorWords(me.code) };
  const setup = await api.setup();
  if (setup.ok && setup.value.needsSetup) return { kind: 'setup' };
  return { kind: 'signed-out' };
}

/** Opens `me`'s local database and starts its sync; the session's status follows the sync's. */
export async function openSession(me: Me): Promise<Session> {
  const db = await openDatabase({ name: databaseNameFor(me.account.id) });
  const sync = startSync(db, { orgId: me.org?.id ?? '', baseUrl: '' });
  const [status, set] = createSignal<SyncStatus | undefined>(sync.getStatus());
  sync.onStatus(set);
  return makeSession({
    me,
    db,
    sync,
    status,
    async signOut() {
      // The database stays: unpushed changes survive until this account signs in again.
      await sync.stop();
      await db.close();
      await api.logout();
      forgetMe();
      location.assign('/signin');
    },
  });
}
