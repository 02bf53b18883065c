// @vitest-environment jsdom
import { Route } from '@solidjs/router';
import { cleanup, fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MyOrganization } from '../api';
import type { AllotDatabase } from '../db';
import { accountAround, adminMember, memoryDb, meAs, renderScreen } from '../test-utils';
import { Layout } from './layout';

let db: AllotDatabase;
beforeEach(async () => {
  db = await memoryDb();
});
afterEach(async () => {
  cleanup();
  await db.close();
});

const page = () => (
  <Layout>
    <p>Screen</p>
  </Layout>
);

const me = meAs(adminMember());
/** A second organization where the same person is a team admin and the primary billing contact. */
const globex: MyOrganization = {
  id: 'org-globex',
  name: 'Globex',
  isOrgAdmin: false,
  adminOfTeamIds: ['team-g'],
  roles: ['primaryBilling'],
  holdsLicense: true,
  memberId: 'member-globex',
  orderIds: [],
};
/** A third where they only hold a license. */
const initech: MyOrganization = { ...globex, id: 'org-initech', name: 'Initech', adminOfTeamIds: [], roles: [], memberId: null };

function show(path: string) {
  const organizations = [me.org, globex, initech];
  const r = renderScreen({
    db,
    me,
    path,
    routes: () => <Route path="*" component={page} />,
    account: { me: () => ({ account: me.account, organizations }) },
  });
  return r;
}

const trigger = () => screen.getByRole('button', { name: /Switch organization/ });

async function openWithKeyboard() {
  const t = trigger();
  t.focus();
  fireEvent.keyDown(t, { key: 'Enter' });
  return screen.findByRole('menu');
}

describe('the organization switcher', () => {
  it('names the organization open now, and opens from the keyboard listing every organization with the person’s roles there', async () => {
    show('/teams');
    expect(trigger().textContent).toContain('Acme Corp');
    expect(trigger().textContent).toContain('Switch organization');
    expect(trigger().getAttribute('aria-haspopup')).toBe('true');
    const menu = await openWithKeyboard();
    expect(trigger().getAttribute('aria-expanded')).toBe('true');
    const items = within(menu).getAllByRole('menuitemradio');
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringContaining('Acme Corp'),
      expect.stringContaining('Globex'),
      expect.stringContaining('Initech'),
    ]);
    expect(items[0].textContent).toContain('Organization admin');
    expect(items[1].textContent).toContain('Team admin, Primary billing, License holder');
    expect(items[2].textContent).toContain('License holder');
    expect(items.map((i) => i.getAttribute('aria-checked'))).toEqual(['true', 'false', 'false']);
    // Each item is described by its roles (assistive technology reads them with the name).
    const described = items[1].getAttribute('aria-describedby');
    expect(described && document.getElementById(described.split(' ')[0])?.textContent).toBe('Team admin, Primary billing, License holder');
  });

  it('switches with the keyboard to the same section in the other organization, when the person sees it there', async () => {
    const { history } = show('/teams');
    const menu = await openWithKeyboard();
    const globexItem = within(menu).getByRole('menuitemradio', { name: /Globex/ });
    globexItem.focus();
    fireEvent.keyDown(globexItem, { key: 'Enter' });
    fireEvent.keyUp(globexItem, { key: 'Enter' });
    await waitFor(() => expect(history.get()).toBe('/o/org-globex/teams'));
    await waitFor(() => expect(screen.queryByRole('menu')).toBeNull());
  });

  it('opens the other organization’s home when the section is not one of theirs there', async () => {
    const { history } = show('/contacts');
    const menu = await openWithKeyboard();
    // A pointer (mouse or touch) selects on release.
    fireEvent.pointerUp(within(menu).getByRole('menuitemradio', { name: /Globex/ }), { button: 0, pointerType: 'mouse' });
    await waitFor(() => expect(history.get()).toBe('/o/org-globex/'));
  });

  it('from a page of one document (an invitation), opens the list it belongs to (Teams): ids differ between organizations', async () => {
    const { history } = show('/invitations/inv-1');
    const menu = await openWithKeyboard();
    fireEvent.pointerUp(within(menu).getByRole('menuitemradio', { name: /Globex/ }), { button: 0, pointerType: 'mouse' });
    await waitFor(() => expect(history.get()).toBe('/o/org-globex/teams'));
  });

  it('keeps its open menu and the focused item while /api/me arrives again unchanged (a live update)', async () => {
    const fresh = () => ({ account: { ...me.account }, organizations: [{ ...me.org }, { ...globex }, { ...initech }] });
    const [current, setCurrent] = createSignal(fresh());
    const { history } = renderScreen({ db, me, path: '/teams', routes: () => <Route path="*" component={page} />, account: { me: current } });
    const menu = await openWithKeyboard();
    const globexItem = within(menu).getByRole('menuitemradio', { name: /Globex/ });
    globexItem.focus();
    setCurrent(fresh());
    expect(screen.getByRole('menu')).toBe(menu);
    expect(within(menu).getByRole('menuitemradio', { name: /Globex/ })).toBe(globexItem);
    expect(document.activeElement).toBe(globexItem);
    fireEvent.keyDown(globexItem, { key: 'Enter' });
    fireEvent.keyUp(globexItem, { key: 'Enter' });
    await waitFor(() => expect(history.get()).toBe('/o/org-globex/teams'));
  });

  it('closes on Escape and gives focus back to its button', async () => {
    show('/teams');
    const menu = await openWithKeyboard();
    fireEvent.keyDown(menu, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('menu')).toBeNull());
    expect(document.activeElement).toBe(trigger());
  });

  it('shows the menu of the organization open now, and on My licenses that of the last one used', async () => {
    const { history } = renderScreen({
      db,
      me,
      outsideOrg: true,
      path: '/my-licenses',
      routes: () => <Route path="*" component={page} />,
      account: { ...accountAround(undefined, me, { organizations: [me.org, globex], currentOrgId: 'org-globex' }) },
    });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByRole('link').map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Overview', '/o/org-globex/'],
      ['Teams', '/o/org-globex/teams'],
      ['Licenses', '/o/org-globex/licenses'],
      ['Orders', '/o/org-globex/orders'],
      ['Invoices & quotes', '/o/org-globex/invoices'],
      ['My licenses', '/my-licenses'],
    ]);
    expect(trigger().textContent).toContain('Globex');
    expect(history.get()).toBe('/my-licenses');
  });

  it('says so when the person is part of no organization (a pure invitee)', async () => {
    renderScreen({
      db,
      me,
      outsideOrg: true,
      path: '/my-licenses',
      routes: () => <Route path="*" component={page} />,
      account: { ...accountAround(undefined, me, { organizations: [], currentOrgId: null }) },
    });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual(['My licenses']);
    expect(trigger().textContent).toContain('No organization');
    const menu = await openWithKeyboard();
    expect(menu.textContent).toContain('You are not part of any organization yet.');
  });
});
