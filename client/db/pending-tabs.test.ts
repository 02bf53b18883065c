import { describe, expect, it, vi } from 'vitest';
import { newId } from '../../shared/ids';
import { sharePendingCounts, type PendingCounts } from './pending-tabs';

/** Two "tabs" of one database on a real BroadcastChannel: the leader's count is shown by both. */
const shows = (shown: PendingCounts[], counts: PendingCounts) => vi.waitFor(() => expect(shown.at(-1)).toEqual(counts), { timeout: 5_000, interval: 5 });

describe('changes waiting, shared by the tabs of a database', () => {
  it('every tab shows the leader’s count; a tab that becomes the leader shows its own', async () => {
    const name = `allot-pending:test-${newId()}`;
    let becomeLeader!: () => void;
    const shownA: PendingCounts[] = [];
    const shownB: PendingCounts[] = [];
    const a = sharePendingCounts(name, Promise.resolve(), (c) => shownA.push(c));
    const b = sharePendingCounts(name, new Promise<void>((r) => (becomeLeader = r)), (c) => shownB.push(c));
    try {
      // B noted a write of its own (and A, through RxDB's events, the same one); A pushed it and it is settled.
      b.own({ contacts: 1 });
      a.own({ contacts: 1 });
      await shows(shownB, { contacts: 1 });
      a.own({});
      expect(shownA.at(-1)).toEqual({});
      await shows(shownB, {});
      // B never hears of the answer itself: it still counts 1, but shows the leader's count.
      b.own({ contacts: 1 });
      expect(shownB.at(-1)).toEqual({});
      // A tab opened later asks and is told.
      const shownC: PendingCounts[] = [];
      const c = sharePendingCounts(name, new Promise<void>(() => {}), (x) => shownC.push(x));
      await shows(shownC, {});
      c.close();
      // A closes; B takes over and shows what it counts.
      a.close();
      becomeLeader();
      await shows(shownB, { contacts: 1 });
    } finally {
      a.close();
      b.close();
    }
  });

  it('with one tab (no leader election) the tab shows its own count', () => {
    const shown: PendingCounts[] = [];
    const only = sharePendingCounts('x', null, (c) => shown.push(c));
    only.own({ teams: 2 });
    expect(shown).toEqual([{ teams: 2 }]);
    only.close();
  });
});
