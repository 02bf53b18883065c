import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { allowedDomainPattern, domainAllowed, emailAddress, emailDomain, normalizeDomainPattern, normalizeEmail } from './addresses';
import { email as schemaEmail } from './schemas/common';
import { domainPattern } from './schemas/invitations';

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

  it('compares an xn-- pattern, a Unicode pattern and a Unicode address in one form', () => {
    expect(domainAllowed('anna@xn--mnchen-3ya.test', ['xn--mnchen-3ya.test'])).toBe(true);
    expect(domainAllowed('anna@münchen.test', ['xn--mnchen-3ya.test'])).toBe(true);
    expect(domainAllowed('anna@xn--mnchen-3ya.test', ['MÜNCHEN.test'])).toBe(true);
    expect(domainAllowed('anna@eu.xn--mnchen-3ya.test', ['*.münchen.test'])).toBe(true);
    expect(domainAllowed('ops@big--data.test', ['big--data.test'])).toBe(true);
    expect(domainAllowed('anna@munchen.test', ['münchen.test'])).toBe(false);
    expect(domainAllowed('user@example.com', ['not a domain'])).toBe(false);
  });
});

/** WHATWG HTML "valid e-mail address" (what <input type=email> accepts), a Unicode domain in punycode, lower-cased. */
const VALID: [string, string][] = [
  ["o'brien@example.test", "o'brien@example.test"],
  ['billing=ap@example.test', 'billing=ap@example.test'],
  ['ops@big--data.test', 'ops@big--data.test'],
  ['anna@xn--mnchen-3ya.test', 'anna@xn--mnchen-3ya.test'],
  ['anna@münchen.test', 'anna@xn--mnchen-3ya.test'],
  ['Anna@MÜNCHEN.Test', 'anna@xn--mnchen-3ya.test'],
  ['  Ada@Acme.Test ', 'ada@acme.test'],
  ["x.y+tag!#$%&'*/=?^_`{|}~-@a-b.c0.test", "x.y+tag!#$%&'*/=?^_`{|}~-@a-b.c0.test"],
  ['admin@localhost', 'admin@localhost'],
  ['a@1.2.3', 'a@1.2.3'],
  [`${'l'.repeat(64)}@${'d'.repeat(63)}.test`, `${'l'.repeat(64)}@${'d'.repeat(63)}.test`],
];

const INVALID = [
  '',
  'not an email',
  'not-an-email',
  '@example.test',
  'a@',
  'a@@example.test',
  'a@b@example.test',
  'a b@example.test',
  'a"b@example.test',
  'a(b)@example.test',
  'ä@example.test',
  'a@-example.test',
  'a@example-.test',
  'a@example..test',
  'a@.example.test',
  'a@example.test.',
  'a@exa_mple.test',
  'a@example.test:25',
  'a@exam ple.test',
  'a@[127.0.0.1]',
  'a@münchen.test/x',
  `a@${'d'.repeat(64)}.test`,
  `${'l'.repeat(250)}@x.test`,
];

describe('email addresses (shared/addresses.ts)', () => {
  it.each(VALID)('accepts %s as %s', (input, stored) => {
    expect(normalizeEmail(input)).toBe(stored);
    const r = v.safeParse(emailAddress, input);
    expect(r.success && r.output).toBe(stored);
    // The schemas' email field is the same rule.
    expect(v.safeParse(schemaEmail, input).output).toBe(stored);
  });

  it.each(INVALID)('refuses %j', (input) => {
    expect(normalizeEmail(input)).toBeNull();
    const r = v.safeParse(emailAddress, input);
    expect(r.success).toBe(false);
    expect(r.issues?.[0].message).toBe('Enter a valid email address');
  });
});

describe('allowed-domain patterns', () => {
  it.each([
    ['example.com', 'example.com'],
    ['Example.COM', 'example.com'],
    ['*.example.com', '*.example.com'],
    ['xn--mnchen-3ya.test', 'xn--mnchen-3ya.test'],
    ['münchen.test', 'xn--mnchen-3ya.test'],
    ['*.MÜNCHEN.test', '*.xn--mnchen-3ya.test'],
    ['big--data.test', 'big--data.test'],
    ['shop.xn--p1ai', 'shop.xn--p1ai'],
  ])('accepts %s as %s', (input, stored) => {
    expect(normalizeDomainPattern(input)).toBe(stored);
    expect(v.safeParse(allowedDomainPattern, input).output).toBe(stored);
    expect(v.safeParse(domainPattern, input).output).toBe(stored);
  });

  it.each(['', 'com', '*.com', '*', '*.', 'example.com.', '.example.com', 'a..b', '-a.com', 'a@b.com', 'http://example.com', 'ex ample.com', '1.2.3.4', '**.example.com', 'a.*.example.com'])(
    'refuses %j',
    (input) => {
      expect(normalizeDomainPattern(input)).toBeNull();
      expect(v.safeParse(allowedDomainPattern, input).issues?.[0].message).toBe('Use a domain such as example.com or *.example.com');
    },
  );
});
