/**
 * An invitation's waitlist and refused attempts (DESIGN §6), for those who may see its
 * acceptances: read from the server's feeds (client/db/feeds.ts), the waitlist in line order.
 */
import { createMemo, type Accessor } from 'solid-js';
import type { RefusedClaim, WaitlistEntry, WireDoc } from '../../shared/schemas';
import { createFeed, pushFeedChange } from '../db/feeds';

export interface InvitationActivity {
  /** People waiting, first in line first. */
  waiting: Accessor<WireDoc<'waitlistEntries'>[]>;
  /** Refused claims, latest first. */
  refused: Accessor<WireDoc<'refusedClaims'>[]>;
  loading: Accessor<boolean>;
  error: Accessor<string | null>;
  /** Takes a person off the waitlist (an admin's removal). */
  remove(entry: WireDoc<'waitlistEntries'>): ReturnType<typeof pushFeedChange>;
}

/** The activity of an invitation of organization `orgId` while the calling component is mounted. */
export function invitationActivity(orgId: string, invitationId: () => string): InvitationActivity {
  const entries = createFeed(orgId, 'waitlistEntries');
  const refusals = createFeed(orgId, 'refusedClaims');
  const waiting = createMemo(() =>
    entries
      .docs()
      .filter((e) => e.invitationId === invitationId() && e.status === 'waiting')
      .sort((a, b) => a.rank - b.rank),
  );
  const refused = createMemo(() =>
    refusals
      .docs()
      .filter((r) => r.invitationId === invitationId())
      .sort((a, b) => b.lastAt.localeCompare(a.lastAt)),
  );
  return {
    waiting,
    refused,
    loading: () => entries.loading() || refusals.loading(),
    error: () => entries.error() ?? refusals.error(),
    async remove(entry) {
      const r = await pushFeedChange(orgId, 'waitlistEntries', entry, { ...entry, _deleted: true });
      if (r.ok) await entries.refresh();
      return r;
    },
  };
}

export type { RefusedClaim, WaitlistEntry };
