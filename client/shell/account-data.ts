/**
 * The signed-in app's data (DESIGN §5 "Tabs, accounts and organizations"): who is asking
 * (/api/me, or the last account's when offline); that account's live /api/me and licenses
 * across organizations (/api/me/stream); and, one at a time, an organization's own local
 * database and its sync. Switching organization or signing out stops sync and closes the
 * database but never deletes it.
 */
import { createSignal, type Accessor } from 'solid-js';
import { ME_STREAM_PATH } from '../../shared/sync-paths';
import type { MeResponse, MyLicensesResponse } from '../../shared/api';
import { sectionsOf, personInOrganization } from '../../shared/permissions';
import { api, type Me, type MyLicense, type MyOrganization, type MyWaitlistPlace } from '../api';
import { indexedDbHas, noteLegacyOwner, openDatabase, resolveDatabaseName, startSync, type SyncStatus } from '../db';
import { openEventStream, type EventStream } from '../db/event-stream';
import {
  earlierOrgOf,
  forgetMe,
  lastLicenses,
  lastMe,
  lastOrgOf,
  rememberLastOrg,
  rememberLicenses,
  rememberMe,
} from '../pwa/offline-me';
import { makeSession, type AccountSession, type Session } from '../session';
import { errorWords } from '../ui/error-words';
import { keepUnchanged } from '../ui/keep-unchanged';

export type Boot = { kind: 'signed-in'; me: Me } | { kind: 'setup' } | { kind: 'signed-out' } | { kind: 'error'; message: string };

/** What the app opens on: the signed-in console, first-run setup, sign-in, or an error in words. */
export async function boot(): Promise<Boot> {
  // Signed out, /api/me would answer 401 — a red line in the console of every first visit.
  const session = await api.session();
  const me = session.ok && !session.value.signedIn ? ({ ok: false, code: 'unauthenticated', message: 'Signed out' } as const) : await api.me();
  if (me.ok) {
    // An earlier version's one database per account: note whose organization it holds before that memory is replaced.
    const earlier = earlierOrgOf(me.value.account.id);
    if (earlier) noteLegacyOwner(me.value.account.id, earlier);
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

/** Whether the person sees anything of `org` beyond their own licenses (which My licenses lists for every organization). */
export const worksIn = (accountId: string, org: MyOrganization) => sectionsOf(personInOrganization(accountId, org)).size > 1;

/**
 * The organization `/` opens: the last one used on this device, else the first where the person
 * sees more than their licenses; null when there is none (My licenses then).
 */
export function homeOrgId(me: Me): string | null {
  const last = lastOrgOf(me.account.id);
  const usable = me.organizations.filter((o) => worksIn(me.account.id, o));
  if (last && usable.some((o) => o.id === last)) return last;
  return usable[0]?.id ?? null;
}

interface OpenOrg {
  id: string;
  session: Session;
  close(): Promise<void>;
}

/** Opens `orgId`'s local database (an earlier version's is kept, database-names.ts) and starts its sync. */
async function openOrg(me: Accessor<Me>, orgId: string, signOut: () => Promise<void>, onUpgrade: (percent: number) => void): Promise<OpenOrg> {
  const account = me().account;
  const name = await resolveDatabaseName(account.id, orgId, { exists: indexedDbHas, open: (n) => openDatabase({ name: n, onUpgrade }) });
  const db = await openDatabase({ name, onUpgrade });
  const sync = startSync(db, { orgId, baseUrl: '' });
  const [status, set] = createSignal<SyncStatus | undefined>(sync.getStatus());
  const unwatch = sync.onStatus(set);
  // The entry stays what it last was if /api/me drops the organization (the screen then says so).
  let known = me().organizations.find((o) => o.id === orgId)!;
  const entry = () => (known = me().organizations.find((o) => o.id === orgId) ?? known);
  rememberLastOrg(account.id, orgId);
  return {
    id: orgId,
    session: makeSession({ account, org: entry, db, sync, status, signOut }),
    async close() {
      unwatch();
      await sync.stop();
      await db.close();
    },
  };
}

/**
 * The signed-in account: /api/me and the licenses, live over /api/me/stream (kept on the
 * device for opening offline), and the organization open now. Opening one closes the one
 * before (a page holds one organization's database at a time: RxDB's open-collection limit).
 */
export function openAccount(first: Me): AccountSession & { stop(): Promise<void> } {
  const accountId = first.account.id;
  const [me, setMe] = createSignal<Me>(first);
  const [licenses, setLicenses] = createSignal<MyLicense[] | undefined>(lastLicenses(accountId));
  const [waiting, setWaiting] = createSignal<MyWaitlistPlace[]>([]);
  const [current, setCurrent] = createSignal<Session | undefined>();
  const [wanted, setWanted] = createSignal<string | null>(null);
  const [orgError, setOrgError] = createSignal<string | null>(null);
  const [upgrading, setUpgrading] = createSignal<number | null>(null);
  let opened: OpenOrg | null = null;
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;

  const takeMe = (next: Me) => {
    if (next.account.id !== accountId) return;
    rememberMe(next);
    setMe(next);
  };
  const takeLicenses = (next: MyLicensesResponse) => {
    rememberLicenses(accountId, next.licenses);
    // Unchanged entries stay the same objects: their cards (and a confirmation open in one) stay.
    setLicenses((before) => keepUnchanged(before, next.licenses, (l) => l.license.id));
    setWaiting((before) => keepUnchanged(before, next.waiting ?? [], (w) => `${w.organization.id}:${w.invitation.token}`));
  };

  async function refreshLicenses() {
    const r = await api.myLicenses();
    if (r.ok && !stopped) takeLicenses(r.value);
  }
  void refreshLicenses();
  const stream: EventStream = openEventStream({
    url: ME_STREAM_PATH,
    fetch: (input, init) => fetch(input, init),
    headers: {},
    onOpen() {},
    onData(data, event) {
      try {
        if (event === 'me') takeMe(JSON.parse(data) as MeResponse);
        else if (event === 'licenses') takeLicenses(JSON.parse(data) as MyLicensesResponse);
      } catch {
        // A malformed event: the next one (or the reconnection's first) carries the whole state again.
      }
    },
    onError() {
      // Offline or the session ended: the kept copies stand; the organization's sync bar says which.
    },
    isFatal: (status) => status === 426,
  });

  async function closeOpened() {
    const o = opened;
    opened = null;
    setCurrent(undefined);
    if (o) await o.close();
  }

  function enterOrg(orgId: string) {
    if (stopped || wanted() === orgId) return;
    setWanted(orgId);
    setOrgError(null);
    queue = queue.then(async () => {
      if (stopped || wanted() !== orgId || opened?.id === orgId) return;
      await closeOpened();
      try {
        const o = await openOrg(me, orgId, signOut, setUpgrading);
        if (stopped || wanted() !== orgId) return void (await o.close());
        opened = o;
        setCurrent(o.session);
      } catch (err) {
        setOrgError(err instanceof Error ? err.message : String(err));
      } finally {
        setUpgrading(null);
      }
    });
  }

  async function stop() {
    stopped = true;
    stream.close();
    await queue;
    await closeOpened();
  }

  async function signOut() {
    // The databases stay: unpushed changes survive until this account opens them again.
    await stop();
    await api.logout();
    forgetMe();
    location.assign('/signin');
  }

  return {
    me,
    licenses,
    waiting,
    refreshLicenses,
    current,
    currentOrgId: () => wanted() ?? homeOrgId(me()),
    enterOrg,
    orgError,
    upgrading,
    signOut,
    renamed: takeMe,
    stop,
  };
}
