/**
 * Forgets pending changes that have nothing left to push. A local write that ends equal to
 * the server's state (a field changed and changed back, a conflict resolved to the server's
 * values) is never pushed by RxDB, so no push answer would ever clear it from the count:
 * when the replication goes idle, every pending document whose local state equals the
 * state RxDB last saw from the server is settled.
 */
import { getAssumedMasterState, type RxCollection } from 'rxdb';
import { sameDoc, type PlainDoc } from './conflict';
import type { PendingChanges } from './pending';
import type { AllotReplication } from './collection-replication';

/** Returns how many of the collection's pending documents were settled (0 also when the replication closed meanwhile). */
export async function settleUnchanged(
  name: string,
  collection: RxCollection,
  replication: AllotReplication,
  pending: PendingChanges,
): Promise<number> {
  const ids = pending.ids(name);
  const state = replication.internalReplicationState;
  if (!ids.length || !state || replication.isStopped()) return 0;
  try {
    const [fork, assumed] = await Promise.all([
      collection.storageInstance.findDocumentsById(ids, true),
      getAssumedMasterState(state, ids),
    ]);
    const byId = new Map(fork.map((d) => [String((d as PlainDoc).id), d as PlainDoc]));
    const done = ids.filter((id) => {
      const f = byId.get(id);
      const a = assumed[id];
      return f && a && sameDoc(f, a.docData as PlainDoc);
    });
    pending.forget(name, done);
    return done.length;
  } catch {
    // The replication closed meanwhile.
    return 0;
  }
}
