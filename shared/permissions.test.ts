import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  audiencesLost,
  canChange,
  canSee,
  grantsOf,
  isLastOrgAdmin,
  isMarkPaid,
  isRevoke,
  losesOrgAdmin,
  scopeOf,
  sectionsOf,
  type Person,
} from './permissions';

const person = (over: Partial<Person>): Person => ({ ...ANONYMOUS, orgId: 'o1', accountId: 'acc', ...over });

describe('shared/permissions', () => {
  it('a person is the union of their grants', () => {
    const p = person({ memberId: 'm', adminOfTeamIds: ['A'], roles: ['primaryBilling'], orderIds: ['X'] });
    expect(grantsOf(p).sort()).toEqual(['inOrg', 'licenseHolder', 'member', 'orderContact', 'primaryBilling', 'teamAdmin'].sort());
    // Licenses: own team's, own order's, and own ones, as one scope.
    expect(scopeOf(p, 'licenses')).toEqual([
      { field: 'teamId', values: ['A'] },
      { field: 'orderId', values: ['X'] },
      { field: 'assigneeAccountId', values: ['acc'] },
    ]);
    expect(scopeOf(p, 'invoices')).toBe('all');
    expect(scopeOf(p, 'contacts')).toBe('none');
    expect(sectionsOf(p)).toEqual(new Set(['my-licenses', 'overview', 'teams', 'licenses', 'orders', 'billing']));
  });

  it('a partner sees the orders they placed with their licenses and invoices, and may record orders', () => {
    const p = person({ memberId: 'm', isPartner: true, placedOrderIds: ['Y'] });
    expect(grantsOf(p)).toContain('partner');
    expect(scopeOf(p, 'orders')).toEqual([{ field: 'id', values: ['Y'] }]);
    expect(scopeOf(p, 'licenses')).toEqual([
      { field: 'orderId', values: ['Y'] },
      { field: 'assigneeAccountId', values: ['acc'] },
    ]);
    expect(scopeOf(p, 'invoices')).toEqual([{ field: 'orderId', values: ['Y'] }]);
    for (const c of ['teams', 'contacts', 'invitations', 'quotes', 'notifications'] as const) expect(scopeOf(p, c)).toBe('none');
    expect(canChange(p, 'orders', undefined, { id: 'Z', orgId: 'o1' })).toBeNull();
    expect(canChange(p, 'orders', { id: 'Y', orgId: 'o1' }, { id: 'Y', orgId: 'o1', _deleted: true })).toMatchObject({ code: 'not-allowed' });
    expect(canChange(p, 'contacts', undefined, { id: 'c', orgId: 'o1' })).toMatchObject({ code: 'not-allowed' });
    expect(sectionsOf(p)).toEqual(new Set(['my-licenses', 'orders', 'licenses', 'billing']));
    // The flag counts only with an enabled member record.
    expect(grantsOf(person({ isPartner: true, placedOrderIds: ['Y'] }))).not.toContain('partner');
  });

  it('notification-only roles, strangers and the anonymous see nothing', () => {
    const notif = person({ roles: ['unpaidInvoices', 'dataProtection'] });
    expect(scopeOf(notif, 'organizations')).toBe('none');
    expect(scopeOf(notif, 'products')).toBe('none');
    expect(scopeOf(person({ orgId: null }), 'products')).toBe('none');
    expect(grantsOf(ANONYMOUS)).toEqual([]);
    expect(canSee(person({ isOrgAdmin: true, memberId: 'm' }), 'teams', { id: 't', orgId: 'other' })).toBe(false);
  });

  it('recognizes a revoke and marking paid, and nothing more', () => {
    const assigned = { id: 'l', status: 'assigned', teamId: 'A', assignee: { accountId: 'x' }, assignedAt: 't', assignedVia: 'i' };
    expect(isRevoke(assigned, { id: 'l', status: 'available', teamId: 'A' })).toBe(true);
    expect(isRevoke(assigned, { id: 'l', status: 'available', teamId: 'B' })).toBe(false);
    expect(isMarkPaid({ id: 'i', amountCents: 1 }, { id: 'i', amountCents: 1, paidAt: 'now' })).toBe(true);
    expect(isMarkPaid({ id: 'i', amountCents: 1 }, { id: 'i', amountCents: 2, paidAt: 'now' })).toBe(false);
    const tina = person({ memberId: 'm', adminOfTeamIds: ['A'] });
    expect(canChange(tina, 'licenses', { ...assigned, orgId: 'o1' }, { id: 'l', orgId: 'o1', status: 'available', teamId: 'A' })).toBeNull();
    expect(canChange(tina, 'licenses', { ...assigned, orgId: 'o1' }, { ...assigned, orgId: 'o1', validUntil: 'x' })?.code).toBe('not-allowed');
  });

  it('names the audiences that lose a document when its scope fields change', () => {
    expect(audiencesLost('licenses', { teamId: 'A', orderId: 'X', assignee: { accountId: 'h' } }, { teamId: 'B', orderId: 'X' })).toEqual([
      'teamId:A',
      'assigneeAccountId:h',
    ]);
    expect(audiencesLost('contacts', { email: 'a' }, { email: 'b' })).toEqual([]);
  });

  it('knows the last org admin', () => {
    const members = [
      { id: 'a', isOrgAdmin: true, disabled: false },
      { id: 'b', isOrgAdmin: true, disabled: true },
      { id: 'c', isOrgAdmin: false, disabled: false },
    ];
    expect(isLastOrgAdmin(members, 'a')).toBe(true);
    expect(isLastOrgAdmin([...members, { id: 'd', isOrgAdmin: true, disabled: false }], 'a')).toBe(false);
    expect(losesOrgAdmin(members[0], { ...members[0], disabled: true })).toBe(true);
    expect(losesOrgAdmin(members[2], { ...members[2], name: 'x' })).toBe(false);
  });
});
