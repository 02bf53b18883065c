import { describe, expect, it } from 'vitest';
import { changedFields, createConflictHandler, mergeConflict, resolveConflict, sameDoc, type LostChange, type PlainDoc } from './conflict';

const base = {
  id: 'c1',
  orgId: 'o1',
  name: 'Grace',
  email: 'grace@acme.test',
  roles: ['primaryTechnical'],
  disabled: false,
  seq: 5,
  updatedAt: '2025-01-01T00:00:00.000Z',
  _deleted: false,
};
const server = (over: Record<string, unknown>) => ({ ...base, seq: 9, updatedAt: '2025-01-02T00:00:00.000Z', ...over });

describe('mergeConflict', () => {
  it('keeps a local change to a field the server did not change, and takes the server fields', () => {
    const r = mergeConflict({ assumed: base, real: server({ email: 'g@acme.test' }), local: { ...base, name: 'Grace H.' } });
    expect(r.doc).toEqual({ ...base, seq: 9, updatedAt: '2025-01-02T00:00:00.000Z', name: 'Grace H.', email: 'g@acme.test' });
    expect(r.lost).toEqual([]);
    expect(r.kept).toEqual(['name']);
  });

  it('lets the server win a field both changed and reports it', () => {
    const r = mergeConflict({ assumed: base, real: server({ name: 'Server' }), local: { ...base, name: 'Local', disabled: true } });
    expect(r.doc.name).toBe('Server');
    expect(r.doc.disabled).toBe(true);
    expect(r.lost).toEqual(['name']);
  });

  it('does not report a field both changed to the same value (a push that landed but whose answer was lost)', () => {
    const r = mergeConflict({ assumed: base, real: server({ name: 'Same' }), local: { ...base, name: 'Same' } });
    expect(r.lost).toEqual([]);
    expect(r.doc).toEqual(server({ name: 'Same' }));
  });

  it('compares arrays and objects by value, ignoring key order and undefined properties', () => {
    const r = mergeConflict<PlainDoc>({
      assumed: { ...base, meta: { a: 1, b: 2 } },
      real: server({ meta: { b: 2, a: 1, c: undefined } }),
      local: { ...base, meta: { a: 1, b: 2 }, roles: ['primaryTechnical', 'primaryBilling'] },
    });
    expect(r.lost).toEqual([]);
    expect(r.doc.roles).toEqual(['primaryTechnical', 'primaryBilling']);
  });

  it('merges lists of plain values that both sides changed as sets: each side’s additions and removals are kept', () => {
    const table: { what: string; assumed: string[]; real: string[]; local: string[]; doc: string[]; kept: string[] }[] = [
      { what: 'both add different roles', assumed: ['primaryTechnical'], real: ['primaryTechnical', 'dataProtection'], local: ['primaryTechnical', 'primaryBilling'], doc: ['primaryTechnical', 'dataProtection', 'primaryBilling'], kept: ['roles'] },
      { what: 'one adds, the other removes', assumed: ['primaryTechnical', 'newQuotes'], real: ['primaryTechnical'], local: ['primaryTechnical', 'newQuotes', 'unpaidInvoices'], doc: ['primaryTechnical', 'unpaidInvoices'], kept: ['roles'] },
      { what: 'the local side removes what the server kept', assumed: ['primaryTechnical', 'newQuotes'], real: ['primaryTechnical', 'newQuotes', 'dataProtection'], local: ['newQuotes'], doc: ['newQuotes', 'dataProtection'], kept: ['roles'] },
      { what: 'both make the same change in another order', assumed: [], real: ['a', 'b'], local: ['b', 'a'], doc: ['a', 'b'], kept: [] },
    ];
    for (const t of table) {
      const r = mergeConflict({ assumed: { ...base, roles: t.assumed }, real: server({ roles: t.real }), local: { ...base, roles: t.local } });
      expect(r.doc.roles, t.what).toEqual(t.doc);
      expect(r.lost, t.what).toEqual([]);
      expect(r.kept, t.what).toEqual(t.kept);
    }
    // A list of objects (an order's lines) is a value, not a set: the server wins and it is reported.
    const lines = mergeConflict<PlainDoc>({
      assumed: { ...base, lines: [{ q: 1 }] },
      real: server({ lines: [{ q: 2 }] }),
      local: { ...base, lines: [{ q: 3 }] },
    });
    expect(lines.doc.lines).toEqual([{ q: 2 }]);
    expect(lines.lost).toEqual(['lines']);
  });

  it('always takes seq and updatedAt from the server', () => {
    const r = mergeConflict({ assumed: base, real: server({}), local: { ...base, seq: 123, updatedAt: 'x', name: 'L' } });
    expect(r.doc.seq).toBe(9);
    expect(r.doc.updatedAt).toBe('2025-01-02T00:00:00.000Z');
    expect(r.kept).toEqual(['name']);
  });

  it('removes a field the client removed when the server left it alone', () => {
    const assumed = { ...base, nickname: 'G' };
    const r = mergeConflict({ assumed, real: { ...assumed, seq: 9, name: 'S' }, local: { ...base } });
    expect('nickname' in r.doc).toBe(false);
    expect(r.doc.name).toBe('S');
  });

  it('keeps a local deletion over server edits of other fields', () => {
    const r = mergeConflict({ assumed: base, real: server({ name: 'S' }), local: { ...base, _deleted: true } });
    expect(r.doc._deleted).toBe(true);
    expect(r.lost).toEqual([]);
  });

  it('keeps a server deletion and reports the local edits it discards', () => {
    const r = mergeConflict({ assumed: base, real: server({ _deleted: true }), local: { ...base, name: 'L' } });
    expect(r.doc._deleted).toBe(true);
    expect(r.doc.name).toBe('Grace');
    expect(r.lost).toEqual(['name']);
  });

  it('without an assumed master, the server wins and every differing field is reported', () => {
    const r = mergeConflict({ real: server({ name: 'S' }), local: { ...base, name: 'L', email: 'x@acme.test' } });
    expect(r.doc).toEqual(server({ name: 'S' }));
    expect(r.lost).toEqual(['email', 'name']);
  });
});

