import { describe, expect, it } from 'vitest';
import { changedFields, changesOnly, isMarkPaid, isRevoke, revokes, sameValue } from './equality';

describe('equality (shared/equality.ts)', () => {
  it('compares JSON values deeply, whatever the key order; undefined is absent', () => {
    expect(sameValue({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue({ a: null }, {})).toBe(false);
    expect(sameValue([], {})).toBe(false);
  });

  it('names the changed fields of a document; a null field is an absent one', () => {
    expect(changedFields({ id: 'x', name: 'A', tags: ['a'], gone: null }, { id: 'x', name: 'B', tags: ['a'] })).toEqual(['name']);
    expect(changesOnly({ a: 1, seq: 1 }, { a: 2, seq: 2, updatedAt: 'now' }, ['a'])).toBe(true);
    expect(changesOnly({ a: 1, b: 1 }, { a: 2, b: 2 }, ['a'])).toBe(false);
  });

  const assigned = { id: 'l', status: 'assigned', teamId: 'A', assignee: { accountId: 'x' }, assignedAt: 't', assignedVia: 'i', seq: 4 };
  const cleared = { id: 'l', status: 'available', teamId: 'A', seq: 4 };

  it('knows a revoke: the assignment cleared whole, and nothing else', () => {
    expect(isRevoke(assigned, cleared)).toBe(true);
    expect(isRevoke(assigned, { ...cleared, teamId: 'B' })).toBe(false);
    expect(isRevoke(assigned, { ...cleared, assignedAt: 't' })).toBe(false);
    expect(isRevoke(cleared, cleared)).toBe(false);
  });

  it('knows a change that revokes among others (a revoke and a move)', () => {
    expect(revokes(assigned, { ...cleared, teamId: 'B' })).toBe(true);
    expect(revokes(assigned, cleared)).toBe(true);
    expect(revokes(assigned, { ...cleared, assignedVia: 'i' })).toBe(false);
    expect(revokes(assigned, { ...assigned, teamId: 'B' })).toBe(false);
  });

  it('knows marking an invoice paid', () => {
    expect(isMarkPaid({ id: 'i', amountCents: 1 }, { id: 'i', amountCents: 1, paidAt: '2026-05-01' })).toBe(true);
    expect(isMarkPaid({ id: 'i', paidAt: '2026-04-01' }, { id: 'i', paidAt: '2026-05-01' })).toBe(false);
    expect(isMarkPaid({ id: 'i', amountCents: 1 }, { id: 'i', amountCents: 2, paidAt: '2026-05-01' })).toBe(false);
  });
});
