import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { StreamEvent } from '../../shared/sync';
import type { Principal } from '../auth/principal';
import type { Store } from '../store/open-store';
import { CATALOG_ORG, changesAfter, currentSeq, pullTombstones } from '../store/docs';
import { audienceOf, canSee, scopeOf } from '../../shared/permissions';
import { personOf } from '../auth/principal';
import { scopeFingerprint } from './visibility';
import { createEventQueue, type EventQueue } from './event-queue';

/** A committed batch: each collection's changed documents and the tombstones written with them, in `seq` order. */
interface Batch {
  docs: Map<CollectionName, WireDoc[]>;
  gone: Map<CollectionName, { doc: WireDoc; audience: string }[]>;
}

/** Does this change touch the member or contact records the person's reach is made of? */
function touchesReach(p: Principal, batch: Batch): boolean {
  const memberIds = new Set(p.member ? [p.member.id] : []);
  const contactIds = new Set(p.contacts.map((c) => c.id));
  const email = p.account.email.toLowerCase();
  const members = (batch.docs.get('members') ?? []) as WireDoc<'members'>[];
  const contacts = (batch.docs.get('contacts') ?? []) as WireDoc<'contacts'>[];
  return (
    members.some((m) => m.accountId === p.account.id || memberIds.has(m.id)) ||
    contacts.some((c) => c.email === email || contactIds.has(c.id)) ||
    // Holding a first license (or none any more) lets a person into an organization (or out).
    ((batch.docs.get('licenses') ?? []) as WireDoc<'licenses'>[]).some((l) => l.assignee?.accountId === p.account.id) ||
    (batch.gone.get('licenses') ?? []).some((t) => t.audience === `assigneeAccountId:${p.account.id}`)
  );
}

export interface StreamConnection {
  principal: Principal;
  send(event: StreamEvent): void;
  /** Re-reads the person's roles; called when a change may have moved their reach. */
  refresh(): Promise<Principal>;
}

/** One open live stream: its events in order (see event-queue.ts), until `close()`. */
export type LiveStream = EventQueue<StreamEvent>;

/** How long a stream stays silent before it says it is alive. */
const KEEP_ALIVE_MS = 20_000;

export interface Hub {
  subscribe(conn: StreamConnection): Promise<() => void>;
  /**
   * Opens a live stream for a person (DESIGN §5): subscribed before it returns, so once a
   * client sees the stream open every later change reaches it and the pull it makes on
   * opening misses nothing. `refresh` re-reads their principal when their reach may have moved.
   */
  open(principal: Principal, refresh: () => Promise<Principal>): Promise<LiveStream>;
  connectionCount(): number;
  /**
   * Reads every followed organization forward from the last change delivered: after change
   * notices may have been lost (the LISTEN connection dropped), so no stream misses a change.
   */
  catchUp(): void;
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
  /** The organization each connection listens to (its person's, as last read). */
  const keyOf = new Map<StreamConnection, string>();
  const lastSeq = new Map<string, number>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  let closed = false;

  async function tail(orgId: string) {
    let since = lastSeq.get(orgId) ?? 0;
    for (;;) {
      const from = since;
      const rows = await changesAfter(store.db, orgId, since, TAIL_BATCH);
      if (!rows.length) break;
      since = rows[rows.length - 1].doc.seq;
      const batch: Batch = { docs: new Map(), gone: new Map() };
      for (const r of rows) {
        if (!batch.docs.has(r.collection)) batch.docs.set(r.collection, []);
        batch.docs.get(r.collection)!.push(r.doc);
      }
      // A tombstone commits with the document change that made it, which always has a higher
      // `seq`: every tombstone up to the last document read is committed and none later is lost.
      const full = rows.length === TAIL_BATCH;
      const gone = await pullTombstones(store.db, orgId, null, [], from, 100_000, since);
      for (const t of gone) {
        if (!batch.gone.has(t.collection)) batch.gone.set(t.collection, []);
        batch.gone.get(t.collection)!.push(t);
      }
      lastSeq.set(orgId, since);
      const targets = orgId === CATALOG_ORG ? [...conns.values()].flatMap((s) => [...s]) : [...(conns.get(orgId) ?? [])];
      await Promise.all(targets.map((conn) => deliver(conn, batch, since)));
      if (!full) break;
    }
  }

