/**
 * RxDB queries as Solid signals: the one place screens' data meets RxDB's reactivity. Data
 * modules pass a query (`db.contacts.find(…)`); screens get plain objects (the document's
 * JSON), so nothing in a component can write around the data modules.
 */
import { from, type Accessor } from 'solid-js';
import { map, Observable, type Subscription } from 'rxjs';
import type { RxDocument } from 'rxdb';
import { pagesEnded$ } from './pages-ended';

/** What the adapter needs of an RxQuery: its result stream (any collection's `find()` / `findOne()`), and its collection's writes. */
export interface ListQuery<T> {
  readonly $: Observable<RxDocument<T>[]>;
  readonly collection?: { readonly eventBulks$: Observable<{ readonly events: readonly unknown[] }> };
}
export interface OneQuery<T> {
  readonly $: Observable<RxDocument<T> | null>;
}

/**
 * One JSON object per document revision. RxDB hands out the same RxDocument instance for a
 * revision that did not change, so an emission after one edit among 10,000 documents gives
 * back 9,999 identical objects: no copying, and Solid (rows, memos comparing items) sees
 * only the changed one as new. The objects are shared by every list showing the document:
 * treat them as read-only.
 */
const jsonOf = new WeakMap<object, unknown>();

function json<T>(d: RxDocument<T>): T {
  let j = jsonOf.get(d) as T | undefined;
  if (j === undefined) {
    // What toJSON() gives, built in one copy: toJSON() copies the data and then deletes the
    // meta fields, and V8 turns objects that lost fields into slow dictionaries, which every
    // filter over the 10,000 rows then reads.
    const { _rev, _attachments, _deleted, _meta, ...data } = d.toJSON(true);
    j = data as T;
    jsonOf.set(d, j);
  }
  return j;
}

/**
 * Maps each emitted list of documents to their JSON; a document at the same place as in the
 * last list takes the last answer's object without a cache lookup (10,000 of them per edit).
 */
function jsonList<T>(): (ds: RxDocument<T>[]) => T[] {
  let lastDocs: RxDocument<T>[] = [];
  let lastOut: T[] = [];
  return (ds) => {
    const out = new Array<T>(ds.length);
    for (let i = 0; i < ds.length; i++) out[i] = ds[i] === lastDocs[i] ? lastOut[i] : json(ds[i]);
    lastDocs = ds;
    lastOut = out;
    return out;
  };
}

/** A write of at least this many documents at once is a page of a (first) sync, not a person's edit. */
export const BULK_WRITE = 100;
/** How long after the last such page a list looks again (ms): longer than the pause between two pages of a first sync. */
export const BULK_QUIET_MS = 1000;

/**
 * The query's results, except while pages of a sync are being written: RxDB answers a write
 * of more documents than its change buffer keeps by running the whole query again, so a list
 * following a first sync of 100,000 licenses would read them all once per page (and the
 * screen sort them all) — a hundred times — and the sync's writes would wait for each read.
 * Instead, once the list holds a page or more, it stops following the query at a page's
 * write and follows it again (one run of the query) when the pages have stopped for
 * BULK_QUIET_MS, or at once when the bulk first sync says its last page is stored
 * (pages-ended.ts). Meanwhile the first sync's progress shows in the sync bar. The first page
 * shows at once, and so does a person's edit (a write of fewer than BULK_WRITE documents),
 * pages or not.
 */
export function calmDuringBulkWrites<T>(query: ListQuery<T>, quietMs = BULK_QUIET_MS): Observable<RxDocument<T>[]> {
  const collection = query.collection;
  if (!collection) return query.$;
  const bulks = collection.eventBulks$;
  return new Observable<RxDocument<T>[]>((out) => {
    let following: Subscription | null = null;
    let quiet: ReturnType<typeof setTimeout> | null = null;
    let shown = 0;
    const follow = () => {
      if (quiet) clearTimeout(quiet);
      quiet = null;
      if (following) return;
      following = query.$.subscribe({
        next: (v) => {
          shown = v.length;
          out.next(v);
        },
        error: (e) => out.error(e),
      });
    };
    const writes = bulks.subscribe((bulk) => {
      if (bulk.events.length < BULK_WRITE) {
        // A person's edit: shown now (one look), even while pages are still coming.
        if (!following) follow();
        return;
      }
      if (following && shown < BULK_WRITE) return;
      if (following) {
        following.unsubscribe();
        following = null;
      }
      if (quiet) clearTimeout(quiet);
      quiet = setTimeout(follow, quietMs);
    });
    // The bulk first sync says when its last page is stored: no need to wait for the quiet period.
    const ended = pagesEnded$(collection).subscribe(() => {
      if (quiet) follow();
    });
    follow();
    return () => {
      ended.unsubscribe();
      writes.unsubscribe();
      following?.unsubscribe();
      if (quiet) clearTimeout(quiet);
    };
  });
}

export function liveList<T>(query: ListQuery<T>): Accessor<T[]> {
  const docs = from(calmDuringBulkWrites(query).pipe(map(jsonList<T>())));
  return () => docs() ?? [];
}

export function liveOne<T>(query: OneQuery<T>): Accessor<T | null | undefined> {
  // undefined while loading, null when there is no such document.
  return from(query.$.pipe(map((d: RxDocument<T> | null) => (d ? json(d) : null))));
}

/** A loaded-flag companion: lists render "Loading…" only until the first answer. */
export function liveListWithState<T>(query: ListQuery<T>): { rows: Accessor<T[]>; loaded: Accessor<boolean> } {
  const docs = from(calmDuringBulkWrites(query).pipe(map(jsonList<T>())));
  return { rows: () => docs() ?? [], loaded: () => docs() !== undefined };
}

/**
 * `rows => rows.filter(keep)` for a long list that changes an item at a time (the items
 * keep their identity across emissions, see above). When the only items that changed are
 * kept or dropped as before, the new items take the old ones' places in the last answer;
 * when none of them is kept, the answer is the last one itself, so a memo of it does not
 * change and what reads the memo does not run again.
 */
export function keptWhere<T>(keep: (row: T) => boolean): (rows: readonly T[]) => T[] {
  /** The last list, its answer and, for each of its items, the place in the answer (-1: not kept). */
  let last: { rows: readonly T[]; out: T[]; to: Int32Array } | null = null;
  return (rows) => {
    if (last && last.rows.length === rows.length) {
      const changed: number[] = [];
      for (let i = 0; i < rows.length && changed.length <= 64; i++) if (rows[i] !== last.rows[i]) changed.push(i);
      if (changed.length <= 64 && changed.every((i) => keep(rows[i]) === (last!.to[i] >= 0))) {
        const kept = changed.filter((i) => last!.to[i] >= 0);
        const out = kept.length ? last.out.slice() : last.out;
        for (const i of kept) out[last.to[i]] = rows[i];
        last = { rows, out, to: last.to };
        return out;
      }
    }
    const out: T[] = [];
    const to = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      if (keep(rows[i])) {
        to[i] = out.length;
        out.push(rows[i]);
      } else to[i] = -1;
    }
    last = { rows, out, to };
    return out;
  };
}
