/** Bulk invitations (seed: "Assigning commercial licenses with bulk invitations"). */
import type { Accessor } from 'solid-js';
import * as v from 'valibot';
import { newId } from '../../shared/ids';
import { domainPattern, type Acceptance, type Invitation, type License } from '../../shared/schemas';
import { liveList, liveOne, type AllotDatabase } from '../db';
import { addDays } from '../ui/format';
import { invitationExpired } from '../../shared/dates';

export const invitationsOfTeam = (db: AllotDatabase, teamId: string): Accessor<Invitation[]> =>
  liveList<Invitation>(db.invitations.find({ selector: { teamId } }));

export const allInvitations = (db: AllotDatabase): Accessor<Invitation[]> =>
  liveList<Invitation>(db.invitations.find());

export const invitationById = (db: AllotDatabase, id: string): Accessor<Invitation | null | undefined> =>
  liveOne<Invitation>(db.invitations.findOne(id));

export const acceptancesOfInvitation = (db: AllotDatabase, invitationId: string): Accessor<Acceptance[]> =>
  liveList<Acceptance>(db.acceptances.find({ selector: { invitationId } }));

export const licensesOfTeam = (db: AllotDatabase, teamId: string): Accessor<License[]> =>
  liveList<License>(db.licenses.find({ selector: { teamId } }));

export type Lifetime = '1' | '7' | '30' | '90' | 'date' | 'never';
export const LIFETIMES: { value: Lifetime; label: string }[] = [
  { value: '1', label: '1 day' },
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: 'date', label: 'Until a date' },
  { value: 'never', label: 'Never expires' },
];

/** When the link stops working; undefined = never. A date means the end of that day. */
export function expiryFor(lifetime: Lifetime, date: string, now: Date): string | undefined {
  if (lifetime === 'never') return undefined;
  if (lifetime === 'date') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error('Choose the date the link stops working.');
    const end = new Date(`${date}T23:59:59.999`);
    if (end.getTime() <= now.getTime()) throw new Error('Choose a date in the future.');
    return end.toISOString();
  }
  return addDays(now, Number(lifetime)).toISOString();
}

/** "acme.com, *.acme.org" → normalized domains, or the first bad one. */
export function parseDomains(text: string): { ok: true; domains: string[] } | { ok: false; bad: string } {
  const parts = text
    .split(/[\s,;]+/)
    .map((s) => s.trim().replace(/^@/, ''))
    .filter(Boolean);
  const out: string[] = [];
  for (const p of parts) {
    const r = v.safeParse(domainPattern, p);
    if (!r.success) return { ok: false, bad: p };
    if (!out.includes(r.output)) out.push(r.output);
  }
  return { ok: true, domains: out };
}

export interface NewInvitation {
  orgId: string;
  teamId: string;
  productId: string;
  name: string;
  expiresAt?: string;
  allowedDomains: string[];
  maxClaims?: number;
  createdByMemberId: string;
}

export async function createInvitation(db: AllotDatabase, input: NewInvitation): Promise<Invitation> {
  const doc: Invitation = {
    id: newId(),
    orgId: input.orgId,
    teamId: input.teamId,
    productId: input.productId,
    // The server makes the link's token when the invitation reaches it (DESIGN §3): '' until then.
    token: '',
    allowedDomains: input.allowedDomains,
    createdByMemberId: input.createdByMemberId,
    seq: 0,
    updatedAt: '',
    ...(input.name.trim() ? { name: input.name.trim() } : {}),
    ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
    ...(input.maxClaims ? { maxClaims: input.maxClaims } : {}),
  };
  await db.invitations.insert(doc);
  return doc;
}

export async function setInvitationDisabled(db: AllotDatabase, id: string, disabled: boolean, now = new Date()) {
  const doc = await db.invitations.findOne(id).exec();
  if (!doc) return;
  await doc.incrementalModify((inv) => {
    const { disabledAt: _drop, ...rest } = inv;
    return disabled ? { ...rest, disabledAt: now.toISOString() } : rest;
  });
}

export const invitationLink = (token: string, origin = location.origin) => `${origin}/join/${token}`;

export type InvitationState = 'active' | 'expired' | 'disabled' | 'used-up';

export function invitationState(inv: Invitation, accepted: number, now: Date): InvitationState {
  if (inv.disabledAt) return 'disabled';
  if (invitationExpired(inv, now)) return 'expired';
  if (inv.maxClaims !== undefined && accepted >= inv.maxClaims) return 'used-up';
  return 'active';
}

export const STATE_WORDS: Record<InvitationState, string> = {
  active: 'Active',
  expired: 'Expired',
  disabled: 'Disabled',
  'used-up': 'Used up',
};

/** Seats an invitee can still get: available licenses of the product in the team, capped by maxClaims. */
export function seatsLeft(inv: Invitation, teamLicenses: License[], accepted: number): number {
  const available = teamLicenses.filter((l) => l.productId === inv.productId && l.status === 'available').length;
  if (inv.maxClaims === undefined) return available;
  return Math.max(0, Math.min(available, inv.maxClaims - accepted));
}

export const acceptancesOfTeam = (db: AllotDatabase, teamId: string): Accessor<Acceptance[]> =>
  liveList<Acceptance>(db.acceptances.find({ selector: { teamId } }));
