// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import type { Me, MyLicense } from '../api';
import { earlierOrgOf, forgetMe, lastLicenses, lastMe, lastOrgOf, rememberLastOrg, rememberLicenses, rememberMe } from './offline-me';

const acme = { id: 'org-1', name: 'Acme', isOrgAdmin: true, adminOfTeamIds: [], roles: [], holdsLicense: false, memberId: 'm-1', orderIds: [] };
const me: Me = { account: { id: 'acc-1', email: 'ada@acme.test', name: 'Ada' }, organizations: [acme] };

describe('the last signed-in person, kept for opening offline', () => {
  beforeEach(() => localStorage.clear());

  it('remembers, answers and forgets', () => {
    expect(lastMe()).toBeNull();
    rememberMe(me);
    expect(lastMe()).toEqual(me);
    forgetMe();
    expect(lastMe()).toBeNull();
  });

  it('ignores what is not a person', () => {
    localStorage.setItem('allot.lastMe', '{not json');
    expect(lastMe()).toBeNull();
    localStorage.setItem('allot.lastMe', JSON.stringify({ account: null }));
    expect(lastMe()).toBeNull();
  });

  it('reads what an earlier version remembered (one organization) in today’s shape, and which organization that was', () => {
    localStorage.setItem(
      'allot.lastMe',
      JSON.stringify({
        account: me.account,
        org: { id: 'org-1', name: 'Acme' },
        member: { id: 'm-1', isOrgAdmin: false, adminOfTeamIds: ['t-1'], disabled: false },
        contactRoles: ['primaryBilling'],
        contactOrderIds: ['o-1'],
        holdsLicense: true,
      }),
    );
    expect(lastMe()).toEqual({
      account: me.account,
      organizations: [
        { id: 'org-1', name: 'Acme', isOrgAdmin: false, adminOfTeamIds: ['t-1'], roles: ['primaryBilling'], holdsLicense: true, memberId: 'm-1', orderIds: ['o-1'] },
      ],
    });
    expect(earlierOrgOf('acc-1')).toBe('org-1');
    expect(earlierOrgOf('acc-2')).toBeNull();
    rememberMe(me);
    expect(earlierOrgOf('acc-1')).toBeNull();
  });

  it('keeps the licenses of one account, and the last organization used per account across sign-outs', () => {
    const lic = { license: { id: 'l-1' }, organization: { id: 'org-1', name: 'Acme' }, product: { code: 'IDE', name: 'IDE' }, team: { name: 'T' }, machines: [] };
    rememberLicenses('acc-1', [lic as unknown as MyLicense]);
    expect(lastLicenses('acc-1')).toHaveLength(1);
    expect(lastLicenses('acc-2')).toBeUndefined();
    rememberLastOrg('acc-1', 'org-1');
    rememberLastOrg('acc-2', 'org-2');
    forgetMe();
    expect(lastLicenses('acc-1')).toBeUndefined();
    expect(lastOrgOf('acc-1')).toBe('org-1');
    expect(lastOrgOf('acc-2')).toBe('org-2');
  });
});
