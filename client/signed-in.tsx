/**
 * Everything behind sign-in: asks the server who this is, follows their account (/api/me and
 * their licenses, live) and hands it to the shell and the screens; an organization's screens
 * open its own database inside (shell/org-scope.tsx). Without a session it shows first-run
 * setup or sign-in instead.
 */
import { useLocation } from '@solidjs/router';
import { createMemo, createResource, Match, onCleanup, Switch, type JSX } from 'solid-js';
import { SetupPage } from './account/setup-page';
import { SignInScreen } from './account/signin-page';
import { AccountProvider } from './session';
import { Layout } from './shell/layout';
import { boot, openAccount } from './shell/account-data';

function Failure(props: { message: string }) {
  return (
    <div class="public-page">
      <div class="public-card" role="alert">
        <h1>Allot could not start</h1>
        <p>{props.message}</p>
        <button type="button" class="button" onClick={() => globalThis.location.reload()}>
          Reload
        </button>
      </div>
    </div>
  );
}

export function SignedIn(props: { children?: JSX.Element }) {
  const location = useLocation();
  const [state] = createResource(boot);
  const account = createMemo(() => {
    const s = state();
    if (s?.kind !== 'signed-in') return undefined;
    const a = openAccount(s.me);
    onCleanup(() => void a.stop());
    return a;
  });
  return (
    <Switch fallback={<div class="boot" role="status">Loading Allot…</div>}>
      <Match when={state.error}>
        <Failure message={String(state.error?.message ?? 'Unknown error')} />
      </Match>
      <Match when={state()?.kind === 'setup'}>
        <SetupPage />
      </Match>
      <Match when={state()?.kind === 'signed-out'}>
        <SignInScreen returnTo={location.pathname + location.search} />
      </Match>
      <Match when={state()?.kind === 'error' && state()}>{(s) => <Failure message={(s() as { message: string }).message} />}</Match>
      <Match when={account()} keyed>
        {(a) => (
          <AccountProvider value={a}>
            <Layout>
              {props.children}
            </Layout>
          </AccountProvider>
        )}
      </Match>
    </Switch>
  );
}
