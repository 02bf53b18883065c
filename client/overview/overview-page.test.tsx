// @vitest-environment jsdom
import { Route } from '@solidjs/router';
import { cleanup, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AllotDatabase } from '../db';
import { adminMember, fx, holder, ME_MEMBER, meAs, memoryDb, ORG_ID, renderScreen, stored, inOrg } from '../test-utils';
import { OverviewPage } from './overview-page';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const invitation = (id: string, name: string, expiresAt: string | undefined, over: Record<string, unknown> = {}) => ({
  id,
  orgId: ORG_ID,
  teamId: 'team-a',
  productId: 'product-ij',
  name,
  token: `tok_${id.replace(/[^A-Za-z0-9]/g, '')}abcdefghijklmnopqrstuv`,
  allowedDomains: [],
  createdByMemberId: ME_MEMBER,
  ...(expiresAt ? { expiresAt } : {}),
  ...stored,
  ...over,
});

let db: AllotDatabase;
beforeEach(async () => {
  db = await memoryDb();
  await db.members.insert(adminMember());
  await db.products.bulkInsert([fx.product('product-ij', 'IntelliJ IDEA Ultimate'), fx.product('product-py', 'PyCharm Professional')]);
  await db.teams.bulkInsert([fx.team('team-a', 'Platform')]);
  await db.licenses.bulkInsert([
    fx.license('l1', holder('acct-x', 'Xena')),
    fx.license('l2', holder('acct-y', 'Yuri')),
    fx.license('l3'),
    fx.license('l4', { productId: 'product-py' }),
    fx.license('l5', { productId: 'product-py', ...holder('acct-z', 'Zoe') }),
    fx.license('l6', { productId: 'product-py' }),
    fx.license('l7', { productId: 'product-py' }),
  ]);
  await db.invitations.bulkInsert([
    invitation('inv-soon', 'Spring cohort', inDays(5)),
    invitation('inv-later', 'Autumn cohort', inDays(20)),
    invitation('inv-never', 'Open door', undefined),
    invitation('inv-past', 'Last year', inDays(-2)),
    invitation('inv-off', 'Switched off', inDays(3), { disabledAt: '2025-01-02T00:00:00.000Z' }),
  ]);
});
afterEach(async () => {
  cleanup();
  await db.close();
});

const show = () => renderScreen({ db, path: '/', routes: () => <Route path="/" component={OverviewPage} /> });

describe('Overview', () => {
  it('lists an invitation expiring within two weeks under "Invitations expiring soon", and not one expiring later', async () => {
    show();
    const soon = await screen.findByRole('region', { name: 'Invitations expiring soon' });
    const link = await within(soon).findByRole('link', { name: 'Spring cohort' });
    expect(link.getAttribute('href')).toBe(inOrg('/invitations/inv-soon'));
    expect(link.closest('li')!.textContent).toMatch(/Platform · expires /);
    expect(within(soon).getAllByRole('link').map((a) => a.textContent)).toEqual(['Spring cohort']);
    expect(within(soon).queryByText('Autumn cohort')).toBeNull();
    expect(screen.getByText('invitations expiring soon').previousElementSibling?.textContent).toBe('1');
  });

  it('says so when no invitation expires in the next two weeks', async () => {
    await db.invitations.findOne('inv-soon').exec().then((d) => d!.remove());
    show();
    const soon = await screen.findByRole('region', { name: 'Invitations expiring soon' });
    await waitFor(() => expect(within(soon).getByText('No invitation expires in the next two weeks.')).toBeTruthy());
  });

  it('exposes used and available seats per product to assistive technology', async () => {
    show();
    const chart = await screen.findByRole('list', { name: 'Seats used and available per product' });
    await waitFor(() =>
      expect(within(chart).getAllByRole('img').map((i) => i.getAttribute('aria-label'))).toEqual([
        'IntelliJ IDEA Ultimate: 2 used, 1 available',
        'PyCharm Professional: 1 used, 3 available',
      ]),
    );
    expect(within(chart).getByRole('img', { name: 'PyCharm Professional: 1 used, 3 available' })).toBeTruthy();
    expect(screen.getByText('seats used').previousElementSibling?.textContent).toBe('3');
    expect(screen.getByText('seats available').previousElementSibling?.textContent).toBe('4');
  });

  it('leaves out what a primary billing contact may not see, instead of showing it as zero', async () => {
    renderScreen({ db, me: meAs(null, { roles: ['primaryBilling'] }), path: '/', routes: () => <Route path="/" component={OverviewPage} /> });
    await screen.findByRole('heading', { name: 'Unpaid invoices' });
    expect(screen.getByText('No invoices yet.')).toBeTruthy();
    expect(screen.queryByText('seats used')).toBeNull();
    expect(screen.queryByText('seats available')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Seats per product' })).toBeNull();
    expect(screen.queryByText('No licenses yet.')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Invitations expiring soon' })).toBeNull();
  });
});
