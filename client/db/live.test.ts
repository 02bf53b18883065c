import { describe, expect, it } from 'vitest';
import { keptWhere } from './live';

type Row = { id: number; on: boolean };

describe('keptWhere', () => {
  it('filters like Array.prototype.filter as items change, come and go', () => {
    const kept = keptWhere((r: Row) => r.on);
    let rows: Row[] = Array.from({ length: 1000 }, (_, id) => ({ id, on: id % 4 === 0 }));
    const first = kept(rows);
    expect(first).toEqual(rows.filter((r) => r.on));

    rows = rows.map((r) => (r.id === 5 ? { ...r } : r));
    expect(kept(rows)).toBe(first); // a dropped item changed: the same answer

    rows = rows.map((r) => (r.id === 8 || r.id === 12 ? { ...r } : r));
    const replaced = kept(rows);
    expect(replaced).not.toBe(first);
    expect(replaced).toEqual(rows.filter((r) => r.on));
    expect(replaced[2]).toBe(rows[8]);

    rows = rows.map((r) => (r.id === 8 ? { ...r, on: false } : r.id === 9 ? { ...r, on: true } : r));
    expect(kept(rows)).toEqual(rows.filter((r) => r.on)); // in and out: filtered again

    rows = [...rows.slice(0, 500), ...rows.slice(501)];
    expect(kept(rows)).toEqual(rows.filter((r) => r.on));

    rows = rows.map((r) => ({ ...r }));
    expect(kept(rows)).toEqual(rows.filter((r) => r.on)); // every item new
  });
});
