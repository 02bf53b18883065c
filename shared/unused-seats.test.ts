import { describe, expect, it } from 'vitest';
import { lastUsedByLicense, unusedSeats } from './unused-seats';

const now = new Date('2026-06-30T12:00:00Z');
const lic = (id: string, assignedAt: string | undefined, status = 'assigned') => ({ id, status, assignedAt });
const mach = (licenseId: string, lastSeenAt: string) => ({ licenseId, lastSeenAt });

describe('unused seats (DESIGN §14)', () => {
  it('lists seats assigned 14 days ago and never activated, and seats not checked in for 30 days', () => {
    const licenses = [
      lic('fresh', '2026-06-20T00:00:00Z'),
      lic('never', '2026-06-16T12:00:00Z'),
      lic('idle', '2026-01-01T00:00:00Z'),
      lic('used', '2026-01-01T00:00:00Z'),
      lic('free', '2026-01-01T00:00:00Z', 'available'),
    ];
    const machines = [mach('idle', '2026-05-31T12:00:00Z'), mach('used', '2026-05-01T00:00:00Z'), mach('used', '2026-06-29T00:00:00Z')];
    expect(unusedSeats(licenses, machines, {}, now).map((s) => [s.license.id, s.reason])).toEqual([
      ['idle', 'idle'],
      ['never', 'never-activated'],
    ]);
  });
  it('takes the numbers of days from the settings', () => {
    const licenses = [lic('a', '2026-06-25T00:00:00Z'), lic('b', '2026-01-01T00:00:00Z')];
    const machines = [mach('b', '2026-06-27T00:00:00Z')];
    expect(unusedSeats(licenses, machines, { notActivatedDays: 5, idleDays: 3 }, now).map((s) => s.license.id)).toEqual(['a', 'b']);
    expect(unusedSeats(licenses, machines, { notActivatedDays: 6, idleDays: 4 }, now)).toEqual([]);
  });
  it('the last use of a license is its latest check-in on any machine', () => {
    expect(lastUsedByLicense([mach('x', '2026-01-02T00:00:00Z'), mach('x', '2026-03-01T00:00:00Z'), mach('x', '2026-02-01T00:00:00Z')]).get('x')).toBe('2026-03-01T00:00:00Z');
  });
});
