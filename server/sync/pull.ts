import type { CollectionName } from '../../shared/schemas';
import type { Checkpoint, PullResponse } from '../../shared/sync';
import type { Principal } from '../auth/principal';
import type { Store } from '../store/open-store';
import { pullDocs } from '../store/docs';
import { pullFilter, scopeFingerprint, scopeFor } from './visibility';

/**
 * The person's visible documents of one collection after the checkpoint, in `seq` order
 * (DESIGN §5). When their reach changed since the checkpoint was made, the answer starts
 * over from zero and says `reset` so the client replaces what it holds.
 */
export async function pullCollection<C extends CollectionName>(
  store: Store,
  principal: Principal,
  collection: C,
  checkpoint: Checkpoint | null,
  batchSize: number,
): Promise<PullResponse<C>> {
  const scopeKey = scopeFingerprint(principal);
  const reset = !!checkpoint && checkpoint.scope !== undefined && checkpoint.scope !== scopeKey;
  const since = reset || !checkpoint ? 0 : checkpoint.seq;
  const scope = scopeFor(principal, collection);
  if (scope === 'none' || !principal.orgId) {
    return { documents: [], checkpoint: { seq: since, scope: scopeKey }, ...(reset ? { reset } : {}) };
  }
  const { docs, lastSeq } = await pullDocs(store.db, principal.orgId, collection, since, batchSize, pullFilter(scope));
  return {
    documents: docs,
    checkpoint: { seq: lastSeq, scope: scopeKey },
    ...(reset ? { reset } : {}),
  };
}
