/**
 * Everything behind sign-in: asks the server who this is, opens that account's local
 * database, starts sync, and hands the session to the screens. Without a session it shows
 * first-run setup or sign-in instead.
 */
import { useLocation } from '@solidjs/router';
import { createResource, Match, onCleanup, Show, Switch, type JSX } from 'solid-js';
import { SetupPage } from './account/setup-page';
import { SignInScreen } from './account/signin-page';
import { SessionProvider } from './session';
import { Layout } from './shell/layout';
import { boot, openSession } from './shell/session-data';

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