  async function deliver(conn: StreamConnection, batch: Batch, seq: number) {
    if (touchesReach(conn.principal, batch)) {
      const before = scopeFingerprint(conn.principal);
      const now = await conn.refresh();
      const after = scopeFingerprint(now);
      // They act in another organization now: listen there from now on. (Left with none — disabled,
      // last license revoked — they keep listening where they were, to hear when they are let back in.)
      const key = now.orgId;
      if (key && keyOf.has(conn) && keyOf.get(conn) !== key) {
        conns.get(keyOf.get(conn)!)?.delete(conn);
        if (!lastSeq.has(key)) lastSeq.set(key, await currentSeq(store.db, key));
        if (!conns.has(key)) conns.set(key, new Set());
        conns.get(key)!.add(conn);
        keyOf.set(conn, key);
      }
      if (before !== after) {
        // Their checkpoints are stale now: the client pulls again and the server answers with a reset.
        conn.send({ type: 'reach', scope: after });
        return;
      }
    }
    const person = personOf(conn.principal);
    const scope = scopeFingerprint(conn.principal);
    const collections = new Set([...batch.docs.keys(), ...batch.gone.keys()]);
    for (const collection of collections) {
      const docs = batch.docs.get(collection) ?? [];
      const collScope = scopeOf(person, collection);
      if (collScope === 'none') continue;
      const visible = docs.filter((d) => canSee(person, collection, d));
      const audiences = new Set(audienceOf(collScope));
      const lost = (batch.gone.get(collection) ?? []).filter((t) => audiences.has(t.audience)).map((t) => t.doc);
      const documents = lost.length ? [...visible, ...lost].sort((a, b) => a.seq - b.seq) : visible;
      if (documents.length) conn.send({ type: 'change', collection, documents, checkpoint: { seq, scope } });
    }
  }

  function schedule(orgId: string) {
    if (closed || !lastSeq.has(orgId)) return;
    if (running.has(orgId)) {
      again.add(orgId);
      return;
    }
    const p = tail(orgId)
      // The database did not answer (a dropped connection): read again shortly, from the same
      // place, rather than wait for a next change that may never come.
      .catch(() => {
        const retry = setTimeout(() => schedule(orgId), 1000);
        retry.unref?.();
      })
      .finally(() => {
        running.delete(orgId);
        if (again.delete(orgId)) schedule(orgId);
      });
    running.set(orgId, p);
  }

  const off = store.onChange(schedule);
  const catchUp = () => {
    for (const orgId of lastSeq.keys()) schedule(orgId);
  };
  const offReconnect = store.onReconnect(catchUp);

  async function subscribe(conn: StreamConnection) {
    const orgId = conn.principal.orgId ?? '';
    if (!lastSeq.has(orgId)) lastSeq.set(orgId, await currentSeq(store.db, orgId));
    if (!lastSeq.has(CATALOG_ORG)) lastSeq.set(CATALOG_ORG, await currentSeq(store.db, CATALOG_ORG));
    if (!conns.has(orgId)) conns.set(orgId, new Set());
    conns.get(orgId)!.add(conn);
    keyOf.set(conn, orgId);
    return () => {
      conns.get(keyOf.get(conn) ?? orgId)?.delete(conn);
      keyOf.delete(conn);
    };
  }

  return {
    subscribe,
    async open(principal, refresh) {
      let current = principal;
      let unsubscribe = () => {};
      const events: LiveStream = createEventQueue<StreamEvent>({ keepAliveMs: KEEP_ALIVE_MS, onClose: () => unsubscribe() });
      unsubscribe = await subscribe({
        get principal() {
          return current;
        },
        send: (ev) => events.push(ev),
        async refresh() {
          current = await refresh();
          return current;
        },
      });
      return events;
    },
    connectionCount: () => [...conns.values()].reduce((n, s) => n + s.size, 0),
    catchUp,
    close() {
      closed = true;
      off();
      offReconnect();
      conns.clear();
      keyOf.clear();
    },
  };
}