describe('resolveConflict', () => {
  it('turns a lost field into a conflict notice with both values', () => {
    const { doc, lost } = resolveConflict('contacts', {
      assumedMasterState: base,
      realMasterState: server({ name: 'Server' }),
      newDocumentState: { ...base, name: 'Local' },
    });
    expect(doc.name).toBe('Server');
    expect(lost).toMatchObject({
      collection: 'contacts',
      docId: 'c1',
      fields: ['name'],
      yourValues: { name: 'Local' },
      serverValues: { name: 'Server' },
      reason: 'conflict',
      againstSeq: 9,
    });
  });

  it('reverts a refused change to the server state and reports the refusal', () => {
    const { doc, lost } = resolveConflict(
      'contacts',
      { assumedMasterState: base, realMasterState: base, newDocumentState: { ...base, orgId: 'o2', name: 'L' } },
      { id: 'c1', code: 'immutable-field', message: 'orgId cannot change', fields: ['orgId'] },
    );
    expect(doc).toEqual(base);
    expect(lost).toMatchObject({
      fields: ['orgId'],
      yourValues: { orgId: 'o2', name: 'L' },
      serverValues: { orgId: 'o1', name: 'Grace' },
      reason: 'immutable-field',
      message: 'orgId cannot change',
    });
  });

  it('drops a refused new document and shows no server values', () => {
    const created = { ...base, seq: 0, updatedAt: '', email: 'nope' };
    const { doc, lost } = resolveConflict(
      'contacts',
      { realMasterState: { ...created, _deleted: true }, newDocumentState: created },
      { id: 'c1', code: 'invalid-document', message: 'email: Invalid email', fields: ['email'] },
    );
    expect(doc._deleted).toBe(true);
    expect(lost?.serverValues).toBeUndefined();
    expect(lost?.yourValues).toMatchObject({ email: 'nope', name: 'Grace' });
    expect(lost?.fields).toEqual(['email']);
  });

  it('reports nothing when the merge loses nothing', () => {
    const { lost } = resolveConflict('contacts', {
      assumedMasterState: base,
      realMasterState: server({ email: 'e@acme.test' }),
      newDocumentState: { ...base, name: 'L' },
    });
    expect(lost).toBeUndefined();
  });
});

describe('createConflictHandler', () => {
  it('treats RxDB metadata as no difference', () => {
    const h = createConflictHandler<PlainDoc>('contacts', { takeRejection: () => undefined, report: async () => {} });
    expect(h.isEqual({ ...base, _meta: { lwt: 1 } }, { ...base, _rev: '1-a' }, 'test')).toBe(true);
    expect(h.isEqual(base, { ...base, name: 'x' }, 'test')).toBe(false);
  });

  it('uses a pending rejection once and reports what it lost', async () => {
    const reports: LostChange[] = [];
    const rejections = new Map([['contacts:c1', { id: 'c1', code: 'not-allowed' as const, message: 'no' }]]);
    const h = createConflictHandler<PlainDoc>('contacts', {
      takeRejection: (c, id) => {
        const r = rejections.get(`${c}:${id}`);
        rejections.delete(`${c}:${id}`);
        return r;
      },
      report: async (l) => void reports.push(l),
    });
    const input = { assumedMasterState: base, realMasterState: base, newDocumentState: { ...base, name: 'L' } };
    expect(await h.resolve(input, 'test')).toEqual(base);
    expect(reports.map((r) => r.reason)).toEqual(['not-allowed']);
    expect(rejections.size).toBe(0);
  });
});

describe('helpers', () => {
  it('changedFields ignores server-set fields and treats missing _deleted as false', () => {
    expect(changedFields(base, { ...base, seq: 1, updatedAt: 'x', name: 'n' })).toEqual(['name']);
    expect(sameDoc({ a: 1 }, { a: 1, _deleted: false })).toBe(true);
  });
});
