/**
 * Counts local changes the server has not accepted yet. RxDB keeps no such count, so we
 * note every local write (any write whose context is not the replication's own) and
 * forget it when a push carrying that version of the document was answered.
 */
import type { RxCollection } from 'rxdb';

/**
 * Notes every local write to `collection` in `pending` (the replication's own writes, whose
 * event context starts with `replication-`, are the server's and not pending). Returns the
 * function that stops watching.
 */
export function trackLocalWrites(collection: RxCollection, name: string, pending: PendingChanges): () => void {
  const sub = collection.eventBulks$.subscribe((bulk) => {
    if (bulk.context.startsWith('replication-')) return;
    pending.touch(
      name,
      bulk.events.map((e) => e.documentId),
    );
  });
  return () => sub.unsubscribe();
}

export class PendingChanges {
  private byCollection = new Map<string, Map<string, number>>();
  private version = 0;
  constructor(private readonly onChange: (counts: Record<string, number>) => void) {}

  private map(collection: string) {
    let m = this.byCollection.get(collection);
    if (!m) this.byCollection.set(collection, (m = new Map()));
    return m;
  }

  touch(collection: string, ids: string[]) {
    if (!ids.length) return;
    const m = this.map(collection);
    for (const id of ids) m.set(id, ++this.version);
    this.emit();
  }

  /** A push is about to carry these documents (also the ones written before this session). */
  sending(collection: string, ids: string[]): Map<string, number> {
    const m = this.map(collection);
    const snap = new Map<string, number>();
    let added = false;
    for (const id of ids) {
      if (!m.has(id)) {
        m.set(id, ++this.version);
        added = true;
      }
      snap.set(id, m.get(id)!);
    }
    if (added) this.emit();
    return snap;
  }

  /** The server answered the push: versions written since stay pending. */
  settled(collection: string, snap: Map<string, number>) {
    const m = this.map(collection);
    let removed = false;
    for (const [id, v] of snap) {
      if (m.get(id) === v) {
        m.delete(id);
        removed = true;
      }
    }
    if (removed) this.emit();
  }

  ids(collection: string): string[] {
    return [...this.map(collection).keys()];
  }

  forget(collection: string, ids: string[]) {
    const m = this.map(collection);
    let removed = false;
    for (const id of ids) removed = m.delete(id) || removed;
    if (removed) this.emit();
  }

  count(collection?: string): number {
    if (collection) return this.map(collection).size;
    let n = 0;
    for (const m of this.byCollection.values()) n += m.size;
    return n;
  }

  private emit() {
    const counts: Record<string, number> = {};
    for (const [c, m] of this.byCollection) if (m.size) counts[c] = m.size;
    this.onChange(counts);
  }
}
