import { describe, expect, it } from 'vitest';
import { domainAllowed, emailDomain } from './domains';

describe('domainAllowed', () => {
  it('allows anyone when no domain is listed', () => {
    expect(domainAllowed('anyone@anywhere.test', [])).toBe(true);
  });

  it('matches a listed domain exactly and case-insensitively', () => {
    expect(domainAllowed('user@example.com', ['example.com'])).toBe(true);
    expect(domainAllowed('User@EXAMPLE.COM', ['example.com'])).toBe(true);
    expect(domainAllowed('user@example.com', ['Example.Com'])).toBe(true);
  });

  it('refuses the usual tricks', () => {
    const allowed = ['example.com'];
    expect(domainAllowed('user@evil.com', allowed)).toBe(false);
    expect(domainAllowed('user@example.com.evil.com', allowed)).toBe(false);
    expect(domainAllowed('USER@EXAMPLE.COM.EVIL.COM', allowed)).toBe(false);
    expect(domainAllowed('user@example.com.', allowed)).toBe(false);
    expect(domainAllowed('user@sub.example.com', allowed)).toBe(false);
    expect(domainAllowed('user@notexample.com', allowed)).toBe(false);
    expect(domainAllowed('user@evil.com@example.com', allowed)).toBe(false);
    expect(domainAllowed('user@ example.com', allowed)).toBe(false);
    expect(domainAllowed('example.com', allowed)).toBe(false);
    expect(domainAllowed('@example.com', allowed)).toBe(false);
  });

  it('lets *.example.com match sub-domains but not the apex unless listed', () => {
    expect(domainAllowed('user@eu.example.com', ['*.example.com'])).toBe(true);
    expect(domainAllowed('user@a.b.example.com', ['*.example.com'])).toBe(true);
    expect(domainAllowed('user@example.com', ['*.example.com'])).toBe(false);
    expect(domainAllowed('user@badexample.com', ['*.example.com'])).toBe(false);
    expect(domainAllowed('user@eu.example.com.evil.com', ['*.example.com'])).toBe(false);
    expect(domainAllowed('user@eu.example.com.', ['*.example.com'])).toBe(false);
    expect(domainAllowed('user@example.com', ['*.example.com', 'example.com'])).toBe(true);
  });

  it('takes the domain of plain addresses only', () => {
    expect(emailDomain('a@B.test')).toBe('b.test');
    expect(emailDomain('a@b..test')).toBeNull();
    expect(emailDomain('a@-b.test')).toBeNull();
  });
});
