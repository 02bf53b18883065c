import { A, useLocation } from '@solidjs/router';
import { createEffect, createSignal, For, on, Show, type JSX } from 'solid-js';
import type { Section } from '../access';
import { useSession } from '../session';
import { NoticesPanel } from './notices';
import { SyncStatusBar } from './sync-status';

const NAV: { section: Section; href: string; label: string }[] = [
  { section: 'overview', href: '/', label: 'Overview' },
  { section: 'contacts', href: '/contacts', label: 'Contacts' },
  { section: 'teams', href: '/teams', label: 'Teams' },
  { section: 'licenses', href: '/licenses', label: 'Licenses' },
  { section: 'orders', href: '/orders', label: 'Orders' },
  { section: 'billing', href: '/invoices', label: 'Invoices & quotes' },
  { section: 'notifications', href: '/notifications', label: 'Notifications' },
  { section: 'members', href: '/members', label: 'Members' },
  { section: 'my-licenses', href: '/my-licenses', label: 'My licenses' },
];

/** The signed-in frame: the left menu under the organization's name, sync status, notices. */
export function Layout(props: { children?: JSX.Element }) {
  const session = useSession();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = createSignal(false);
  // A new page closes the menu (on a phone it covers the page).
  createEffect(on(() => location.pathname, () => setMenuOpen(false)));
  const items = () => NAV.filter((n) => session.access.sees(n.section));
  const orgName = () => session.me.org?.name ?? 'Allot';
  return (
    <div class="app" classList={{ 'menu-open': menuOpen() }}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <button
          type="button"
          class="icon-button menu-toggle"
          aria-expanded={menuOpen()}
          aria-controls="side-menu"
          aria-label="Menu"
          onClick={() => setMenuOpen(!menuOpen())}
        >
          <span aria-hidden="true">☰</span>
        </button>
        <span class="topbar-org">{orgName()}</span>
        <SyncStatusBar status={session.status()} onSyncNow={session.sync ? () => session.sync!.resync() : undefined} />
      </header>
      <nav id="side-menu" class="sidebar" aria-label="Main">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">
            {orgName().slice(0, 1).toUpperCase()}
          </span>
          <div>
            <div class="brand-org">{orgName()}</div>
            <div class="brand-sub">Organization</div>
          </div>
        </div>
        <ul class="nav-list">
          <For each={items()}>
            {(n) => (
              <li>
                <A href={n.href} end={n.href === '/'} class="nav-link" activeClass="nav-active">
                  {n.label}
                </A>
              </li>
            )}
          </For>
        </ul>
        <div class="sidebar-foot">
          <div class="who">
            <div class="who-name">{session.me.account.name || session.me.account.email}</div>
            <div class="who-email">{session.me.account.email}</div>
          </div>
          <button type="button" class="button button-small button-ghost" onClick={() => session.signOut()}>
            Sign out
          </button>
        </div>
      </nav>
      <main id="main" class="main" tabindex="-1">
        <NoticesPanel db={session.db} />
        <Show when={props.children}>{props.children}</Show>
      </main>
    </div>
  );
}

/** A section the person may not see: say so plainly rather than show an empty screen. */
export function Guard(props: { section: Section; children: JSX.Element }) {
  const session = useSession();
  return (
    <Show
      when={session.access.sees(props.section)}
      fallback={
        <div class="empty-state">
          <h1>Not available</h1>
          <p>Your roles in this organization do not include this section.</p>
          <A class="button" href="/my-licenses">
            Go to My licenses
          </A>
        </div>
      }
    >
      {props.children}
    </Show>
  );
}
