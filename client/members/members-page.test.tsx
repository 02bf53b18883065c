// @vitest-environment jsdom
import { Route } from '@solidjs/router';
import { cleanup, fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { email } from '../../shared/schemas/common';
import type { AllotDatabase } from '../db';
import { errorWords } from '../ui/error-words';
import { adminMember, fx, meAs, memoryDb, ORG_ID, renderScreen } from '../test-utils';
import { MembersPage } from './members-page';

let db: AllotDatabase;
beforeEach(async () => {
  db = await memoryDb();
  await db.members.bulkInsert([
    adminMember(),
    adminMember({ id: 'member-bob', accountId: 'acct-bob', email: 'bob@acme.test', name: 'Bob Builder', isOrgAdmin: false }),
  ]);
  await db.teams.bulkInsert([fx.team('team-a', 'Platform'), fx.team('team-b', 'Data')]);
});
afterEach(async () => {
  cleanup();
  await db.close();
});

describe('Members', () => {
  it('makes a member org admin and team admin, and never unchecks the last org admin', async () => {
    renderScreen({ db, path: '/members', routes: () => <Route path="/members" component={MembersPage} /> });
    const ada = (await screen.findByLabelText('Organization admin: Ada Admin')) as HTMLInputElement;
    expect(ada.checked).toBe(true);
    expect(ada.disabled).toBe(true);

    fireEvent.click(screen.getByLabelText('Organization admin: Bob Builder'));
    await waitFor(async () => expect((await db.members.findOne('member-bob').exec())!.isOrgAdmin).toBe(true));
    await waitFor(() => expect((screen.getByLabelText('Organization admin: Ada Admin') as HTMLInputElement).disabled).toBe(false));

    fireEvent.click(screen.getByRole('button', { name: 'Change teams administered by Bob Builder' }));
    const dialog = await screen.findByRole('dialog', { name: 'Teams administered by Bob Builder' });
    fireEvent.click(await within(dialog).findByLabelText('Data'));
    await waitFor(async () => expect((await db.members.findOne('member-bob').exec())!.adminOfTeamIds).toEqual(['team-b']));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    const row = (await screen.findByText('bob@acme.test')).closest('[role="row"]')!;
    await waitFor(() => expect(row.textContent).toContain('Data'));
  });

  it('adds a member by email, pending until synced, and refuses an email that is already a member', async () => {
    renderScreen({ db, path: '/members', routes: () => <Route path="/members" component={MembersPage} /> });
    fireEvent.click(await screen.findByRole('button', { name: 'Add member' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add member' });
    fireEvent.input(within(dialog).getByLabelText('Name'), { target: { value: '  Carol Coder ' } });
    fireEvent.input(within(dialog).getByLabelText('Email'), { target: { value: ' Carol@ACME.test ' } });
    fireEvent.click(within(dialog).getByLabelText('Org admin'));
    const teamAdminOf = within(within(dialog).getByRole('group', { name: 'Team admin of' }));
    fireEvent.click(await teamAdminOf.findByLabelText('Data'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add member' }));

    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add member' })).toBeNull());
    const carol = (await db.members.find({ selector: { email: 'carol@acme.test' } }).exec()).map((d) => d.toJSON());
    expect(carol).toHaveLength(1);
    expect(carol[0]).toMatchObject({
      orgId: ORG_ID,
      accountId: '',
      email: 'carol@acme.test',
      name: 'Carol Coder',
      isOrgAdmin: true,
      adminOfTeamIds: ['team-b'],
      disabled: false,
      seq: 0,
      updatedAt: '',
    });
    expect(carol[0].id).toMatch(/^[0-9a-f-]{36}$/);
    const row = (await screen.findByText('carol@acme.test')).closest('[role="row"]')!;
    await waitFor(() => expect(row.textContent).toContain('Pending sync'));
    expect(row.textContent).toContain('Data');

    // Bob is already a member: whatever the case, the dialog says so and nothing is stored.
    fireEvent.click(screen.getByRole('button', { name: 'Add member' }));
    const again = await screen.findByRole('dialog', { name: 'Add member' });
    fireEvent.input(within(again).getByLabelText('Name'), { target: { value: 'Bob Again' } });
    fireEvent.input(within(again).getByLabelText('Email'), { target: { value: 'BOB@acme.test' } });
    fireEvent.click(within(again).getByRole('button', { name: 'Add member' }));
    expect((await within(again).findByRole('alert')).textContent).toBe(errorWords('member-exists'));
    expect(await db.members.count().exec()).toBe(3);
  });

  it('refuses an address the server would refuse, by the same shared rule', async () => {
    expect(v.safeParse(email, 'carol@acme_test.com').success).toBe(false);
    renderScreen({ db, path: '/members', routes: () => <Route path="/members" component={MembersPage} /> });
    fireEvent.click(await screen.findByRole('button', { name: 'Add member' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add member' });
    fireEvent.input(within(dialog).getByLabelText('Email'), { target: { value: 'carol@acme_test.com' } });
    // Submitted as a browser whose own check of type="email" let it pass.
    fireEvent.submit(within(dialog).getByRole('button', { name: 'Add member' }).closest('form')!);
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Enter a valid email address.');
    expect(await db.members.count().exec()).toBe(2);
  });

  it('shows Add member to org admins only', async () => {
    renderScreen({
      db,
      path: '/members',
      me: meAs(adminMember({ isOrgAdmin: false, adminOfTeamIds: ['team-a'] })),
      routes: () => <Route path="/members" component={MembersPage} />,
    });
    await screen.findByLabelText('Organization admin: Bob Builder');
    expect(screen.queryByRole('button', { name: 'Add member' })).toBeNull();
  });
});
