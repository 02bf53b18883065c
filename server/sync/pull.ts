import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { Checkpoint, PullResponse } from '../../shared/sync';
import type { Principal } from '../auth/principal';
import type { Store } from '../store/open-store';
import { CATALOG_ORG, pullDocs } from '../store/docs';
import { audienceOf } from '../../shared/permissions';
import { scopeFingerprint, scopeFor, sqlFilter } from './visibility';

/**
 * The person's visible documents of one collection after the checkpoint, in `seq` order.
 * When their reach changed since the checkpoint was made, the answer starts over from
 * zero and says `reset` so the client replaces what it holds.
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
  const orgId = collection === 'products' ? CATALOG_ORG : principal.orgId;
  const filter = scope === 'all' ? undefined : { ...sqlFilter(scope), audiences: audienceOf(scope) };
  const { docs, lastSeq } = await pullDocs(store.db, orgId, collection, since, batchSize, filter);
  return {
    documents: docs as WireDoc<C>[],
    checkpoint: { seq: lastSeq, scope: scopeKey },
    ...(reset ? { reset } : {}),
  };
}
