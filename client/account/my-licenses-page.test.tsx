// @vitest-environment jsdom
import { Route } from '@solidjs/router';
import { cleanup, screen, waitFor, within } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MyLicense } from '../api';
import type { AllotDatabase } from '../db';
import { fx, holder, memoryDb, meAs, ME_ACCOUNT, renderScreen } from '../test-utils';
import { MyLicensesPage } from './my-licenses-page';

let db: AllotDatabase;
beforeEach(async () => {
  db = await memoryDb();
});
afterEach(async () => {
  cleanup();
  await db.close();
});

const held = (id: string, org: { id: string; name: string }, product: string, team: string): MyLicense => ({
  license: { ...fx.license(id, holder(ME_ACCOUNT, 'Ada')), orgId: org.id, validUntil: '2027-03-31T23:59:59.999Z' },
  organization: org,
  product: { code: product.toUpperCase().replace(/\W/g, ''), name: product },
  team: { name: team },
  machines: [],
});

const acme = { id: 'org-acme', name: 'Acme Corp' };
const globex = { id: 'org-globex', name: 'Globex' };

/** My licenses outside any organization, as a pure invitee opens it; `set` changes what the stream said last. */
function show(initial: MyLicense[] | undefined) {
  const [licenses, set] = createSignal<MyLicense[] | undefined>(initial);
  renderScreen({
    db,
    me: meAs(null),
    outsideOrg: true,
    path: '/my-licenses',
    routes: () => <Route path="/my-licenses" component={MyLicensesPage} />,
    account: { licenses, current: () => undefined, currentOrgId: () => null },
  });
  return set;
}

const cards = () => within(screen.getByRole('list', { name: 'My licenses' })).getAllByRole('listitem');
const fact = (card: HTMLElement, term: string) => within(card).getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;

describe('My licenses', () => {
  it('lists the licenses of every organization with the organization, product and team, with no organization open', async () => {
    show([held('l-2', globex, 'Profiler', 'Contractors'), held('l-1', acme, 'IDE Ultimate', 'Platform')]);
    await waitFor(() => expect(cards()).toHaveLength(2));
    const [first, second] = cards();
    expect(within(first).getByText('IDE Ultimate')).toBeTruthy();
    expect(fact(first, 'Organization')).toBe('Acme Corp');
    expect(fact(first, 'Team')).toBe('Platform');
    expect(within(second).getByText('Profiler')).toBeTruthy();
    expect(fact(second, 'Organization')).toBe('Globex');
    expect(fact(second, 'Team')).toBe('Contractors');
    expect(fact(second, 'Valid until')).toMatch(/2027/);
  });

  it('names each license by a short readable reference, not an id fragment', async () => {
    show([held('b01ed95e-3c4d-4e5f-8a9b-0c1d2e3f4a5b', acme, 'IDE Ultimate', 'Platform')]);
    await waitFor(() => expect(cards()).toHaveLength(1));
    expect(cards()[0].textContent).toContain('License L-B01E-D95E');
  });

  it('shows a claim, a revoke or a move the moment the account’s stream says so', async () => {
    const set = show([held('l-1', acme, 'IDE Ultimate', 'Platform')]);
    await waitFor(() => expect(cards()).toHaveLength(1));
    set([held('l-1', acme, 'IDE Ultimate', 'Platform'), held('l-9', globex, 'Code Review', 'Partners')]);
    await waitFor(() => expect(cards()).toHaveLength(2));
    expect(screen.getByRole('list', { name: 'My licenses' }).textContent).toContain('Code Review');
    set([held('l-9', globex, 'Code Review', 'Platform team')]);
    await waitFor(() => expect(cards()).toHaveLength(1));
    expect(fact(cards()[0], 'Team')).toBe('Platform team');
    set([]);
    expect(await screen.findByRole('heading', { name: 'No licenses yet' })).toBeTruthy();
  });

  it('says it is loading until the licenses are first known', async () => {
    const set = show(undefined);
    expect(screen.getByRole('status').textContent).toBe('Loading your licenses…');
    set([]);
    expect(await screen.findByRole('heading', { name: 'No licenses yet' })).toBeTruthy();
  });

  it('lists the machines each license is active on (name, first and last check-in), each with Deactivate (DESIGN §14)', async () => {
    const lic = held('l-1', acme, 'IDE Ultimate', 'Platform');
    lic.product.machinesPerLicense = 3;
    lic.machines = [
      { id: 'm-1', licenseId: 'l-1', name: 'build-box', firstSeenAt: '2026-03-01T09:00:00.000Z', lastSeenAt: '2026-03-05T10:30:00.000Z' },
      { id: 'm-2', licenseId: 'l-1', name: 'laptop', firstSeenAt: '2026-03-02T09:00:00.000Z', lastSeenAt: '2026-03-02T09:00:00.000Z' },
    ];
    show([lic, held('l-2', globex, 'Profiler', 'Contractors')]);
    const machines = await screen.findByRole('list', { name: 'Machines of IDE Ultimate' });
    expect(within(machines).getAllByRole('listitem')).toHaveLength(2);
    expect(within(machines).getByText('build-box')).toBeTruthy();
    expect(within(machines).getByRole('button', { name: 'Deactivate laptop' })).toBeTruthy();
    const card = (product: string) => screen.getByText(product, { selector: '.license-product' }).closest('li')!;
    expect(within(card('IDE Ultimate')).getByText('2 of 3')).toBeTruthy();
    expect(within(card('Profiler')).getByText('Not activated on any machine yet.')).toBeTruthy();
  });
});
