import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { StreamEvent } from '../../shared/sync';
import type { Principal } from '../auth/principal';
import type { Store } from '../store/open-store';
import { CATALOG_ORG, currentSeq, rowToDoc } from '../store/docs';
import { canSee, scopeFingerprint } from './visibility';

export interface StreamConnection {
  principal: Principal;
  send(event: StreamEvent): void;
  /** Re-reads the person's roles; called when a change may have moved their reach. */
  refresh(): Promise<Principal>;
}

export interface Hub {
  subscribe(conn: StreamConnection): Promise<() => void>;
  connectionCount(): number;
  close(): void;
}

const TAIL_BATCH = 1000;

/**
 * Fans committed changes out to live streams. For each organization it reads the docs
 * table forward from the last change it delivered, in `seq` order, so every connection
 * sees every change once and in commit order, whichever process wrote it.
 */
export function createHub(store: Store): Hub {
  const conns = new Map<string, Set<StreamConnection>>();
  const lastSeq = new Map<string, number>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  async function tail(orgId: string) {
    let since = lastSeq.get(orgId) ?? 0;
    for (;;) {
      const rows = await store.db
        .selectFrom('docs')
        .select(['collection', 'data', 'seq', 'updated_at', 'deleted'])
        .where('org_id', '=', orgId)
        .where('seq', '>', since)
        .orderBy('seq')
        .limit(TAIL_BATCH)
        .execute();
      if (!rows.length) break;
      since = Number(rows[rows.length - 1].seq);
      lastSeq.set(orgId, since);
      const byCollection = new Map<CollectionName, WireDoc[]>();
      for (const r of rows) {
        const c = r.collection as CollectionName;
        if (!byCollection.has(c)) byCollection.set(c, []);
        byCollection.get(c)!.push(rowToDoc(r));
      }
      const targets = orgId === CATALOG_ORG ? [...conns.values()].flatMap((s) => [...s]) : [...(conns.get(orgId) ?? [])];
      await Promise.all(targets.map((conn) => deliver(conn, byCollection, since)));
      if (rows.length < TAIL_BATCH) break;
    }
  }

  async function deliver(conn: StreamConnection, byCollection: Map<CollectionName, WireDoc[]>, seq: number) {
    const touchesReach = [...(byCollection.get('members') ?? []), ...(byCollection.get('contacts') ?? [])].some(
      (d: any) => d.accountId === conn.principal.account.id || d.email === conn.principal.account.email,
    );
    if (touchesReach) {
      const before = scopeFingerprint(conn.principal);
      const now = await conn.refresh();
      const after = scopeFingerprint(now);
      if (before !== after) {
        // Their checkpoints are stale now: the client pulls again and the server answers with a reset.
        conn.send({ type: 'reach', scope: after });
        return;
      }
    }
    const scope = scopeFingerprint(conn.principal);
    for (const [collection, docs] of byCollection) {
      const visible = docs.filter((d) => canSee(conn.principal, collection, d));
      if (visible.length) conn.send({ type: 'change', collection, documents: visible, checkpoint: { seq, scope } });
    }
  }

  function schedule(orgId: string) {
    if (!lastSeq.has(orgId)) return;
    if (running.has(orgId)) {
      again.add(orgId);
      return;
    }
    const p = tail(orgId)
      .catch(() => {})
      .finally(() => {
        running.delete(orgId);
        if (again.delete(orgId)) schedule(orgId);
      });
    running.set(orgId, p);
  }

  const off = store.onChange(schedule);

  return {
    async subscribe(conn) {
      const orgId = conn.principal.orgId ?? '';
      if (!lastSeq.has(orgId)) lastSeq.set(orgId, await currentSeq(store.db, orgId));
      if (!lastSeq.has(CATALOG_ORG)) lastSeq.set(CATALOG_ORG, await currentSeq(store.db, CATALOG_ORG));
      if (!conns.has(orgId)) conns.set(orgId, new Set());
      conns.get(orgId)!.add(conn);
      return () => {
        conns.get(orgId)?.delete(conn);
      };
    },
    connectionCount: () => [...conns.values()].reduce((n, s) => n + s.size, 0),
    close() {
      off();
      conns.clear();
    },
  };
}
