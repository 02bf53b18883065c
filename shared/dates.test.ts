import { describe, expect, it } from 'vitest';
import { addDays, dayOf, dayOfField, invitationExpired, invoiceOverdue, isAtOrBefore, licenseValidOn, parseInstant } from './dates';

describe('dates (shared/dates.ts)', () => {
  it.each([
    ['2026-05-01T09:30:00Z', Date.UTC(2026, 4, 1, 9, 30)],
    ['2026-05-01T09:30:00.123Z', Date.UTC(2026, 4, 1, 9, 30, 0, 123)],
    ['2026-05-01t09:30:00z', Date.UTC(2026, 4, 1, 9, 30)],
    ['2026-05-01T11:30:00+02:00', Date.UTC(2026, 4, 1, 9, 30)],
    ['2026-05-01T04:30:00-05:00', Date.UTC(2026, 4, 1, 9, 30)],
    ['2026-05-01', Date.UTC(2026, 4, 1)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
  ])('reads %s as an instant', (value, ms) => {
    expect(parseInstant(value)).toBe(ms);
  });

  it.each(['', 'expired', '31/12/2020', '2026-02-30', '2026-13-01', '2026-05-01T25:00:00Z', '2026-05-01T09:30:00', '2026-05-01 09:30:00Z', '20260501'])(
    'reads %j as no instant',
    (value) => {
      expect(parseInstant(value)).toBeNull();
    },
  );

  it('names days in UTC', () => {
    expect(dayOf(new Date('2026-05-01T23:30:00Z'))).toBe('2026-05-01');
    expect(dayOfField('2026-05-01')).toBe('2026-05-01');
    expect(dayOfField('2026-05-01T23:30:00-05:00')).toBe('2026-05-02');
    expect(dayOfField('31/12/2020')).toBeNull();
    expect(addDays(new Date('2026-01-31T12:00:00Z'), 30).toISOString()).toBe('2026-03-02T12:00:00.000Z');
  });

  it('keeps a license valid through its last day, and a day nobody can read valid on none', () => {
    const now = new Date('2026-05-01T23:59:59Z');
    expect(licenseValidOn('2026-05-01', now)).toBe(true);
    expect(licenseValidOn('2026-05-01T00:00:00.000Z', now)).toBe(true);
    expect(licenseValidOn('2026-04-30', now)).toBe(false);
    expect(licenseValidOn('2099-12-31', now)).toBe(true);
    expect(licenseValidOn('31/12/2099', now)).toBe(false);
    expect(licenseValidOn('x', now)).toBe(false);
  });

  it('expires an invitation at its instant, whatever offset it is written with', () => {
    const now = new Date('2026-05-01T12:00:00Z');
    expect(invitationExpired({}, now)).toBe(false);
    expect(invitationExpired({ expiresAt: '' }, now)).toBe(false);
    expect(invitationExpired({ expiresAt: '2026-05-01T12:00:00Z' }, now)).toBe(true);
    expect(invitationExpired({ expiresAt: '2026-05-01T11:59:59Z' }, now)).toBe(true);
    // One hour in the past, written with +05:00 (text comparison says "future").
    expect(invitationExpired({ expiresAt: '2026-05-01T16:00:00+05:00' }, now)).toBe(true);
    // One hour ahead, written with -05:00 (text comparison says "past").
    expect(invitationExpired({ expiresAt: '2026-05-01T08:00:00-05:00' }, now)).toBe(false);
    expect(invitationExpired({ expiresAt: 'expired' }, now)).toBe(true);
    expect(invitationExpired({ expiresAt: '31/12/2099' }, now)).toBe(true);
  });

  it('finds an unpaid invoice overdue once its due instant passed', () => {
    const now = new Date('2026-05-01T12:00:00Z');
    expect(invoiceOverdue({ dueAt: '2026-04-30' }, now)).toBe(true);
    expect(invoiceOverdue({ dueAt: '2026-05-01T12:00:00Z' }, now)).toBe(false);
    expect(invoiceOverdue({ dueAt: '2026-04-30', paidAt: '2026-04-29' }, now)).toBe(false);
    expect(invoiceOverdue({ dueAt: 'soon' }, now)).toBe(false);
    expect(isAtOrBefore('2026-05-01T12:00:00Z', now)).toBe(true);
    expect(isAtOrBefore('garbage', now)).toBe(false);
  });
});
