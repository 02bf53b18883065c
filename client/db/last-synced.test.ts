// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { rememberLastSynced } from './last-synced';
import { createStatusModel } from './status';

describe('last synced outlives a reload (client/db/last-synced.ts)', () => {
  it('a new page of the same database starts from the remembered time; another database does not', () => {
    const first = createStatusModel(13);
    const stop = rememberLastSynced(first, 'allot-a-o1');
    first.set({ lastSyncedAt: '2026-11-30T09:05:00.000Z' });
    stop();
    const reloaded = createStatusModel(13);
    rememberLastSynced(reloaded, 'allot-a-o1');
    expect(reloaded.get().lastSyncedAt).toBe('2026-11-30T09:05:00.000Z');
    const other = createStatusModel(13);
    rememberLastSynced(other, 'allot-a-o2');
    expect(other.get().lastSyncedAt).toBeNull();
  });
});
