// @vitest-environment jsdom
import { Route } from '@solidjs/router';
import { cleanup, fireEvent, screen, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AllotDatabase } from '../db';
import { InvitationPage } from '../invitations/invitation-page';
import { adminMember, fx, holder, memoryDb, meAs, ME_MEMBER, ORG_ID, renderScreen, stored, inOrg } from '../test-utils';
import { TeamPage } from './team-page';
import { TeamsPage } from './teams-page';

let db: AllotDatabase;
beforeEach(async () => {
  db = await memoryDb();
  await db.members.insert(adminMember());
  await db.products.bulkInsert([fx.product('product-ij', 'IntelliJ IDEA Ultimate'), fx.product('product-py', 'PyCharm Professional')]);
  await db.teams.bulkInsert([fx.team('team-a', 'Platform'), fx.team('team-b', 'Data')]);
  await db.licenses.bulkInsert([
    fx.license('l1', holder('acct-x', 'Xena')),
    fx.license('l2'),
    fx.license('l3', { productId: 'product-py' }),
  ]);
});
afterEach(async () => {
  cleanup();
  await db.close();
});

const routes = () => (
  <>
    <Route path="/teams" component={TeamsPage} />
    <Route path="/teams/:teamId" component={TeamPage} />
    <Route path="/invitations/:invitationId" component={InvitationPage} />
  </>
);

