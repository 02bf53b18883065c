/**
 * One collection's RxDB replication (DESIGN §5): pulls through the transport (a `reset`
 * answer replaces what the device holds, reset-pull.ts), takes live changes from the stream
 * dispatch, pushes local writes and hands the server's refusals to the conflict handler,
 * keeping the pending count (pending.ts) as pushes are answered.
 */
import type { RxCollection } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { concatMap, type Observable } from 'rxjs';
import type { CollectionName } from '../../shared/schemas';
import type { Checkpoint, Rejection } from '../../shared/sync';
import { sameDoc } from './conflict';
import { bulkFirstSync } from './first-sync';
import { linkReplicationMeta } from './lazy-meta';
import { notePagesEnded } from './pages-ended';
import { trackLocalWrites, type PendingChanges } from './pending';
import { settleUnchanged } from './reconcile';
import { pullAfterReset } from './reset-pull';
import type { StatusModel } from './status';
import type { SyncConfig } from './sync-options';
import type { SyncEvents } from './sync-events';
import type { Transport } from './transport';
import type { AllotReplication, PullStreamItem, ReplicatedDoc } from './replicated';

export type { AllotReplication, PullStreamItem, ReplicatedDoc };

export interface ReplicationParts {
  config: SyncConfig;
  transport: Transport;
  pending: PendingChanges;
  events: SyncEvents;
  model: StatusModel;
  /** The server's refusals of the last push, by `collection:id`, for the conflict handler (database.ts). */
  rejections: Map<string, Rejection>;
}

export interface CollectionReplication {
  replication: AllotReplication;
  /** Stops watching local writes and the replication's state (the replication is cancelled by its owner). */
  unwatch(): void;
}

export function replicateCollection(
  name: CollectionName,
  collection: RxCollection<ReplicatedDoc>,
  live$: Observable<PullStreamItem>,
  { config, transport, pending, events, model, rejections }: ReplicationParts,
): CollectionReplication {
  const untrack = trackLocalWrites(collection, name, pending);
  const replicationIdentifier = `allot:${config.origin}:${name}`;
  // Before the replication starts: its metadata reads wait for the link (lazy-meta.ts).
  void linkReplicationMeta(collection, replicationIdentifier);
  const received = (n: number) => {
    if (!model.get().initialSyncDone) {
      model.set((s) => ({ progress: { ...s.progress, docsReceived: s.progress.docsReceived + n } }));
    }
  };
  const bulk = bulkFirstSync({ name, collection, replication: () => replication, replicationIdentifier, transport, onPage: received });
  // The push on its way, if any; the live stream's changes wait for it (pushSettled).
  let pushing: Promise<unknown> | null = null;

  const replication = replicateRxCollection<ReplicatedDoc, Checkpoint>({
    replicationIdentifier,
    collection,
    live: true,
    retryTime: config.retryTime,
    waitForLeadership: config.waitForLeadership,
    autoStart: true,
    pull: {
      batchSize: config.batchSize,
      stream$: live$.pipe(concatMap(async (item) => (await pushSettled(() => pushing), item))),
      async handler(checkpoint, size) {
        let res = await transport.pull(name, checkpoint ?? null, size);
        if (!checkpoint) {
          // A first pull of a large collection onto an empty device is written in bulk (first-sync.ts), which counts its pages.
          const taken = await bulk.take(res, size);
          if (taken.kind === 'written') {
            notePagesEnded(collection);
            events.synced();
            return taken.page;
          }
          if (taken.kind === 'reset') res = taken.response;
        }
        received(res.documents.length);
        const out = res.reset
          ? await pullAfterReset(transport, collection, name, res, config.batchSize)
          : { documents: res.documents, checkpoint: res.checkpoint ?? checkpoint };
        events.synced();
        return out;
      },
    },
    push: {
      batchSize: config.pushBatchSize,
      async handler(rows) {
        const ids = rows.map((r) => String(r.newDocumentState.id));
        const snap = pending.sending(name, ids);
        // A resolved conflict equal to the server's state has nothing left to say; sending it
        // would only bring the same answer back (and a refused row would loop forever).
        const send = rows.filter((r) => !(r.assumedMasterState && sameDoc(r.assumedMasterState, r.newDocumentState)));
        if (!send.length) {
          pending.settled(name, snap);
          return [];
        }
        const sent = transport.push(
          name,
          send.map((r) => ({ assumedMasterState: r.assumedMasterState ?? null, newDocumentState: r.newDocumentState })),
        );
        pushing = sent;
        const res = await sent.finally(() => {
          if (pushing === sent) pushing = null;
        });
        const conflictIds = new Set(res.conflicts.map((d) => d.id));
        for (const rej of res.rejected) {
          // Only a refusal that comes with its conflict is resolved (and so forgotten) by the handler.
          if (conflictIds.has(rej.id)) rejections.set(`${name}:${rej.id}`, rej);
        }
        pending.settled(name, snap);
        events.synced();
        return res.conflicts;
      },
    },
  });

  const subs = [
    replication.error$.subscribe((err) => {
      const msg = (err as { parameters?: { errors?: { message?: string }[] } }).parameters?.errors?.[0]?.message;
      events.failed(msg ?? err.message);
    }),
    // A local write that ends equal to the server's state is never pushed: forget it when idle.
    replication.active$.subscribe((active) => {
      if (active) return;
      void settleUnchanged(name, collection, replication, pending).then((settled) => {
        if (settled && pending.count() === 0) events.synced();
      });
    }),
  ];

  return {
    replication,
    unwatch() {
      untrack();
      subs.forEach((s) => s.unsubscribe());
    },
  };
}

/**
 * Resolves once no push of the collection is on its way and RxDB has stored what the last
 * one's answer told it (the assumed master state it writes right after the push handler
 * returns). The live stream's changes wait for it: a change that arrives before the answer
 * to the push that made it (another server process sent it, or it simply came first) would
 * otherwise meet RxDB's downstream while the upstream still pushes a resolved conflict, and
 * RxDB 17's downstream then compares against the metadata it read before waiting for that
 * push and drops the change as a local write not yet pushed — the device keeps the server's
 * previous `seq`/`updatedAt` until the document changes again. RxDB delays stream changes
 * during a push itself, but not during its upstream's first pass (after a reconnection),
 * where such pushes happen. (`test/integration/sync-push-order.test.ts`.)
 */
async function pushSettled(current: () => Promise<unknown> | null): Promise<void> {
  if (!current()) return;
  for (let p = current(); p; p = current()) await p.catch(() => {});
  // A macrotask: RxDB's metadata write after the handler returned is under way by then (its storage orders transactions by creation).
  await new Promise((r) => setTimeout(r, 0));
}
