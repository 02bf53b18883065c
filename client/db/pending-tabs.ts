/**
 * The count of changes waiting, shared by the tabs of one local database (DESIGN §5 "Tabs,
 * accounts and organizations"; §11's "changes waiting").
 *
 * Every tab notes every local write (its own and, through RxDB's multi-instance events, the
 * other tabs'), but only the leader replicates, so only the leader sees the server's answers
 * that settle them: a tab that does not sync kept counting changes the leader had pushed long
 * ago. So the leader's count is the one every tab shows: the leader posts it on a broadcast
 * channel named for the database whenever it changes (and when a tab asks, as a new one does);
 * the others show the last count posted. A tab that becomes the leader shows its own (changes
 * it noted that were pushed meanwhile are forgotten once its replication is idle: reconcile.ts).
 */

export type PendingCounts = Record<string, number>;

type Message = { counts: PendingCounts } | { ask: true };

export interface SharedPending {
  /** What this tab counted (PendingChanges' onChange). */
  own(counts: PendingCounts): void;
  close(): void;
}

/**
 * `show(counts)`: what the tab displays. `leadership`: resolves when this tab becomes the
 * database's leader (`db.waitForLeadership()`), or null when every tab syncs on its own (one
 * tab, tests): then the tab shows its own count and posts nothing. Without BroadcastChannel
 * (old browsers) each tab shows its own.
 */
export function sharePendingCounts(channelName: string, leadership: Promise<unknown> | null, show: (counts: PendingCounts) => void): SharedPending {
  if (!leadership || typeof BroadcastChannel === 'undefined') return { own: show, close() {} };
  const channel = new BroadcastChannel(channelName);
  let leader = false;
  let closed = false;
  let heardLeader = false;
  let mine: PendingCounts = {};
  const post = (m: Message) => {
    if (!closed) channel.postMessage(m);
  };
  channel.onmessage = (e: MessageEvent<Message>) => {
    const m = e.data;
    if (leader) {
      if ('ask' in m) post({ counts: mine });
      return;
    }
    if ('counts' in m) {
      heardLeader = true;
      show(m.counts);
    }
  };
  void leadership.then(() => {
    if (closed) return;
    leader = true;
    show(mine);
    post({ counts: mine });
  });
  post({ ask: true });
  return {
    own(counts) {
      mine = counts;
      if (leader) post({ counts });
      // Until a leader has spoken (none yet, or it is about to be this tab), this tab's own count.
      if (leader || !heardLeader) show(counts);
    },
    close() {
      closed = true;
      channel.close();
    },
  };
}
