import { describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { openDatabase } from './database';
import { BULK_QUIET_MS, BULK_WRITE, calmDuringBulkWrites, keptWhere } from './live';
import { notePagesEnded } from './pages-ended';

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

describe('calmDuringBulkWrites', () => {
  const team = (orgId: string) => ({ id: newId(), orgId, name: `T ${newId().slice(0, 6)}`, seq: 1, updatedAt: '2026-01-01T00:00:00.000Z' });
  const settle = () => new Promise((r) => setTimeout(r, BULK_QUIET_MS + 300));

  it('shows an edit at once, stops following the query while pages of a sync are written, and ends with all of them', async () => {
    const db = await openDatabase({ name: `t${newId().replace(/-/g, '').slice(0, 20)}`, storage: getRxStorageMemory(), multiInstance: false });
    const orgId = newId();
    const seen: number[] = [];
    const sub = calmDuringBulkWrites(db.teams.find()).subscribe((docs) => seen.push(docs.length));
    await db.teams.insert(team(orgId));
    await expect.poll(() => seen.at(-1)).toBe(1);
    // The first page of a first sync shows at once.
    await db.teams.bulkInsert(Array.from({ length: BULK_WRITE }, () => team(orgId)));
    await expect.poll(() => seen.at(-1)).toBe(1 + BULK_WRITE);
    const beforePages = seen.length;
    // Five more pages, written back to back: one run of the query after them, not one per page.
    for (let p = 0; p < 5; p++) await db.teams.bulkInsert(Array.from({ length: BULK_WRITE }, () => team(orgId)));
    await settle();
    expect(seen.at(-1)).toBe(1 + 6 * BULK_WRITE);
    expect(seen.length - beforePages).toBeLessThanOrEqual(2);
    // Then edits show at once again.
    await db.teams.insert(team(orgId));
    await expect.poll(() => seen.at(-1)).toBe(2 + 6 * BULK_WRITE);
    sub.unsubscribe();
    await db.close();
  });

  it('looks again as soon as the bulk first sync says its last page is stored, without waiting for the quiet period', async () => {
    const db = await openDatabase({ name: `t${newId().replace(/-/g, '').slice(0, 20)}`, storage: getRxStorageMemory(), multiInstance: false });
    const orgId = newId();
    const seen: number[] = [];
    // A quiet period longer than the test: only the sync's word can make the list look again.
    const sub = calmDuringBulkWrites(db.teams.find(), 600_000).subscribe((docs) => seen.push(docs.length));
    for (let p = 0; p < 3; p++) await db.teams.bulkInsert(Array.from({ length: BULK_WRITE }, () => team(orgId)));
    await expect.poll(() => seen.at(-1)).toBe(BULK_WRITE);
    notePagesEnded(db.teams);
    await expect.poll(() => seen.at(-1)).toBe(3 * BULK_WRITE);
    sub.unsubscribe();
    await db.close();
  });

  it('shows a person’s edit while pages of a sync are still being written', async () => {
    const db = await openDatabase({ name: `t${newId().replace(/-/g, '').slice(0, 20)}`, storage: getRxStorageMemory(), multiInstance: false });
    const orgId = newId();
    const shownIds: Set<string>[] = [];
    const sub = calmDuringBulkWrites(db.teams.find()).subscribe((docs) => shownIds.push(new Set(docs.map((d) => d.id))));
    await db.teams.bulkInsert(Array.from({ length: BULK_WRITE }, () => team(orgId)));
    await expect.poll(() => shownIds.at(-1)?.size).toBe(BULK_WRITE);
    // Pages keep coming closer together than BULK_QUIET_MS, so the list never looks again for them…
    let pages = true;
    const writing = (async () => {
      while (pages) {
        await db.teams.bulkInsert(Array.from({ length: BULK_WRITE }, () => team(orgId)));
        await new Promise((r) => setTimeout(r, BULK_QUIET_MS / 10));
      }
    })();
    await new Promise((r) => setTimeout(r, BULK_QUIET_MS / 5));
    // …but a team a person adds meanwhile shows while they go on.
    const mine = team(orgId);
    await db.teams.insert(mine);
    await expect.poll(() => shownIds.some((ids) => ids.has(mine.id)), { timeout: 10_000 }).toBe(true);
    pages = false;
    await writing;
    sub.unsubscribe();
    await db.close();
  });
});
