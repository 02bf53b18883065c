import { A, useLocation, useNavigate } from '@solidjs/router';
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show, type JSX } from 'solid-js';
import { orgPath, parseOrgPath } from '../../shared/links';
import { accessOf, roleWords, type Section } from '../access';
import { useAccount, useSession } from '../session';
import { NoticesPanel } from './notices';
import { OrgSwitcher, type SwitcherOrg } from './org-switcher';
import { SyncStatusBar } from './sync-status';
import { NameForm, NamePrompt } from '../account/name-form';
import { Modal } from '../ui/modal';
import { keepUnchanged } from '../ui/keep-unchanged';

/** The sections of an organization and their paths inside it; "My licenses" is the account's, across organizations. */
const NAV: { section: Section; path: string; label: string }[] = [
  { section: 'overview', path: '/', label: 'Overview' },
  { section: 'contacts', path: '/contacts', label: 'Contacts' },
  { section: 'teams', path: '/teams', label: 'Teams' },
  { section: 'licenses', path: '/licenses', label: 'Licenses' },
  { section: 'orders', path: '/orders', label: 'Orders' },
  { section: 'billing', path: '/invoices', label: 'Invoices & quotes' },
  { section: 'notifications', path: '/notifications', label: 'Notifications' },
  { section: 'members', path: '/members', label: 'Members' },
  { section: 'audit', path: '/audit', label: 'Audit log' },
];

/** The section a path inside an organization belongs to (an invitation's page is part of Teams). */
const SECTION_OF_SEGMENT: Record<string, Section> = {
  contacts: 'contacts',
  teams: 'teams',
  invitations: 'teams',
  licenses: 'licenses',
  orders: 'orders',
  invoices: 'billing',
  notifications: 'notifications',
  members: 'members',
  audit: 'audit',
};

/**
 * The signed-in frame: the organization switcher over the left menu of the organization open
 * now (or the last one used, on My licenses), sync status and notices of that organization.
 */
export function Layout(props: { children?: JSX.Element }) {
  const account = useAccount();
  const [editingName, setEditingName] = createSignal(false);
  const location = useLocation();
  const navigate = useNavigate();
  const [menuOpen, setMenuOpen] = createSignal(false);
  // A new page closes the menu (on a phone it covers the page).
  createEffect(on(() => location.pathname, () => setMenuOpen(false)));
  let menuButton: HTMLButtonElement | undefined;
  // On a phone the open menu covers the page and its own button: Escape, or a tap beside it, closes it.
  const closeMenu = () => {
    setMenuOpen(false);
    menuButton?.focus();
  };
  createEffect(() => {
    if (!menuOpen()) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeMenu();
    };
    document.addEventListener('keydown', onKey);
    onCleanup(() => document.removeEventListener('keydown', onKey));
  });
  const accountId = () => account.me().account.id;
  const org = () => account.me().organizations.find((o) => o.id === account.currentOrgId());
  const session = () => {
    const s = account.current();
    return s && s.org.id === org()?.id ? s : undefined;
  };
  const items = () => {
    const o = org();
    if (!o) return [];
    const access = accessOf(accountId(), o);
    return NAV.filter((n) => access.sees(n.section)).map((n) => ({ ...n, href: orgPath(o.id, n.path) }));
  };
  // An entry /api/me brings again unchanged (the live stream sends the whole answer) stays the same object: an open menu keeps its items and focus.
  const switcherOrgs = createMemo<SwitcherOrg[]>(
    (before) =>
      keepUnchanged(
        before,
        account.me().organizations.map((o) => ({ org: o, roles: roleWords(accountId(), o) })),
        (s) => s.org.id,
      ),
    [],
  );
  const orgName = () => org()?.name ?? 'Allot';

  /** The same section (its list: ids differ between organizations) in the other organization when the person sees it there, else its home. */
  const switchTo = (orgId: string) => {
    const target = account.me().organizations.find((o) => o.id === orgId);
    if (!target) return;
    const inside = parseOrgPath(location.pathname);
    const segment = inside?.path.split('/')[1] ?? '';
    const section = SECTION_OF_SEGMENT[segment];
    const list = NAV.find((n) => n.section === section);
    const path = list && accessOf(accountId(), target).sees(list.section) ? list.path : '/';
    navigate(orgPath(orgId, path));
  };

  return (
    <div class="app" classList={{ 'menu-open': menuOpen() }}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <button
          type="button"
          ref={menuButton}
          class="icon-button menu-toggle"
          aria-expanded={menuOpen()}
          aria-controls="side-menu"
          aria-label="Menu"
          onClick={() => setMenuOpen(!menuOpen())}
        >
          <span aria-hidden="true">☰</span>
        </button>
        <span class="topbar-org">{orgName()}</span>
        <SyncStatusBar
          status={session()?.status()}
          onSyncNow={session()?.sync ? () => session()!.sync!.resync() : undefined}
          networkOnly={!account.currentOrgId()}
        />
      </header>
      <Show when={menuOpen()}>
        <div class="menu-backdrop" aria-hidden="true" onClick={closeMenu} />
      </Show>
      <nav id="side-menu" class="sidebar" aria-label="Main">
        <div class="brand">
          <OrgSwitcher orgs={switcherOrgs()} currentId={org()?.id ?? null} onSwitch={switchTo} />
        </div>
        <ul class="nav-list">
          <For each={items()}>
            {(n) => (
              <li>
                <A href={n.href} end={n.path === '/'} class="nav-link" activeClass="nav-active">
                  {n.label}
                </A>
              </li>
            )}
          </For>
          <li>
            <A href="/my-licenses" class="nav-link" activeClass="nav-active">
              My licenses
            </A>
          </li>
        </ul>
        <div class="sidebar-foot">
          <div class="who">
            <div class="who-name">{account.me().account.name || account.me().account.email}</div>
            {/* Without a name the line above is the address already. */}
            <Show when={account.me().account.name}>
              <div class="who-email">{account.me().account.email}</div>
            </Show>
          </div>
          <button type="button" class="button button-small button-ghost" onClick={() => setEditingName(true)}>
            Edit your name
          </button>
          <button type="button" class="button button-small button-ghost" onClick={() => account.signOut()}>
            Sign out
          </button>
        </div>
      </nav>
      <main id="main" class="main" tabindex="-1">
        <Show when={!account.me().account.name}>
          <NamePrompt onSaved={(me) => account.renamed(me)} />
        </Show>
        <Show when={session()} keyed>
          {(s) => <NoticesPanel db={s.db} />}
        </Show>
        <Modal open={editingName()} onOpenChange={setEditingName} title="Your name">
          <NameForm
            initial={account.me().account.name}
            onSaved={(me) => {
              account.renamed(me);
              setEditingName(false);
            }}
            onCancel={() => setEditingName(false)}
          />
        </Modal>
        {props.children}
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
