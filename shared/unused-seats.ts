/**
 * Unused seats (DESIGN §14, "beyond the vendor portal"): licenses someone holds but does not
 * use — assigned `notActivatedDays` ago (default 14) and never activated, or not checked in on
 * any machine for `idleDays` (default 30). The Overview lists them with Revoke.
 */
import { addDays, parseInstant } from './dates';

export const UNUSED_SEATS_DEFAULTS = { notActivatedDays: 14, idleDays: 30 } as const;

export interface UnusedSeat<L> {
  license: L;
  reason: 'never-activated' | 'idle';
  /** The last check-in of an idle seat. */
  lastUsedAt?: string;
}

type SeatLicense = { id: string; status: string; assignedAt?: string };
type SeatMachine = { licenseId: string; lastSeenAt: string };

/** The last check-in of each license, on any of its machines (deactivated ones included: they were used). */
export function lastUsedByLicense(machines: readonly SeatMachine[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of machines) {
    const cur = out.get(m.licenseId);
    if (!cur || (parseInstant(m.lastSeenAt) ?? 0) > (parseInstant(cur) ?? 0)) out.set(m.licenseId, m.lastSeenAt);
  }
  return out;
}

/** The unused seats among `licenses`, oldest first. */
export function unusedSeats<L extends SeatLicense>(
  licenses: readonly L[],
  machines: readonly SeatMachine[],
  settings: { notActivatedDays?: number; idleDays?: number },
  now: Date,
): UnusedSeat<L>[] {
  const notActivatedBefore = addDays(now, -(settings.notActivatedDays ?? UNUSED_SEATS_DEFAULTS.notActivatedDays)).getTime();
  const idleBefore = addDays(now, -(settings.idleDays ?? UNUSED_SEATS_DEFAULTS.idleDays)).getTime();
  const lastUsed = lastUsedByLicense(machines);
  const out: (UnusedSeat<L> & { since: number })[] = [];
  for (const license of licenses) {
    if (license.status !== 'assigned') continue;
    const used = lastUsed.get(license.id);
    if (used === undefined) {
      const assigned = parseInstant(license.assignedAt);
      // Since the assignment, or since an assignment nobody can date (never counted as recent).
      if (assigned === null || assigned <= notActivatedBefore) out.push({ license, reason: 'never-activated', since: assigned ?? 0 });
    } else {
      const at = parseInstant(used) ?? 0;
      if (at <= idleBefore) out.push({ license, reason: 'idle', lastUsedAt: used, since: at });
    }
  }
  return out.sort((a, b) => a.since - b.since || a.license.id.localeCompare(b.license.id)).map(({ since: _s, ...seat }) => seat);
}
