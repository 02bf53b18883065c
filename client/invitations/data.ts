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

export type InvitationState = 'active' | 'no-seats-left' | 'used-up' | 'expired' | 'disabled';

/**
 * An invitation's state as its list and page show it, in the order the claim checks run
 * (DESIGN §6): Disabled, Expired, Used up (maxClaims reached), No seats left (no available
 * license of its product in the team: a claim would answer "No assets left"), else Active.
 */
export function invitationState(inv: Invitation, accepted: number, now: Date, available: number): InvitationState {
  if (inv.disabledAt) return 'disabled';
  if (invitationExpired(inv, now)) return 'expired';
  if (inv.maxClaims !== undefined && accepted >= inv.maxClaims) return 'used-up';
  if (available <= 0) return 'no-seats-left';
  return 'active';
}

export const STATE_WORDS: Record<InvitationState, string> = {
  active: 'Active',
  'no-seats-left': 'No seats left',
  'used-up': 'Used up',
  expired: 'Expired',
  disabled: 'Disabled',
};

/** Each state's colour: only Active is green; No seats left asks for attention; the ended ones are grey. */
export const STATE_TONES: Record<InvitationState, 'ok' | 'warn' | 'muted'> = {
  active: 'ok',
  'no-seats-left': 'warn',
  'used-up': 'muted',
  expired: 'muted',
  disabled: 'muted',
};

/** Available licenses of each product in a team's license list (the seats invitations hand out). */
export function availableByProduct(teamLicenses: License[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of teamLicenses) if (l.status === 'available') out.set(l.productId, (out.get(l.productId) ?? 0) + 1);
  return out;
}

/** Seats an invitee can still get: available licenses of the product in the team, capped by maxClaims. */
export function seatsLeft(inv: Invitation, teamLicenses: License[], accepted: number): number {
  const available = availableByProduct(teamLicenses).get(inv.productId) ?? 0;
  if (inv.maxClaims === undefined) return available;
  return Math.max(0, Math.min(available, inv.maxClaims - accepted));
}

export const acceptancesOfTeam = (db: AllotDatabase, teamId: string): Accessor<Acceptance[]> =>
  liveList<Acceptance>(db.acceptances.find({ selector: { teamId } }));
