/**
 * Replication of every collection of one organization with the server (DESIGN §5): one RxDB
 * replication per collection over `POST /api/orgs/:orgId/sync/:collection/{pull,push}`
 * (collection-replication.ts), fed live by ONE Server-Sent Events connection per tab
 * (`GET /api/orgs/:orgId/sync/stream`, live-stream.ts).
 * Only the leader tab replicates. This file puts the parts together; README.md maps them.
 *
 * Usage (UI):
 *   const db = await openDatabase({ name: await resolveDatabaseName(accountId, orgId, probe) });
 *   const sync = startSync(db, { orgId, baseUrl: '', onOutdated: () => showReloadBanner() });
 *   sync.onStatus((s) => …)            // or from(sync.status$) in Solid; see status.ts
 *   …
 *   await sync.stop(); await db.close();   // sign-out: never remove the database
 */
import type { BehaviorSubject } from 'rxjs';
import type { RxCollection } from 'rxdb';
import type { LocalCollectionName as CollectionName } from '../../shared/schemas';
import { replicateCollection, type AllotReplication, type CollectionReplication, type ReplicatedDoc } from './collection-replication';
import { syncContextOf, type AllotDatabase } from './database';
import type { EventStream } from './event-stream';
import { createStreamDispatch, openLiveStream } from './live-stream';
import { PendingChanges } from './pending';
import { sharePendingCounts } from './pending-tabs';
import { createStatusModel, type SyncStatus } from './status';
import { createSyncEvents } from './sync-events';
import { syncConfig, type SyncOptions } from './sync-options';
import { createBackoffGate } from './backoff-gate';
import { rememberLastSynced } from './last-synced';
import { createTransport } from './transport';
import { watchNetwork } from './watch-network';

export type { AllotReplication, SyncOptions };

export interface SyncHandle {
  /** Current status and every change of it; see status.ts for the meaning of each field. */
  status$: BehaviorSubject<SyncStatus>;
  /** Calls `fn` now and on every status change; returns the unsubscribe function. */
  onStatus(fn: (s: SyncStatus) => void): () => void;
  getStatus(): SyncStatus;
  replications: Record<CollectionName, AllotReplication>;
  /** Pull every collection again now (e.g. a "sync now" button). */
  resync(): void;
  /** Resolves when everything local was pushed and everything remote pulled (leader tab only). */
  awaitInSync(): Promise<void>;
  /** Stops replicating and closes the live stream; the database stays open. */
  stop(): Promise<void>;
}

export function startSync(db: AllotDatabase, opts: SyncOptions): SyncHandle {
  const config = syncConfig(db, opts);
  const ctx = syncContextOf(db);
  const names = ctx.collections;
  const model = createStatusModel(names.length);
  const forgetLastSynced = rememberLastSynced(model, db.name);
  // Of the tabs sharing the database, the leader's count is the one shown (pending-tabs.ts).
  const sharedPending = sharePendingCounts(`allot-pending:${db.name}`, config.waitForLeadership ? db.waitForLeadership() : null, (counts) =>
    model.set({ pendingByCollection: counts, pending: Object.values(counts).reduce((a, b) => a + b, 0) }),
  );
  const pending = new PendingChanges((counts) => sharedPending.own(counts));
  const events = createSyncEvents(model, pending, {
    onOutdated() {
      opts.onOutdated?.();
      // Not from inside the handler that saw the 426: cancelling awaits the handler's own queue.
      setTimeout(() => void stop(), 0);
    },
    onSignedOut: opts.onSignedOut,
  });
  const gate = createBackoffGate();
  const transport = createTransport(config, events, gate);
  const dispatch = createStreamDispatch(names, () => events.synced());
  let stopped = false;
  let stream: EventStream | null = null;

  ctx.onNotice = () => model.set((s) => ({ noticesAdded: s.noticesAdded + 1 }));

  const parts = { config, transport, pending, events, model, rejections: ctx.rejections };
  const started = new Map<CollectionName, CollectionReplication>(
    names.map((n) => [n, replicateCollection(n, db[n] as unknown as RxCollection<ReplicatedDoc>, dispatch.live$(n), parts)]),
  );
  const replications = Object.fromEntries([...started].map(([n, r]) => [n, r.replication])) as Record<
    CollectionName,
    AllotReplication
  >;

  void (async () => {
    if (config.waitForLeadership) await db.waitForLeadership();
    if (stopped) return;
    model.set({ replicating: true });
    stream = openLiveStream(config, events, dispatch);
  })();

  void (async () => {
    await Promise.all(
      names.map(async (n) => {
        await replications[n].awaitInitialReplication();
        model.set((s) => ({ progress: { ...s.progress, collectionsDone: s.progress.collectionsDone + 1 } }));
      }),
    );
    if (!stopped) model.set({ initialSyncDone: true });
  })().catch(() => {});

  const unwatchNetwork = watchNetwork((online) => {
    events.network(online);
    if (online) {
      gate.wake();
      stream?.reconnectNow();
    }
  });

  async function stop() {
    if (stopped) return;
    stopped = true;
    stream?.close();
    unwatchNetwork();
    forgetLastSynced();
    started.forEach((r) => r.unwatch());
    sharedPending.close();
    await Promise.all(Object.values(replications).map((r) => r.cancel()));
    model.set({ replicating: false });
  }

  return {
    status$: model.status$,
    onStatus: model.subscribe,
    getStatus: model.get,
    replications,
    resync() {
      // "Sync now" also means: try the server now, whatever the pause after failures says.
      gate.wake();
      dispatch.resync();
    },
    async awaitInSync() {
      await Promise.all(Object.values(replications).map((r) => r.awaitInSync()));
    },
    stop,
  };
}
