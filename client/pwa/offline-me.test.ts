// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import type { Me } from '../api';
import { forgetMe, lastMe, rememberMe } from './offline-me';

const me: Me = {
  account: { id: 'acc-1', email: 'ada@acme.test', name: 'Ada' },
  org: { id: 'org-1', name: 'Acme' },
  member: null,
  contactRoles: [],
  contactOrderIds: [],
};

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
});
