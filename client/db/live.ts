/**
 * RxDB queries as Solid signals: the one place screens' data meets RxDB's reactivity. Data
 * modules pass a query (`db.contacts.find(…)`); screens get plain objects (the document's
 * JSON), so nothing in a component can write around the data modules.
 */
import { from, type Accessor } from 'solid-js';
import { map, type Observable } from 'rxjs';
import type { RxDocument } from 'rxdb';

/** What the adapter needs of an RxQuery: its result stream (any collection's `find()` / `findOne()`). */
export interface ListQuery<T> {
  readonly $: Observable<RxDocument<T>[]>;
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

export function liveList<T>(query: ListQuery<T>): Accessor<T[]> {
  const docs = from(query.$.pipe(map(jsonList<T>())));
  return () => docs() ?? [];
}

export function liveOne<T>(query: OneQuery<T>): Accessor<T | null | undefined> {
  // undefined while loading, null when there is no such document.
  return from(query.$.pipe(map((d: RxDocument<T> | null) => (d ? json(d) : null))));
}

/** A loaded-flag companion: lists render "Loading…" only until the first answer. */
export function liveListWithState<T>(query: ListQuery<T>): { rows: Accessor<T[]>; loaded: Accessor<boolean> } {
  const docs = from(query.$.pipe(map(jsonList<T>())));
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
