/**
 * The audit log's data (DESIGN §15): the organization's events (org admins only, read-only),
 * how the screen filters them, and the CSV export. The CSV is written by PapaParse with its
 * formula escaping on: a cell starting with =, +, -, @, a tab or a carriage return is
 * prefixed with ' so that a spreadsheet shows it as text and never runs it.
 */
import Papa from 'papaparse';
import type { AuditEvent, AuditKind } from '../../shared/schemas';
import { createFeed } from '../db/feeds';

export type { AuditEvent };

/** The audit events of organization `orgId` (org admins only), while the screen is open. */
export function auditFeed(orgId: string) {
  return createFeed(orgId, 'auditEvents');
}

export interface AuditFilter {
  /** An actor's address ('' = anyone; 'server' = the server's own acts). */
  person: string;
  collection: string;
  /** A document id: events about it, or naming it among their related documents. */
  doc: string;
  /** Days (YYYY-MM-DD), inclusive, in the viewer's time zone; '' = open. */
  from: string;
  to: string;
}

export const NO_FILTER: AuditFilter = { person: '', collection: '', doc: '', from: '', to: '' };

const dayStart = (day: string) => new Date(`${day}T00:00:00`).toISOString();
const dayEnd = (day: string) => new Date(`${day}T23:59:59.999`).toISOString();

/** The events a filter keeps, newest first. */
export function filterEvents(events: readonly AuditEvent[], f: AuditFilter): AuditEvent[] {
  const from = /^\d{4}-\d{2}-\d{2}$/.test(f.from) ? dayStart(f.from) : '';
  const to = /^\d{4}-\d{2}-\d{2}$/.test(f.to) ? dayEnd(f.to) : '';
  const doc = f.doc.trim();
  return events
    .filter(
      (e) =>
        (!f.person || (f.person === 'server' ? e.actorEmail === '' : e.actorEmail === f.person)) &&
        (!f.collection || e.collection === f.collection) &&
        (!doc || e.docId === doc || !!e.related?.some((r) => r.id === doc)) &&
        (!from || e.at >= from) &&
        (!to || e.at <= to),
    )
    .sort((a, b) => (a.at === b.at ? b.seq - a.seq : a.at < b.at ? 1 : -1));
}

export const KIND_WORDS: Record<AuditKind, string> = {
  create: 'Created',
  update: 'Changed',
  delete: 'Deleted',
  revoke: 'Revoked',
  claim: 'Claimed',
  'claim-refused': 'Claim refused',
  'waitlist-join': 'Joined waitlist',
  'waitlist-leave': 'Left waitlist',
  'waitlist-remove': 'Removed from waitlist',
  'waitlist-handout': 'Handed out (waitlist)',
  'waitlist-skip': 'Skipped (waitlist)',
  'sign-in': 'Signed in',
  'email-sent': 'Email sent',
  'email-failed': 'Email failed',
  activation: 'Activated',
  retention: 'Old events removed',
};

/** A change as the screen and the CSV write it: `field: before → after`. */
export const changeText = (c: AuditEvent['changes'][number]) => `${c.field}: ${c.before ?? '—'} → ${c.after ?? '—'}`;

/** The events as CSV (RFC 4180, one row per event), safe to open in a spreadsheet. */
export function auditCsv(events: readonly AuditEvent[]): string {
  return Papa.unparse(
    {
      fields: ['time', 'kind', 'person', 'name', 'collection', 'document', 'summary', 'changes', 'client address', 'user agent'],
      data: events.map((e) => [
        e.at,
        e.kind,
        e.actorEmail || 'server',
        e.actorName,
        e.collection,
        e.docId,
        e.summary,
        e.changes.map(changeText).join('; '),
        e.client?.address ?? '',
        e.client?.userAgent ?? '',
      ]),
    },
    { escapeFormulae: true, newline: '\r\n' },
  );
}

/** Offers the CSV as a download (a file the browser saves). */
export function downloadCsv(name: string, csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Where an event's document is shown in the app, if it has a page. */
export function linkOf(e: Pick<AuditEvent, 'collection' | 'docId' | 'related'>): string | null {
  const inv = e.collection === 'invitations' ? e.docId : e.related?.find((r) => r.collection === 'invitations')?.id;
  if (!e.docId && !inv) return null;
  switch (e.collection) {
    case 'orders':
      return `/orders/${encodeURIComponent(e.docId)}`;
    case 'teams':
      return `/teams/${encodeURIComponent(e.docId)}`;
    case 'contacts':
      return '/contacts';
    case 'members':
      return '/members';
    case 'notifications':
      return '/notifications';
    case 'licenses':
      return '/licenses';
    default:
      return inv ? `/invitations/${encodeURIComponent(inv)}` : null;
  }
}
