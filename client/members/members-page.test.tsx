// @vitest-environment jsdom
import { Route } from '@solidjs/router';
import { cleanup, fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AllotDatabase } from '../db';
import { adminMember, fx, memoryDb, renderScreen } from '../test-utils';
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
    renderScreen({ db, path: '/members', routes: <Route path="/members" component={MembersPage} /> });
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
});
