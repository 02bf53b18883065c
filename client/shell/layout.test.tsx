// @vitest-environment jsdom
import { Route } from '@solidjs/router';
import { cleanup, fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api';
import type { AllotDatabase, SyncStatus } from '../db';
import { addNotice } from '../db/notices';
import { initialStatus } from '../db/status';
import { adminMember, memoryDb, meAs, ORG_ID, renderScreen, stored } from '../test-utils';
import { Layout } from './layout';

let db: AllotDatabase;
beforeEach(async () => {
  db = await memoryDb();
});
afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  await db.close();
});

const page = () => (
  <Layout>
    <p>Screen</p>
  </Layout>
);

describe('the shell', () => {
  it('makes the screen inside it once (a second, unseen copy would run every live query of the screen again)', async () => {
    let made = 0;
    const Counted = () => {
      made += 1;
      return <p>Screen</p>;
    };
    renderScreen({ db, path: '/', routes: () => <Route path="/" component={() => <Layout><Counted /></Layout>} /> });
    await screen.findByText('Screen');
    expect(made).toBe(1);
    expect(screen.getAllByText('Screen')).toHaveLength(1);
  });

  it('shows the organization, the sections the person may see, and the sync status', async () => {
    const [status, setStatus] = createSignal<SyncStatus>({
      ...initialStatus(12),
      online: false,
      replicating: true,
      pending: 3,
      lastSyncedAt: new Date().toISOString(),
      progress: { collectionsDone: 6, collectionsTotal: 12, docsReceived: 420 },
    });
    renderScreen({ db, path: '/', routes: () => <Route path="/" component={page} />, session: { status } });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByText('Acme Corp').length).toBeGreaterThan(0);
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual([
      'Overview',
      'Contacts',
      'Teams',
      'Licenses',
      'Orders',
      'Invoices & quotes',
      'Notifications',
      'Members',
      'Audit log',
      'My licenses',
    ]);
    const bar = screen.getByRole('status', { name: 'Sync status' });
    expect(bar.textContent).toContain('Offline');
    expect(bar.textContent).toContain('3 changes waiting to sync');
    expect(bar.textContent).toMatch(/Last synced/);
    // Offline nothing loads, so no progress bar (the app runs on what the device holds).
    expect(screen.queryByRole('progressbar')).toBeNull();

    setStatus({ ...status(), online: true });
    const progress = await screen.findByRole('progressbar', { name: /Loading your organization’s data/ });
    expect(progress.getAttribute('value')).toBe('50');

    setStatus({ ...status(), online: true, pending: 0, initialSyncDone: true });
    await waitFor(() => expect(bar.textContent).toContain('Online'));
    expect(bar.textContent).toContain('No changes waiting');
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('closes the phone menu with Escape or a tap beside it, and gives the focus back to its button', async () => {
    renderScreen({ db, path: '/', routes: () => <Route path="/" component={page} /> });
    const button = await screen.findByRole('button', { name: 'Menu' });
    const app = () => document.querySelector('.app')!;
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(app().classList.contains('menu-open')).toBe(true);
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(button);
    fireEvent.click(button);
    fireEvent.click(document.querySelector('.menu-backdrop')!);
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(document.querySelector('.menu-backdrop')).toBeNull();
  });

  it('shows a primary billing contact only their sections', async () => {
    const me = meAs(null, { roles: ['primaryBilling'] });
    renderScreen({ db, me, path: '/', routes: () => <Route path="/" component={page} /> });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual([
      'Overview',
      'Orders',
      'Invoices & quotes',
      'My licenses',
    ]);
  });

  it('shows an invitee only My licenses', async () => {
    const me = meAs(null);
    renderScreen({ db, me, path: '/', routes: () => <Route path="/" component={page} /> });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual(['My licenses']);
  });

  it('lists the notices — which document, which fields, your value, the reason — and dismisses them', async () => {
    await db.members.insert(adminMember());
    await db.contacts.insert({
      id: 'c1',
      orgId: ORG_ID,
      name: 'Grace Hopper',
      email: 'grace@acme.test',
      roles: ['primaryTechnical'],
      orderIds: [],
      disabled: false,
      source: 'manual',
      ...stored,
    });
    await addNotice(db.notices, {
      collection: 'contacts',
      docId: 'c1',
      fields: ['roles'],
      yourValues: { roles: ['primaryBilling'] },
      serverValues: { roles: ['primaryTechnical'] },
      reason: 'conflict',
      message: 'Someone else changed the same fields at the same time; their values were kept.',
      againstSeq: 4,
    });
    await addNotice(db.notices, {
      collection: 'members',
      docId: 'member-ada',
      fields: ['isOrgAdmin'],
      yourValues: { isOrgAdmin: false },
      serverValues: { isOrgAdmin: true },
      reason: 'last-org-admin',
      message: 'An organization keeps at least one admin.',
      againstSeq: 5,
    });
    renderScreen({ db, path: '/', routes: () => <Route path="/" component={page} /> });
    const panel = await screen.findByRole('region', { name: '2 changes did not go through' });
    const contact = await within(panel).findByRole('table', { name: 'Values that did not win for Contact “Grace Hopper”' });
    // Fields in words, as labels read ("Roles", not `roles`).
    const row = within(contact).getByRole('rowheader', { name: 'Roles' }).closest('tr')!;
    expect([...row.children].map((c) => c.textContent)).toEqual(['Roles', 'Primary billing', 'Primary technical']);
    expect(panel.textContent).toContain('Someone else changed the same fields');
    expect(panel.textContent).toContain('The organization needs at least one organization admin.');
    await within(panel).findByText('Member “Ada Admin”');

    // A clash offers what can be done: keep mine (written again, syncs as an edit) or keep theirs.
    within(panel).getByRole('button', { name: 'Keep theirs for Contact “Grace Hopper”' });
    // A refusal can only be dismissed: the same value would be refused again.
    expect(within(panel).queryByRole('button', { name: 'Keep my values for Member “Ada Admin”' })).toBeNull();
    within(panel).getByRole('button', { name: 'Dismiss notice about Member “Ada Admin”' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Keep my values for Contact “Grace Hopper”' }));
    await screen.findByRole('region', { name: '1 change did not go through' });
    expect((await db.notices.find().exec()).filter((n) => n.dismissed).map((n) => n.docId)).toEqual(['c1']);
    expect((await db.contacts.findOne('c1').exec())!.roles).toEqual(['primaryBilling']);

    // The list folds to its heading (on a phone it starts folded) and opens again.
    fireEvent.click(screen.getByRole('button', { name: 'Hide notices' }));
    expect(screen.getByRole('button', { name: 'Show notices' }).getAttribute('aria-expanded')).toBe('false');
    expect(document.getElementById('notices-list')!.hidden).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Show notices' }));
    expect(document.getElementById('notices-list')!.hidden).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Dismiss all notices' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: /did not go through/ })).toBeNull());
  });
});

describe('The account’s name (issue 16 §11)', () => {
  it('asks a nameless account once, and lets anyone edit their name later from the menu', async () => {
    const me = meAs(adminMember());
    me.account = { ...me.account, name: '' };
    const save = vi.spyOn(api, 'setMyName').mockImplementation(async (name) => ({ ok: true, value: { account: { ...me.account, name }, organizations: [me.org] } }));
    renderScreen({ db, me, path: '/', routes: () => <Route path="/" component={page} /> });
    const prompt = await screen.findByRole('region', { name: 'What should we call you?' });
    fireEvent.input(within(prompt).getByLabelText('Your name'), { target: { value: 'Ada Lovelace' } });
    fireEvent.click(within(prompt).getByRole('button', { name: 'Save my name' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'What should we call you?' })).toBeNull());
    expect(screen.getByText('Ada Lovelace', { selector: '.who-name' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Edit your name' }));
    const dialog = await screen.findByRole('dialog', { name: 'Your name' });
    expect((within(dialog).getByLabelText('Your name') as HTMLInputElement).value).toBe('Ada Lovelace');
    fireEvent.input(within(dialog).getByLabelText('Your name'), { target: { value: 'Ada King' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByText('Ada King', { selector: '.who-name' })).toBeTruthy();
    expect(save).toHaveBeenLastCalledWith('Ada King');
  });
});
