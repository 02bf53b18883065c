/**
 * Everything behind sign-in: asks the server who this is, opens that account's local
 * database, starts sync, and hands the session to the screens. Without a session it shows
 * first-run setup or sign-in instead.
 */
import { useLocation } from '@solidjs/router';
import { createResource, createSignal, Match, onCleanup, Show, Switch, type JSX } from 'solid-js';
import { api, type Me } from './api';
import { SetupPage } from './account/setup-page';
import { SignInScreen } from './account/signin-page';
import { databaseNameFor, openDatabase, startSync, type AllotDatabase, type SyncHandle, type SyncStatus } from './db';
import { forgetMe, lastMe, rememberMe } from './pwa/offline-me';
import { makeSession, SessionProvider, type Session } from './session';
import { Layout } from './shell/layout';
import { errorWords } from './ui/error-words';

type Boot = { kind: 'signed-in'; me: Me } | { kind: 'setup' } | { kind: 'signed-out' } | { kind: 'error'; message: string };

async function boot(): Promise<Boot> {
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

async function openSession(me: Me): Promise<Session> {
  const db: AllotDatabase = await openDatabase({ name: databaseNameFor(me.account.id) });
  const sync: SyncHandle = startSync(db, { baseUrl: '' });
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

export function SignedIn(props: { children?: JSX.Element }) {
  const location = useLocation();
  const [state] = createResource(boot);
  const [session] = createResource(
    () => {
      const s = state();
      return s?.kind === 'signed-in' ? s.me : undefined;
    },
    openSession,
  );
  onCleanup(() => void session()?.sync?.stop());
  return (
    <Switch fallback={<div class="boot" role="status">Loading Allot…</div>}>
      <Match when={state.error || session.error}>
        <div class="public-page">
          <div class="public-card" role="alert">
            <h1>Allot could not start</h1>
            <p>{String((state.error ?? session.error)?.message ?? 'Unknown error')}</p>
            <button type="button" class="button" onClick={() => globalThis.location.reload()}>
              Reload
            </button>
          </div>
        </div>
      </Match>
      <Match when={state()?.kind === 'setup'}>
        <SetupPage />
      </Match>
      <Match when={state()?.kind === 'signed-out'}>
        <SignInScreen returnTo={location.pathname + location.search} />
      </Match>
      <Match when={state()?.kind === 'error' && state()}>
        {(s) => (
          <div class="public-page">
            <div class="public-card" role="alert">
              <h1>Allot could not start</h1>
              <p>{(s() as { message: string }).message}</p>
              <button type="button" class="button" onClick={() => globalThis.location.reload()}>
                Reload
              </button>
            </div>
          </div>
        )}
      </Match>
      <Match when={session()}>
        {(s) => (
          <SessionProvider value={s()}>
            <Layout>
              <Show when={props.children}>{props.children}</Show>
            </Layout>
          </SessionProvider>
        )}
      </Match>
    </Switch>
  );
}