describe('Teams', () => {
  it('lists teams and creates one', async () => {
    renderScreen({ db, path: '/teams', routes });
    await screen.findByRole('link', { name: 'Platform' });
    fireEvent.click(screen.getByRole('button', { name: 'Create team' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create team' });
    fireEvent.input(within(dialog).getByLabelText('Team name'), { target: { value: 'Mobile' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create team' }));
    await screen.findByRole('link', { name: 'Mobile' });
    const [team] = await db.teams.find({ selector: { name: 'Mobile' } }).exec();
    expect(team.toJSON()).toMatchObject({ orgId: ORG_ID, seq: 0, updatedAt: '' });
  });

  it('renames a team', async () => {
    renderScreen({ db, path: '/teams', routes });
    fireEvent.click(await screen.findByRole('button', { name: 'Rename Platform' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rename Platform' });
    const field = within(dialog).getByLabelText('Team name') as HTMLInputElement;
    expect(field.value).toBe('Platform');
    fireEvent.input(field, { target: { value: 'Platform Engineering' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save name' }));
    await screen.findByRole('link', { name: 'Platform Engineering' });
    expect(screen.queryByRole('link', { name: 'Platform' })).toBeNull();
    expect((await db.teams.findOne('team-a').exec())!.name).toBe('Platform Engineering');
  });

  it('creates an invitation with domains, expiry and a claim limit, then shows its page', async () => {
    const { history } = renderScreen({ db, path: '/teams/team-a?tab=invitations', routes });
    fireEvent.click(await screen.findByRole('button', { name: 'Create Invitation' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create Invitation' });
    await within(dialog).findByRole('option', { name: 'PyCharm Professional' });
    fireEvent.change(within(dialog).getByLabelText('Product'), { target: { value: 'product-ij' } });
    await within(dialog).findByText('1 seat left in this team.');
    fireEvent.input(within(dialog).getByLabelText('Name'), { target: { value: 'Backend hires' } });
    fireEvent.change(within(dialog).getByLabelText('Link lifetime'), { target: { value: '7' } });
    fireEvent.input(within(dialog).getByLabelText('Allowed email domains'), { target: { value: 'bad domain!' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('is not a domain');

    fireEvent.input(within(dialog).getByLabelText('Allowed email domains'), { target: { value: 'Acme.test, *.acme.org' } });
    fireEvent.input(within(dialog).getByLabelText('Maximum number of claims'), { target: { value: '5' } });
    const before = Date.now();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create' }));

    await screen.findByRole('heading', { name: 'Backend hires' });
    const [inv] = await db.invitations.find().exec();
    const doc = inv.toJSON();
    expect(doc).toMatchObject({
      orgId: ORG_ID,
      teamId: 'team-a',
      productId: 'product-ij',
      name: 'Backend hires',
      allowedDomains: ['acme.test', '*.acme.org'],
      maxClaims: 5,
      createdByMemberId: ME_MEMBER,
      seq: 0,
      updatedAt: '',
    });
    // The server makes the link (DESIGN §6): a new local invitation has none until it syncs.
    expect(doc.token).toBeUndefined();
    const days = (Date.parse(doc.expiresAt!) - before) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
    expect(history.get()).toBe(inOrg(`/invitations/${doc.id}`));

    expect(screen.queryByRole('textbox', { name: 'Invitation link' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Copy link' })).toBeNull();
    expect(screen.getByText(/the link appears here once this invitation reaches the server/)).toBeTruthy();
    expect(screen.getByText('Seats left').nextElementSibling!.textContent).toBe('1');
  });

  it('warns when the team has no seats of the chosen product', async () => {
    renderScreen({ db, path: '/teams/team-b?tab=invitations', routes });
    fireEvent.click(await screen.findByRole('button', { name: 'Create Invitation' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create Invitation' });
    await within(dialog).findByRole('option', { name: 'PyCharm Professional' });
    expect((await within(dialog).findByRole('alert')).textContent).toContain('This team has no seats left of this product');
  });

  it('creates an invitation that lasts until a chosen date, or never', async () => {
    renderScreen({ db, path: '/teams/team-b?tab=invitations', routes });
    fireEvent.click(await screen.findByRole('button', { name: 'Create Invitation' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create Invitation' });
    await within(dialog).findByRole('option', { name: 'IntelliJ IDEA Ultimate' });
    fireEvent.change(within(dialog).getByLabelText('Link lifetime'), { target: { value: 'date' } });
    fireEvent.input(within(dialog).getByLabelText('Active until'), { target: { value: '2999-06-30' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    await screen.findByRole('heading', { name: 'IntelliJ IDEA Ultimate invitation' });
    const [dated] = await db.invitations.find().exec();
    expect(new Date(dated.expiresAt!).getFullYear()).toBe(2999);
    expect(dated.allowedDomains).toEqual([]);
  });

  it('shows accepted invitations and disables the link', async () => {
    await db.invitations.insert({
      id: 'inv-1',
      orgId: ORG_ID,
      teamId: 'team-a',
      productId: 'product-ij',
      name: 'Spring cohort',
      token: 'tok_abcdefghijklmnopqrstuv',
      allowedDomains: [],
      createdByMemberId: ME_MEMBER,
      ...stored,
    });
    await db.acceptances.insert({
      id: 'acc-1',
      orgId: ORG_ID,
      invitationId: 'inv-1',
      teamId: 'team-a',
      productId: 'product-ij',
      licenseId: 'l1',
      account: { id: 'acct-x', email: 'xena@acme.test', name: 'Xena' },
      acceptedAt: '2025-02-01T00:00:00.000Z',
      ...stored,
    });
    renderScreen({ db, path: '/invitations/inv-1', routes });
    const accepted = await screen.findByRole('table', { name: 'Accepted invitations' });
    await within(accepted).findByText('Xena');
    expect(screen.queryByText(/the link appears here once/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Disable invitation' }));
    await screen.findByRole('button', { name: 'Enable invitation' });
    expect((await db.invitations.findOne('inv-1').exec())!.disabledAt).toBeTruthy();
    expect(screen.getByText('Disabled')).toBeTruthy();
  });

  it('says No seats left, not Active, when no license of the product is available', async () => {
    await db.invitations.bulkInsert([
      { id: 'inv-py', orgId: ORG_ID, teamId: 'team-a', productId: 'product-py', name: 'Python folks', token: 'tok_pypypypypypypypypypypy', allowedDomains: [], createdByMemberId: ME_MEMBER, ...stored },
      { id: 'inv-ij', orgId: ORG_ID, teamId: 'team-a', productId: 'product-ij', name: 'IDE folks', token: 'tok_ijijijijijijijijijijij', allowedDomains: [], createdByMemberId: ME_MEMBER, ...stored },
    ]);
    // The one PyCharm license is taken: nothing left to hand out through "Python folks".
    await (await db.licenses.findOne('l3').exec())!.incrementalPatch({ status: 'assigned', assignee: { accountId: 'acct-y', email: 'y@acme.test', name: 'Y' } });
    renderScreen({ db, path: '/teams/team-a?tab=invitations', routes });
    const list = await screen.findByRole('table', { name: 'Invitations' });
    const rowOf = async (name: string) => (await within(list).findByText(name)).closest('[role="row"]') as HTMLElement;
    expect((await rowOf('Python folks')).textContent).toContain('No seats left');
    expect((await rowOf('IDE folks')).textContent).toContain('Active');
  });

  it('hides team actions from a team admin of another team', async () => {
    const me = meAs(adminMember({ isOrgAdmin: false, adminOfTeamIds: ['team-b'] }));
    renderScreen({ db, me, path: '/teams/team-a', routes });
    await screen.findByRole('heading', { name: 'Platform' });
    expect(screen.queryByRole('button', { name: 'Create Invitation' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Revoke/ })).toBeNull();
  });
});
