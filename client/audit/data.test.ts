import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../shared/schemas';
import { auditCsv, filterEvents, NO_FILTER } from './data';

const ev = (over: Partial<AuditEvent>): AuditEvent => ({
  id: Math.random().toString(36).slice(2),
  orgId: 'o',
  seq: 1,
  updatedAt: '',
  at: '2026-03-01T10:00:00.000Z',
  kind: 'update',
  actorAccountId: 'a',
  actorEmail: 'ada@acme.test',
  actorName: 'Ada',
  collection: 'contacts',
  docId: 'c1',
  changes: [],
  summary: 'Changed a contact',
  ...over,
});

describe('audit log data', () => {
  it('filters by person, collection, document (related ones too) and days, newest first', () => {
    const events = [
      ev({ id: 'e1', at: '2026-03-01T10:00:00.000Z' }),
      ev({ id: 'e2', at: '2026-03-03T10:00:00.000Z', actorEmail: 'bob@acme.test', collection: 'licenses', docId: 'L1' }),
      ev({ id: 'e3', at: '2026-03-02T10:00:00.000Z', actorEmail: '', collection: 'waitlistEntries', docId: 'W1', related: [{ collection: 'licenses', id: 'L1' }] }),
    ];
    expect(filterEvents(events, NO_FILTER).map((e) => e.id)).toEqual(['e2', 'e3', 'e1']);
    expect(filterEvents(events, { ...NO_FILTER, person: 'bob@acme.test' }).map((e) => e.id)).toEqual(['e2']);
    expect(filterEvents(events, { ...NO_FILTER, person: 'server' }).map((e) => e.id)).toEqual(['e3']);
    expect(filterEvents(events, { ...NO_FILTER, collection: 'contacts' }).map((e) => e.id)).toEqual(['e1']);
    expect(filterEvents(events, { ...NO_FILTER, doc: 'L1' }).map((e) => e.id)).toEqual(['e2', 'e3']);
    expect(filterEvents(events, { ...NO_FILTER, from: '2026-03-02', to: '2026-03-02' }).map((e) => e.id)).toEqual(['e3']);
  });

  it('writes CSV a spreadsheet cannot execute: cells starting with = + - @ tab or CR are neutralised', () => {
    const dangerous = ['=HYPERLINK("http://evil")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'];
    const csv = auditCsv(dangerous.map((summary, i) => ev({ id: `d${i}`, summary, actorName: summary })));
    const rows = Papa.parse<string[]>(csv.trim()).data;
    expect(rows[0]).toContain('summary');
    const summaries = rows.slice(1).map((r) => r[6]);
    expect(summaries.sort()).toEqual(dangerous.map((d) => `'${d}`).sort());
    for (const r of rows.slice(1)) expect(r[3].startsWith("'")).toBe(true);
    // Commas, quotes and line breaks stay inside their cell.
    const tricky = Papa.parse<string[]>(auditCsv([ev({ summary: 'a, "b"\nc' })]).trim()).data;
    expect(tricky[1][6]).toBe('a, "b"\nc');
  });
});
