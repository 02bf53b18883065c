import type { TestServer } from '../helpers/server';
import { syncPath } from '../helpers/sync-path';
import type { PushResponse } from '../../shared/sync';
import type { WireDoc } from '../../shared/schemas';
import { getDoc } from '../../server/store/docs';

/** Joins, reads or leaves an invitation's waitlist (DESIGN §6 Waitlist). */
export const joinWaitlist = (s: TestServer, token: string, cookie?: string) => s.request(`/api/invitations/${token}/waitlist`, { method: 'POST', cookie, body: {} });
export const waitlistStatus = (s: TestServer, token: string, cookie?: string) => s.request(`/api/invitations/${token}/waitlist`, { cookie });
export const leaveWaitlist = (s: TestServer, token: string, cookie?: string) => s.request(`/api/invitations/${token}/waitlist`, { method: 'DELETE', cookie });

/** An admin's push of revokes of these licenses, as the app sends it. */
export async function revoke(s: TestServer, orgId: string, cookie: string, licenseIds: string[]) {
  const rows = [];
  for (const id of licenseIds) {
    const stored = (await getDoc(s.store.db, 'licenses', id)) as WireDoc<'licenses'>;
    const { assignee: _a, assignedAt: _b, assignedVia: _c, ...rest } = stored;
    rows.push({ assumedMasterState: stored, newDocumentState: { ...rest, status: 'available' } });
  }
  const r = await s.request(syncPath(orgId, 'licenses', 'push'), { cookie, body: rows });
  return { status: r.status, answer: r.json as PushResponse<'licenses'> };
}
