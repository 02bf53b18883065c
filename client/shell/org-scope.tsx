/**
 * The organization a `/o/:orgId/…` URL names (DESIGN §5): opens its local database and sync
 * (closing the organization open before) and gives its screens the session. An organization
 * the person has no reach in reads exactly like one that does not exist.
 */
import { A, Navigate, useLocation, useParams } from '@solidjs/router';
import { createEffect, Match, Show, Switch, type JSX } from 'solid-js';
import { orgPath } from '../../shared/links';
import { SessionProvider, useAccount, useSession } from '../session';
import { errorWords } from '../ui/error-words';
import { homeOrgId } from './account-data';

export function OrgScope(props: { children?: JSX.Element }) {
  const params = useParams<{ orgId: string }>();
  const account = useAccount();
  const entry = () => account.me().organizations.find((o) => o.id === params.orgId);
  createEffect(() => {
    if (entry()) account.enterOrg(params.orgId);
  });
  const session = () => {
    const s = account.current();
    return s && s.org.id === params.orgId ? s : undefined;
  };
  return (
    <Switch
      fallback={
        <div class="boot" role="status">
          {/* One block, so the boot screen's grid centres both lines together. */}
          <div class="boot-lines">
            Opening {entry()?.name ?? 'the organization'}…
            <Show when={account.upgrading() !== null}>
              <p>Updating this device’s copy after an update of Allot: {account.upgrading()}% done. This happens once.</p>
            </Show>
          </div>
        </div>
      }
    >
      <Match when={!entry()}>
        <div class="empty-state">
          <h1>Organization not found</h1>
          <p>{errorWords('organization-not-found')}</p>
          <A class="button" href="/my-licenses">
            Go to My licenses
          </A>
        </div>
      </Match>
      <Match when={account.orgError()}>
        {(message) => (
          <div class="empty-state" role="alert">
            <h1>This organization could not be opened</h1>
            <p>{message()}</p>
            <button type="button" class="button" onClick={() => location.reload()}>
              Reload
            </button>
          </div>
        )}
      </Match>
      <Match when={session()} keyed>
        {(s) => <SessionProvider value={s}>{props.children}</SessionProvider>}
      </Match>
    </Switch>
  );
}

/** `/`: the last used organization, else the first; My licenses when the person works in none. */
export function Home() {
  const account = useAccount();
  const to = () => {
    const id = homeOrgId(account.me());
    return id ? orgPath(id, '/') : '/my-licenses';
  };
  return <Navigate href={to()} />;
}

/** An organization's home: its Overview for those who may see it, My licenses for everyone else. */
export function OrgHome(props: { overview: () => JSX.Element }) {
  const { access } = useSession();
  return (
    <Show when={access.sees('overview')} fallback={<Navigate href="/my-licenses" />}>
      {props.overview()}
    </Show>
  );
}

/** An address from before URLs named the organization (`/licenses`, an old email's link): the same page in the current one. */
export function IntoCurrentOrg() {
  const account = useAccount();
  const location = useLocation();
  const to = () => {
    const id = account.currentOrgId();
    return id ? orgPath(id, location.pathname) + location.search + location.hash : '/my-licenses';
  };
  return <Navigate href={to()} />;
}
