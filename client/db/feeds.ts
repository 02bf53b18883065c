/**
 * Read-only feeds of the collections the app does not keep in its local RxDB database
 * (shared/schemas FEED_COLLECTION_NAMES: waitlist entries, refused claims, audit events):
 * open-source RxDB opens at most 13 collections and an organization's database already has
 * 13. A feed pulls the person's visible documents of one organization from the same pull
 * endpoint as replication (`/api/orgs/:orgId/sync/:collection/pull`, DESIGN §5: what the
 * server lets them see there, in `seq` order, from a checkpoint) and keeps pulling what
 * changed while a screen shows it. It holds them in memory: these are the server's records,
 * read while online.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { FeedCollectionName, WireDoc } from '../../shared/schemas';
import { MAX_BATCH, type Checkpoint } from '../../shared/sync';
import { api } from '../api';

export interface Feed<C extends FeedCollectionName> {
  /** The live documents, in no particular order. */
  docs: Accessor<WireDoc<C>[]>;
  /** True until the first complete pull. */
  loading: Accessor<boolean>;
  /** Why the last pull failed (null when it did not). */
  error: Accessor<string | null>;
  /** Pulls what changed now. */
  refresh(): Promise<void>;
}

/**
 * A feed of one collection of organization `orgId` for the lifetime of the calling component
 * (Solid owner): pulls at once, then every `intervalMs` (default 3 s) while mounted.
 */
export function createFeed<C extends FeedCollectionName>(orgId: string, collection: C, opts: { intervalMs?: number } = {}): Feed<C> {
  const byId = new Map<string, WireDoc<C>>();
  const [docs, setDocs] = createSignal<WireDoc<C>[]>([]);
  const [loading, setLoading] = createSignal(true);
  const [error, setError] = createSignal<string | null>(null);
  let checkpoint: Checkpoint | null = null;
  let running: Promise<void> | null = null;
  let closed = false;

  /** Shows what is held so far (a long first pull shows its first pages while the rest arrive). */
  let dirty = true;
  const publish = () => {
    if (closed) return;
    // Nothing new: the screen keeps the same array (a 100,000-event list is not sorted again every few seconds).
    if (dirty) setDocs([...byId.values()]);
    dirty = false;
    setLoading(false);
  };

  async function pullAll() {
    for (let pages = 0; ; pages++) {
      const r = await api.pullFeed(orgId, collection, { checkpoint, batchSize: MAX_BATCH });
      if (!r.ok) throw new Error(r.message);
      const page = r.value;
      if (page.reset) byId.clear();
      if (page.reset || page.documents.length) dirty = true;
      for (const d of page.documents) {
        if (d._deleted) byId.delete(d.id);
        else byId.set(d.id, d);
      }
      checkpoint = page.checkpoint;
      if (page.documents.length < MAX_BATCH) break;
      if (pages % 20 === 0) publish();
    }
  }

  function refresh(): Promise<void> {
    if (running) return running;
    running = (async () => {
      try {
        await pullAll();
        setError(null);
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
      } finally {
        running = null;
        publish();
      }
    })();
    return running;
  }

  void refresh();
  const timer = setInterval(() => void refresh(), opts.intervalMs ?? 3000);
  onCleanup(() => {
    closed = true;
    clearInterval(timer);
  });
  return { docs, loading, error, refresh };
}

/** Pushes one change of a feed's document in organization `orgId` (an admin removing a waitlist entry): accepted, or why not. */
export async function pushFeedChange<C extends FeedCollectionName>(
  orgId: string,
  collection: C,
  before: WireDoc<C>,
  after: WireDoc<C>,
): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
  const r = await api.pushFeed(orgId, collection, [{ assumedMasterState: before, newDocumentState: after }]);
  if (!r.ok) return { ok: false, code: r.code, message: r.message };
  if (r.value.rejected.length) return { ok: false, code: r.value.rejected[0].code, message: r.value.rejected[0].message };
  if (r.value.conflicts.length) return { ok: false, code: 'conflict', message: 'It changed on the server meanwhile' };
  return { ok: true };
}
