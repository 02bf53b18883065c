/**
 * The organization's activation events (DESIGN §14 point 7) as its notification log shows them
 * to org admins: device approved or denied, activation, renewal, refusal, deactivation —
 * newest first, at most ACTIVATION_EVENTS_LIMIT. Kept in the audit table (DESIGN §15).
 */
import type { Kysely } from 'kysely';
import { ACTIVATION_EVENTS_LIMIT, type ActivationEvent, type ActivationEventsResponse } from '../../shared/api';
import { listActivationEvents } from '../store/activation';
import type { DB } from '../store/schema';

const ACTIONS = new Set<ActivationEvent['action']>(['approved', 'denied', 'activated', 'renewed', 'refused', 'deactivated']);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v.slice(0, 320) : undefined);

export async function activationEventsOf(db: Kysely<DB>, orgId: string): Promise<ActivationEventsResponse> {
  const rows = await listActivationEvents(db, orgId, ACTIVATION_EVENTS_LIMIT);
  const events: ActivationEvent[] = [];
  for (const r of rows) {
    const action = r.action.replace(/^activation\./, '') as ActivationEvent['action'];
    if (!ACTIONS.has(action)) continue;
    const d = (r.detail && typeof r.detail === 'object' ? r.detail : {}) as Record<string, unknown>;
    events.push({
      action,
      at: r.at,
      ...(text(d.by ?? d.email) ? { email: text(d.by ?? d.email) } : {}),
      ...(text(d.product) ? { product: text(d.product) } : {}),
      ...(text(d.machine) ? { machine: text(d.machine) } : {}),
      ...(text(d.licenseId) ? { licenseId: text(d.licenseId) } : {}),
      ...(text(d.code) ? { code: text(d.code) } : {}),
    });
  }
  return { events };
}
